"""Process emissions: E = AD × EF, the emission factor given on the line (e.g. carbonate decomposition).

The quantity may be in any unit; the factor's denominator must be the same unit or one it converts
to (``t`` with ``kgCO2/kg``). Process lines have no energy consumption.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .context import CalcContext, line_unit
from .decimals import format_decimal, internal, plain, short
from .errors import line_error
from .lines import ActivityLine
from .results import LineResult
from .trace import LineTrace
from .units import UnitError, conversion_factor, convert, is_known_unit, same_unit_text


def process_line(line: ActivityLine, ctx: CalcContext) -> LineResult:
    return ctx.plan(line, _plan)(line)


def _plan(line: ActivityLine, ctx: CalcContext) -> Callable[[ActivityLine], LineResult]:
    index = line.index
    trace = LineTrace(ctx.library)
    ef_unit_text = line.emission_factor_unit
    if not ef_unit_text:
        ef_unit_text = f"tCO2/{line.unit}"
        trace.conversions.append(f"emission_factor_unit not given; {ef_unit_text} assumed")
    numerator_text, slash, per_text = ef_unit_text.partition("/")
    numerator = line_unit(index, numerator_text, "emission_factor")
    if not slash or not per_text.strip() or numerator.dimension != ("co2", None):
        raise line_error(index, f"emission_factor unit {ef_unit_text!r} is not CO2 per unit of activity "
                                "(e.g. tCO2/t)")
    per_text = per_text.strip()

    steps_at = len(trace.conversions)
    if same_unit_text(line.unit, per_text):
        convert_activity = None
    elif is_known_unit(line.unit) and is_known_unit(per_text):
        try:
            conversion_factor(line.unit, per_text)
        except UnitError:
            raise line_error(index, f"cannot convert unit {line.unit!r} for process "
                                    f"(the emission factor is per {per_text})") from None
        convert_activity = line.unit
    else:
        raise line_error(index, f"cannot convert unit {line.unit!r} for process "
                                f"(the emission factor is per {per_text})")

    ef = convert(line.emission_factor, numerator, "tCO2")
    trace.from_line("emission_factor", line.emission_factor, ef_unit_text, ef, f"tCO2/{per_text}")
    ef_text = f"{short(ef)} tCO2/{per_text}"
    factors, source = ctx.shared_factors(trace.factors), trace.source()
    before, after = tuple(trace.conversions[:steps_at]), tuple(trace.conversions[steps_at:])

    def calculate_line(line: ActivityLine) -> LineResult:
        if convert_activity is None:
            activity, steps = line.quantity, ()
        else:
            activity = convert(line.quantity, convert_activity, per_text)
            steps = (f"{plain(line.quantity)} {line.unit} = {short(activity)} {per_text}",)
        tco2 = internal(activity * ef)
        return LineResult(
            index=line.index,
            category=line.category,
            tco2e=tco2,
            activity_gj=None,
            energy_tce=Decimal(0),
            factors=factors,
            formula=f"E = AD × EF = {short(activity)} {per_text} × {ef_text} = {format_decimal(tco2)} tCO2",
            source=source,
            conversions=before + steps + after,
            sign=line.sign,
            energy_formula="process line: no energy consumption",
            activity=f"{short(activity)} {per_text}",
            description=line.description,
        )

    return calculate_line
