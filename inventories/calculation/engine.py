"""The inventory calculation (GB/T 32150-2015):

    E = E_combustion + E_process + E_purchased_electricity + E_purchased_heat
        - E_exported_electricity - E_exported_heat

with the comprehensive energy consumption (GB/T 2589-2020, exported energy subtracted) and the
carbon intensity of the carbon-efficiency grading (docs/reference.md, DB33/T 1347-2023):
L = energy-related CO2 / added value (tCO2 per 10^4 yuan), where energy-related CO2 is the total
less process emissions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, localcontext

from .combustion import fuel_combustion
from .context import CalcContext
from .decimals import CALC_CONTEXT, to_decimal
from .errors import CalculationError, line_error
from .library import FactorLibrary
from .lines import (
    CATEGORIES,
    EXPORTED_ELECTRICITY,
    EXPORTED_HEAT,
    FUEL_COMBUSTION,
    PROCESS,
    PURCHASED_ELECTRICITY,
    PURCHASED_HEAT,
    ActivityLine,
    parse_lines,
)
from .process import process_line
from .purchased import energy_line
from .results import InventoryResult

CALCULATORS = {
    FUEL_COMBUSTION: fuel_combustion,
    PROCESS: process_line,
    PURCHASED_ELECTRICITY: energy_line,
    PURCHASED_HEAT: energy_line,
    EXPORTED_ELECTRICITY: energy_line,
    EXPORTED_HEAT: energy_line,
}


def _calculate_line(line: ActivityLine, ctx: CalcContext):
    try:
        return CALCULATORS[line.category](line, ctx)
    except CalculationError:
        raise
    except ArithmeticError as error:  # decimal traps: a number far outside any real inventory
        raise line_error(line.index, f"cannot calculate ({type(error).__name__})") from None


def as_date(value, what: str) -> date:
    """A date, or an ISO ``YYYY-MM-DD`` string; CalculationError otherwise."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalculationError(f"{what} {value!r} is not a date (YYYY-MM-DD)")


def calculate(
    lines: Iterable[ActivityLine | dict],
    library: FactorLibrary,
    *,
    period_start: date,
    period_end: date,
    added_value_10k_yuan: Decimal | None = None,
    region: str | None = None,
) -> InventoryResult:
    """Calculate an inventory. ``lines`` are ``ActivityLine`` objects or docs/interfaces.md §3 line dicts.

    Factors missing from a line come from ``library``, chosen for the year the period starts in
    and for ``region`` where the library has regional values. Raises CalculationError.
    """
    period_start = as_date(period_start, "period start")
    period_end = as_date(period_end, "period end")
    if period_start > period_end:
        raise CalculationError(f"period start {period_start} is after period end {period_end}")
    if added_value_10k_yuan is not None:
        added_value_10k_yuan = to_decimal(added_value_10k_yuan, "added_value_10k_yuan")
        if added_value_10k_yuan <= 0:
            raise CalculationError("added_value_10k_yuan must be positive")
    parsed = parse_lines(list(lines))

    with localcontext(CALC_CONTEXT):
        ctx = CalcContext(library, period_start, period_end, region=(region or "").strip())
        results = tuple(_calculate_line(line, ctx) for line in parsed)
        by_category = {category: Decimal(0) for category in CATEGORIES}
        for result in results:
            by_category[result.category] += result.contribution_tco2e
        total = sum((result.contribution_tco2e for result in results), Decimal(0))
        energy = sum((result.contribution_tce for result in results), Decimal(0))
        energy_related = total - by_category[PROCESS]
        intensity = energy_related / added_value_10k_yuan if added_value_10k_yuan is not None else None

    return InventoryResult(
        total_tco2e=total,
        by_category=by_category,
        energy_tce=energy,
        energy_related_tco2e=energy_related,
        intensity_tco2e_per_10k_yuan=intensity,
        lines=results,
        factors_used=ctx.factors_used(),
        period_start=period_start,
        period_end=period_end,
        added_value_10k_yuan=added_value_10k_yuan,
        region=ctx.region,
        factor_year=ctx.year,
        library={"code": library.code, "version": library.version},
    )
