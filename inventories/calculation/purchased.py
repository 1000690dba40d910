"""Purchased and exported electricity and heat.

    electricity: E = AD (MWh) × EF (tCO2/MWh); energy = AD × 0.1229 kgce/kWh (equivalent value)
    heat:        E = AD (GJ) × EF (tCO2/GJ, default 0.11); energy = AD × 0.03412 kgce/MJ

Without an emission factor on the line, the library's is used: for electricity the national
average grid factor of the most recent data year <= the period's year (or of the region, when
the line or the inventory names one the library has).
"""

from __future__ import annotations

from collections.abc import Callable

from .context import CalcContext, resolve_factor
from .decimals import format_decimal, internal, plain, short
from .errors import line_error
from .lines import ELECTRICITY, ActivityLine
from .results import LineResult
from .trace import LineTrace
from .units import UnitError, convert, parse_unit


def energy_line(line: ActivityLine, ctx: CalcContext) -> LineResult:
    """A purchased_/exported_ electricity or heat line."""
    return ctx.plan(line, _plan)(line)


def _plan(line: ActivityLine, ctx: CalcContext) -> Callable[[ActivityLine], LineResult]:
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
    ef = resolve_factor(
        ctx, trace, index, name="emission_factor", line_value=line.emission_factor,
        line_unit_text=line.emission_factor_unit, default_unit=f"tCO2/{base}", target_unit=f"tCO2/{base}",
        subject=subject, programme=line.programme, region=line.region or ctx.region,
    )
    equivalent = resolve_factor(
        ctx, trace, index, name="energy_equivalent", line_value=None, line_unit_text="", default_unit=None,
        target_unit=f"tce/{base}", subject=subject,
    )
    shown = trace.factors["energy_equivalent"]
    ef_text = f"{short(ef)} tCO2/{base}"
    equivalent_text = f"{shown['value']} {shown['unit']}"
    exported = " (exported: subtracted from the total)" if line.sign < 0 else ""
    energy_exported = " (exported: subtracted)" if line.sign < 0 else ""
    factors, source = ctx.shared_factors(trace.factors), trace.source()
    notes = tuple(trace.conversions)  # the activity data's conversion, if any, comes first

    def calculate_line(line: ActivityLine) -> LineResult:
        ad = convert(line.quantity, unit, base)
        ad_text = short(ad)
        steps = (f"{plain(line.quantity)} {unit.symbol} = {ad_text} {base}",) if unit.symbol != base else ()
        tco2 = internal(ad * ef)
        tce = internal(ad * equivalent)
        return LineResult(
            index=line.index,
            category=line.category,
            tco2e=tco2,
            activity_gj=None if electricity else internal(ad),
            energy_tce=tce,
            factors=factors,
            formula=f"E = AD × EF = {ad_text} {base} × {ef_text} = {format_decimal(tco2)} tCO2{exported}",
            source=source,
            conversions=steps + notes,
            sign=line.sign,
            energy_formula=(f"Energy = AD × {equivalent_text} = {ad_text} {base} × {short(equivalent)} tce/{base} "
                            f"= {format_decimal(tce)} tce{energy_exported}"),
            activity=f"{ad_text} {base}",
            description=line.description,
        )

    return calculate_line
