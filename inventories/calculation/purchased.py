"""Purchased and exported electricity and heat.

    electricity: E = AD (MWh) × EF (tCO2/MWh); energy = AD × 0.1229 kgce/kWh (equivalent value)
    heat:        E = AD (GJ) × EF (tCO2/GJ, default 0.11); energy = AD × 0.03412 kgce/MJ

Without an emission factor on the line, the library's is used: for electricity the national
average grid factor of the most recent data year <= the period's year (or of the region, when
the line or the inventory names one the library has).
"""

from __future__ import annotations

from .context import CalcContext, resolve_factor
from .decimals import format_decimal, internal, plain, short
from .errors import line_error
from .lines import ELECTRICITY, ActivityLine
from .results import LineResult
from .trace import LineTrace
from .units import UnitError, convert, parse_unit


def energy_line(line: ActivityLine, ctx: CalcContext) -> LineResult:
    """A purchased_/exported_ electricity or heat line."""
    index = line.index
    electricity = line.category in ELECTRICITY
    subject, base = ("electricity", "MWh") if electricity else ("heat", "GJ")
    families = ("Wh",) if electricity else ("Wh", "J")
    cannot = f"cannot convert unit {line.unit!r} for {line.category}"
    try:
        unit = parse_unit(line.unit)
    except UnitError:
        raise line_error(index, cannot) from None
    if unit.dimension != ("energy", None) or unit.numerator.family not in families:
        raise line_error(index, cannot)

    trace = LineTrace(ctx.library)
    ad = convert(line.quantity, unit, base)
    if unit.symbol != base:
        trace.conversions.append(f"{plain(line.quantity)} {unit.symbol} = {short(ad)} {base}")

    ef = resolve_factor(
        ctx, trace, index, name="emission_factor", line_value=line.emission_factor,
        line_unit_text=line.emission_factor_unit, default_unit=f"tCO2/{base}", target_unit=f"tCO2/{base}",
        subject=subject, programme=line.programme, region=line.region or ctx.region,
    )
    tco2 = internal(ad * ef)
    formula = f"E = AD × EF = {short(ad)} {base} × {short(ef)} tCO2/{base} = {format_decimal(tco2)} tCO2"
    if line.sign < 0:
        formula += " (exported: subtracted from the total)"

    equivalent = resolve_factor(
        ctx, trace, index, name="energy_equivalent", line_value=None, line_unit_text="", default_unit=None,
        target_unit=f"tce/{base}", subject=subject,
    )
    tce = internal(ad * equivalent)
    shown = trace.factors["energy_equivalent"]
    energy_formula = (
        f"Energy = AD × {shown['value']} {shown['unit']} = {short(ad)} {base} × {short(equivalent)} tce/{base} "
        f"= {format_decimal(tce)} tce"
    )
    if line.sign < 0:
        energy_formula += " (exported: subtracted)"
    return LineResult(
        index=index,
        category=line.category,
        tco2e=tco2,
        activity_gj=None if electricity else internal(ad),
        energy_tce=tce,
        factors=trace.factors,
        formula=formula,
        source=trace.source(),
        conversions=tuple(trace.conversions),
        sign=line.sign,
        energy_formula=energy_formula,
        activity=f"{short(ad)} {base}",
        description=line.description,
    )
