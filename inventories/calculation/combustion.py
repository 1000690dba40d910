"""Fuel combustion (GB/T 32151 series) and the energy of fuels (GB/T 2589-2020).

    AD = FC × NCV                 GJ
    EF = CC × OF × 44/12          tCO2/GJ   (CC in tC/GJ)
    E  = AD × EF                  tCO2
    energy = FC × standard coal coefficient   tce, or AD / 29.3076 GJ/tce when the line gives a measured NCV

The line may override NCV, CC, OF, the density or the standard coal coefficient, or give the
emission factor directly, per energy (tCO2/GJ) or per quantity (tCO2/t, tCO2/10^4 Nm3). A quantity
given in energy units (GJ, MJ, TJ) is the activity data itself.

Everything but the quantity (units, density, factors, the trace of their sources) is worked out
once per line shape (``CalcContext.plan``); each line then only converts, multiplies and formats.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .context import CalcContext, line_unit, resolve_factor
from .decimals import format_decimal, internal, plain, short
from .errors import line_error
from .lines import ActivityLine
from .results import LineResult
from .trace import LineTrace
from .units import Density, Unit, UnitError, convert, parse_unit, to_base_quantity

GJ_PER_TCE = Decimal("29.3076")  # GB/T 2589-2020: 1 kgce = 29.3076 MJ
GJ_PER_TCE_SOURCE = "GB/T 2589-2020: 1 kgce = 29.3076 MJ"
MASS_OR_VOLUME = {("mass", None), ("volume", None)}


def fuel_combustion(line: ActivityLine, ctx: CalcContext) -> LineResult:
    return ctx.plan(line, _plan)(line)


def _plan(line: ActivityLine, ctx: CalcContext) -> Callable[[ActivityLine], LineResult]:
    index, library = line.index, ctx.library
    subject = library.subject(line.fuel)
    if subject is None or subject.kind != "fuel":
        raise line_error(index, f"unknown fuel {line.fuel!r}")
    base = parse_unit(subject.base_unit)
    trace = LineTrace(library)
    cannot = f"cannot convert unit {line.unit!r} for fuel_combustion of {line.fuel}"
    try:
        unit = parse_unit(line.unit)
    except UnitError:
        raise line_error(index, cannot) from None

    # -- the quantity: FC in the fuel's base unit, or AD directly when given as energy -----------------
    # Each line's own conversion steps go at position `steps_at` of the shape's conversions.
    density = None
    energy_input = unit.dimension == ("energy", None) and unit.numerator.family == "J"
    if energy_input:
        steps_at = 0
        quantity = _energy_quantity(unit)
        trace.conversions.append("quantity given as energy: it is the activity data AD, no NCV needed")
        if line.ncv is not None:
            trace.conversions.append("ncv given on the line is not used (the quantity is already energy)")
    elif unit.dimension in MASS_OR_VOLUME:
        if unit.dimension != base.dimension:
            density = _density(line, ctx, trace, base)
            if density is None:
                raise line_error(index, f"{cannot} (no density: give density and density_unit on the line)")
        steps_at = len(trace.conversions)
        quantity = _fuel_quantity(unit, base, density)
        try:
            quantity(line.quantity)
        except UnitError:
            raise line_error(index, cannot) from None
        if line.density is not None and density is None:
            trace.conversions.append("density given on the line is not needed (no mass/volume conversion)")
    else:
        raise line_error(index, cannot)

    # -- NCV and the activity data ----------------------------------------------------------------------
    ncv = None
    if not energy_input:
        ncv = resolve_factor(
            ctx, trace, index, name="ncv", line_value=line.ncv, line_unit_text=line.ncv_unit,
            default_unit=f"GJ/{base.symbol}", target_unit=f"GJ/{base.symbol}", subject=subject.code,
        )
    ncv_text = f"{short(ncv)} GJ/{base.symbol}" if ncv is not None else ""

    # -- emissions and energy -----------------------------------------------------------------------------
    if line.emission_factor is not None:
        emissions = _with_emission_factor(line, ctx, trace, base, energy_input, ncv_text, density)
    else:
        emissions = _with_carbon_content(line, ctx, trace, subject.code, energy_input, ncv_text)
    energy = _energy(line, ctx, trace, base, energy_input)

    factors, source = ctx.shared_factors(trace.factors), trace.source()
    before, after = tuple(trace.conversions[:steps_at]), tuple(trace.conversions[steps_at:])

    def calculate_line(line: ActivityLine) -> LineResult:
        fc, ad, steps = quantity(line.quantity)
        fc_text = f"{short(fc)} {base.symbol}" if fc is not None else ""
        if ncv is not None:
            ad = fc * ncv
        tco2, formula = emissions(fc, fc_text, ad)
        tce, energy_formula = energy(fc, fc_text, ad)
        return LineResult(
            index=line.index,
            category=line.category,
            tco2e=tco2,
            activity_gj=internal(ad),
            energy_tce=tce,
            factors=factors,
            formula=formula,
            source=source,
            conversions=before + steps + after,
            sign=line.sign,
            energy_formula=energy_formula,
            activity=fc_text or f"{short(ad)} GJ",
            fuel=line.fuel,
            description=line.description,
        )

    return calculate_line


def _energy_quantity(unit: Unit):
    """A quantity given in energy units is the activity data AD in GJ: (None, AD, steps)."""
    def quantity(value: Decimal) -> tuple[None, Decimal, tuple[str, ...]]:
        ad = convert(value, unit, "GJ")
        steps = (f"{plain(value)} {unit.symbol} = {plain(ad)} GJ",) if unit.symbol != "GJ" else ()
        return None, ad, steps
    return quantity


def _fuel_quantity(unit: Unit, base: Unit, density: Density | None):
    """A quantity of fuel as FC in the fuel's base unit: (FC, None, steps)."""
    gas = base.dimension == ("volume", None)

    def quantity(value: Decimal) -> tuple[Decimal, None, tuple[str, ...]]:
        fc, steps = to_base_quantity(value, unit, base, density, gas=gas)
        return fc, None, tuple(steps)
    return quantity


def _density(line: ActivityLine, ctx: CalcContext, trace: LineTrace, base: Unit) -> Density | None:
    """The line's density, else the library default for the fuel, else None."""
    index = line.index
    if line.density is not None:
        unit_text = line.density_unit or "kg/L"
        if not line.density_unit:
            trace.conversions.append("density_unit not given; kg/L assumed")
        unit = line_unit(index, unit_text, "density")
        if unit.dimension != ("mass", "volume"):
            raise line_error(index, f"density unit {unit_text!r} is not a mass per volume (kg/L, t/m3)")
        trace.from_line("density", line.density, unit_text, line.density, unit_text)
        return Density(line.density, unit, "line")
    if not ctx.library_has(line.fuel, "density"):
        return None
    selection = ctx.select(index, line.fuel, "density")
    factor = selection.factor
    trace.from_library("density", selection, factor.value, factor.unit)
    return Density(factor.value, parse_unit(factor.unit), "library default")


def _with_carbon_content(line, ctx, trace, subject, energy_input, ncv_text):
    """E = AD × CC × OF × 44/12, CC and OF from the line or the library."""
    index = line.index
    cc = resolve_factor(
        ctx, trace, index, name="carbon_content", line_value=line.carbon_content,
        line_unit_text=line.carbon_content_unit, default_unit="tC/TJ", target_unit="tC/GJ", subject=subject,
    )
    of = resolve_factor(
        ctx, trace, index, name="oxidation_rate", line_value=line.oxidation_rate,
        line_unit_text=line.oxidation_rate_unit, default_unit="fraction", target_unit="fraction", subject=subject,
    )
    if of > 1:
        raise line_error(index, "oxidation_rate must not exceed 1 (100%)")
    trace.derived("emission_factor", cc * of * 44 / 12, "tCO2/GJ", "EF = CC × OF × 44/12")
    factors_text = f"{short(cc)} tC/GJ × {short(of)} × 44/12"

    def emissions(fc, fc_text, ad):
        tco2 = internal(ad * cc * of * 44 / 12)
        if energy_input:
            formula = f"E = AD × CC × OF × 44/12 = {short(ad)} GJ × {factors_text}"
        else:
            formula = f"E = FC × NCV × CC × OF × 44/12 = {fc_text} × {ncv_text} × {factors_text}"
        return tco2, f"{formula} = {format_decimal(tco2)} tCO2"
    return emissions


def _with_emission_factor(line, ctx, trace, base, energy_input, ncv_text, density):
    """E from an emission factor given on the line, per energy or per quantity of fuel."""
    index = line.index
    if not line.emission_factor_unit:
        raise line_error(index, "emission_factor_unit is required with emission_factor on fuel_combustion "
                                "(e.g. tCO2/t or tCO2/GJ)")
    unit = line_unit(index, line.emission_factor_unit, "emission_factor")
    per = unit.denominator.dimension if unit.denominator else None
    if unit.numerator.dimension != "co2" or per not in ("energy", "mass", "volume"):
        raise line_error(index, f"emission_factor unit {line.emission_factor_unit!r} is not CO2 per energy or "
                                "per quantity of fuel")
    ef = line.emission_factor
    if per == "energy":
        ef_gj = convert(ef, unit, "tCO2/GJ")
        trace.from_line("emission_factor", ef, line.emission_factor_unit, ef_gj, "tCO2/GJ")
        ef_text = f"{short(ef_gj)} tCO2/GJ"

        def per_energy(fc, fc_text, ad):
            tco2 = internal(ad * ef_gj)
            if fc is None:
                formula = f"E = AD × EF = {short(ad)} GJ × {ef_text}"
            else:
                formula = f"E = FC × NCV × EF = {fc_text} × {ncv_text} × {ef_text}"
            return tco2, f"{formula} = {format_decimal(tco2)} tCO2"
        return per_energy
    if energy_input:
        raise line_error(index, f"cannot apply emission_factor in {line.emission_factor_unit!r} to a quantity "
                                f"in {line.unit!r}")
    per_unit = Unit(unit.denominator.symbol, unit.denominator)
    if per_unit.dimension != base.dimension and density is None:
        density = _density(line, ctx, trace, base)
    try:
        base_per_unit, steps = to_base_quantity(Decimal(1), per_unit, base, density)
    except UnitError:
        raise line_error(index, f"cannot apply emission_factor in {line.emission_factor_unit!r} to "
                                f"{line.fuel} in {base.symbol}") from None
    trace.conversions.extend(f"emission factor: {step}" for step in steps)
    ef_tco2 = convert(ef, unit.numerator.symbol, "tCO2")
    ef_base = ef_tco2 / base_per_unit
    trace.from_line("emission_factor", ef, line.emission_factor_unit, ef_base, f"tCO2/{base.symbol}")
    ef_text = f"{short(ef_base)} tCO2/{base.symbol}"

    def per_quantity(fc, fc_text, ad):
        tco2 = internal(fc * ef_base)
        return tco2, f"E = FC × EF = {fc_text} × {ef_text} = {format_decimal(tco2)} tCO2"
    return per_quantity


def _energy(line, ctx, trace, base, energy_input):
    """Comprehensive energy consumption of the line in tce (GB/T 2589-2020)."""
    index = line.index
    if line.standard_coal is not None and energy_input:
        trace.conversions.append("standard_coal given on the line is not used (the quantity is already energy)")
    if line.standard_coal is not None and not energy_input:
        coefficient = resolve_factor(
            ctx, trace, index, name="standard_coal", line_value=line.standard_coal,
            line_unit_text=line.standard_coal_unit, default_unit=f"tce/{base.symbol}",
            target_unit=f"tce/{base.symbol}", subject=line.fuel,
        )
        return _from_coefficient(coefficient, base, "standard coal coefficient (line)")
    if energy_input or line.ncv is not None:
        trace.constant("gj_per_tce", GJ_PER_TCE, "GJ/tce", GJ_PER_TCE_SOURCE)
        why = "quantity given as energy" if energy_input else "measured NCV given on the line"

        def from_energy(fc, fc_text, ad):
            tce = internal(ad / GJ_PER_TCE)
            return tce, (f"Energy = AD / 29.3076 GJ/tce ({why}) = {short(ad)} GJ / 29.3076 GJ/tce "
                         f"= {format_decimal(tce)} tce")
        return from_energy
    coefficient = resolve_factor(
        ctx, trace, index, name="standard_coal", line_value=None, line_unit_text="", default_unit=None,
        target_unit=f"tce/{base.symbol}", subject=line.fuel,
    )
    return _from_coefficient(coefficient, base, "standard coal coefficient")


def _from_coefficient(coefficient: Decimal, base: Unit, name: str):
    """Energy = FC × a standard coal coefficient in tce per base unit."""
    coefficient_text = f"{short(coefficient)} tce/{base.symbol}"

    def energy(fc, fc_text, ad):
        tce = internal(fc * coefficient)
        return tce, f"Energy = FC × {name} = {fc_text} × {coefficient_text} = {format_decimal(tce)} tce"
    return energy
