"""Properties of the engine (Hypothesis): totals are sums of lines, and results scale with quantities.

Line results are carried to 1e-20 t internally (decimals.INTERNAL_QUANTUM), so sums are exact.
Scaling is exact for lines without a true division (electricity, heat, process: quantity × factor);
fuel lines divide by 12 (44/12), so their scaling is exact to within the 1e-20 carrying quantum.
"""

from datetime import date
from decimal import Decimal as D
from decimal import localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from inventories.calculation import CALC_CONTEXT, calculate, load_default_library

LIBRARY = load_default_library()
PERIOD = {"period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31)}

quantities = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
factors = st.decimals(min_value=0, max_value=10, places=4, allow_nan=False, allow_infinity=False)
scales = st.decimals(min_value=D("0.001"), max_value=1000, places=3, allow_nan=False, allow_infinity=False)

FUEL_UNITS = {fuel: ["t", "kg"] for fuel in LIBRARY.fuels()}
FUEL_UNITS["natural_gas"] = ["m3", "10^4 Nm3", "Nm3"]
FUEL_UNITS["diesel"] += ["L"]
FUEL_UNITS["gasoline"] += ["L"]


@st.composite
def fuel_lines(draw):
    fuel = draw(st.sampled_from(sorted(FUEL_UNITS)))
    line = {"category": "fuel_combustion", "fuel": fuel, "quantity": str(draw(quantities)),
            "unit": draw(st.sampled_from(FUEL_UNITS[fuel]))}
    if draw(st.booleans()):
        line.update(ncv=str(draw(factors) + 1), ncv_unit="GJ/t" if fuel != "natural_gas" else "GJ/10^4 Nm3")
    if draw(st.booleans()):
        line.update(oxidation_rate=str(draw(st.decimals(min_value=D("0.5"), max_value=1, places=2))))
    return line


@st.composite
def multiplicative_lines(draw):
    """Lines whose result is quantity × factor(s), with no division."""
    kind = draw(st.sampled_from(["process", "purchased_electricity", "exported_electricity", "purchased_heat",
                                 "exported_heat"]))
    quantity = str(draw(quantities))
    if kind == "process":
        unit, factor_unit = draw(st.sampled_from([("t", "tCO2/t"), ("kg", "tCO2/t"), ("t", "kgCO2/kg"),
                                                  ("head", "tCO2/head")]))
        return {"category": kind, "quantity": quantity, "unit": unit, "emission_factor": str(draw(factors)),
                "emission_factor_unit": factor_unit}
    if "electricity" in kind:
        line = {"category": kind, "quantity": quantity, "unit": draw(st.sampled_from(["kWh", "MWh", "GWh"]))}
        if draw(st.booleans()):
            line.update(emission_factor=str(draw(factors)), emission_factor_unit="tCO2/MWh")
        return line
    return {"category": kind, "quantity": quantity, "unit": draw(st.sampled_from(["GJ", "MJ", "TJ"]))}


any_lines = st.lists(st.one_of(fuel_lines(), multiplicative_lines()), min_size=1, max_size=8)


def scaled(lines, factor):
    return [{**line, "quantity": str(D(line["quantity"]) * factor)} for line in lines]


@settings(deadline=None, max_examples=150)
@given(any_lines)
def test_total_is_the_signed_sum_of_lines_and_of_categories(lines):
    result = calculate(lines, LIBRARY, **PERIOD)
    with localcontext(CALC_CONTEXT):
        signed = [line.tco2e if line.sign > 0 else -line.tco2e for line in result.lines]
        assert result.total_tco2e == sum(signed)
        assert result.total_tco2e == sum(result.by_category.values())
        for category, value in result.by_category.items():
            assert value == sum(s for s, line in zip(signed, result.lines, strict=True) if line.category == category)
        assert result.energy_tce == sum(line.energy_tce * line.sign for line in result.lines)
    for line, data in zip(result.lines, lines, strict=True):
        assert line.tco2e >= 0 and line.energy_tce >= 0
        assert line.sign == (-1 if data["category"].startswith("exported") else 1)


@settings(deadline=None, max_examples=150)
@given(st.lists(multiplicative_lines(), min_size=1, max_size=8), scales)
def test_scaling_quantities_scales_the_total_exactly(lines, factor):
    base = calculate(lines, LIBRARY, **PERIOD)
    bigger = calculate(scaled(lines, factor), LIBRARY, **PERIOD)
    with localcontext(CALC_CONTEXT):
        assert bigger.total_tco2e == base.total_tco2e * factor
        assert bigger.energy_tce == base.energy_tce * factor
        for category in base.by_category:
            assert bigger.by_category[category] == base.by_category[category] * factor


@settings(deadline=None, max_examples=150)
@given(any_lines, scales)
def test_scaling_quantities_scales_the_total_with_fuel_lines(lines, factor):
    base = calculate(lines, LIBRARY, **PERIOD)
    bigger = calculate(scaled(lines, factor), LIBRARY, **PERIOD)
    # each line is carried to 1e-20: at most half a quantum off before scaling, half after
    bound = len(lines) * (factor + 1) * D("0.5e-20")
    with localcontext(CALC_CONTEXT):
        assert abs(bigger.total_tco2e - base.total_tco2e * factor) <= bound
        assert abs(bigger.energy_tce - base.energy_tce * factor) <= bound
