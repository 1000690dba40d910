"""The ``calculate`` command's contract (docs/interfaces.md §3): JSON input dict in, JSON output dict out."""

from __future__ import annotations

from .decimals import format_decimal, to_decimal
from .engine import as_date, calculate
from .errors import CalculationError
from .grading import GradingError, carbon_band, efficiency_value, grade
from .library import FactorLibrary
from .lines import parse_lines


def run_contract_input(data: dict, library: FactorLibrary) -> dict:
    """Validate a §3 input and return the §3 output; CalculationError (one line) on bad input.

    Output keys: total_tco2e, by_category, energy_tce, intensity_tco2e_per_10k_yuan, efficiency_value_k,
    grade, band, lines (index, tco2e, activity_gj when known, factors, formula, source, and more),
    plus period, factor_library, factors_used and warnings. Values that cannot be computed
    (no added value: no intensity, K, grade or band; no industry average: no K or grade) are null.
    """
    if not isinstance(data, dict):
        raise CalculationError("input must be a JSON object")
    period = data.get("period")
    if not isinstance(period, dict):
        raise CalculationError('period is required: {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}')
    start = as_date(period.get("start"), "period.start")
    end = as_date(period.get("end"), "period.end")
    if start > end:
        raise CalculationError(f"period.start {start} is after period.end {end}")

    added_value = _optional_positive(data, "added_value_10k_yuan")
    industry_average = _optional_positive(data, "industry_average_intensity")
    region = data.get("region")
    if region is not None and not isinstance(region, str):
        raise CalculationError("region must be text")
    lines = parse_lines(data.get("lines"))

    result = calculate(lines, library, period_start=start, period_end=end, added_value_10k_yuan=added_value,
                       region=region)
    output = result.as_dict()
    intensity = result.intensity_tco2e_per_10k_yuan
    k = grade_number = band = None
    warnings = []
    if intensity is not None:
        if intensity < 0:
            warnings.append("net emissions are negative (exports exceed the rest): no band or grade")
        else:
            try:
                band = carbon_band(intensity)
                if industry_average is not None:
                    k = efficiency_value(intensity, industry_average)
                    grade_number = grade(k)
            except GradingError as error:  # pragma: no cover - inputs are checked above
                raise CalculationError(str(error)) from None
    elif industry_average is not None:
        warnings.append("industry_average_intensity given without added_value_10k_yuan: no intensity, K or grade")

    return {
        "total_tco2e": output["total_tco2e"],
        "by_category": output["by_category"],
        "energy_tce": output["energy_tce"],
        "energy_related_tco2e": output["energy_related_tco2e"],
        "intensity_tco2e_per_10k_yuan": output["intensity_tco2e_per_10k_yuan"],
        "efficiency_value_k": format_decimal(k),
        "grade": grade_number,
        "band": band,
        "lines": output["lines"],
        "period": output["period"],
        "added_value_10k_yuan": output["added_value_10k_yuan"],
        "industry_average_intensity": None if industry_average is None else str(industry_average),
        "region": output["region"],
        "factor_year": output["factor_year"],
        "factor_library": output["factor_library"],
        "factors_used": output["factors_used"],
        "warnings": warnings,
    }


def _optional_positive(data: dict, key: str):
    value = data.get(key)
    if value in (None, ""):
        return None
    number = to_decimal(value, key)
    if number <= 0:
        raise CalculationError(f"{key} must be positive")
    return number
