"""inventories.calculation.engine: every formula and default of docs/reference.md, worked by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from inventories.calculation import CATEGORIES, CalculationError, calculate, load_default_library

from .test_calculation_library import FUEL_TABLE

TOLERANCE = D("1e-12")  # only for results with a true division (44/12, /29.3076); all else is compared exactly


@pytest.fixture(scope="module")
def library():
    return load_default_library()


def calc(library, *lines, year=2025, **options):
    return calculate(list(lines), library, period_start=date(year, 1, 1), period_end=date(year, 12, 31), **options)


def one(library, line, **options):
    return calc(library, line, **options).lines[0]


def close(actual, expected):
    return abs(actual - expected) <= TOLERANCE


# -- fuel combustion: AD = FC × NCV; EF = CC × OF × 44/12; E = AD × EF -----------------------------------


@pytest.mark.parametrize("fuel", FUEL_TABLE)
def test_each_default_fuel_gives_the_printed_co2_factor_and_standard_coal(library, fuel):
    ncv, base_unit, cc, of, printed, standard_coal = FUEL_TABLE[fuel]
    base_unit = base_unit.removeprefix("GJ/")
    result = one(library, {"category": "fuel_combustion", "fuel": fuel, "quantity": "1", "unit": base_unit})
    assert result.activity_gj == D(ncv)  # AD = 1 × NCV
    assert close(result.tco2e, D(ncv) * D(cc) / 1000 * D(of) * 44 / 12)
    assert result.tco2e.quantize(D(printed)) == D(printed)
    assert result.energy_tce == D(standard_coal)  # 1 × standard coal coefficient
    assert result.factors["ncv"]["origin"] == "library"
    assert result.factors["emission_factor"]["origin"] == "derived"


def test_raw_coal_by_hand(library):
    result = one(library, {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1000", "unit": "t"})
    # AD = 1000 t × 20.908 GJ/t = 20908 GJ
    assert result.activity_gj == D("20908")
    # E = 20908 GJ × 0.02637 tC/GJ × 0.94 × 44/12 = 1900.2988488 tCO2 (exact: 20908 × 0.02637 × 0.94 × 44 = 22803.58...)
    assert result.tco2e == D("20908") * D("0.02637") * D("0.94") * 44 / 12 == D("1900.2988488")
    # energy = 1000 t × 0.7143 tce/t
    assert result.energy_tce == D("714.3")
    assert result.formula == ("E = FC × NCV × CC × OF × 44/12 = 1000 t × 20.908 GJ/t × 0.02637 tC/GJ × 0.94 × 44/12 "
                              "= 1900.298849 tCO2")
    assert result.energy_formula == "Energy = FC × standard coal coefficient = 1000 t × 0.7143 tce/t = 714.300000 tce"


def test_natural_gas_in_m3_is_converted_to_10k_nm3(library):
    result = one(library, {"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "350000", "unit": "m3"})
    # FC = 350000 m3 / 10^4 = 35 ×10^4 Nm3; AD = 35 × 389.31 = 13625.85 GJ
    assert result.activity_gj == D("13625.85")
    # E = 13625.85 × 0.0153 × 0.99 × 44/12 = 756.76608315 (= 35 × 21.6218880... ≈ 35 × 21.622)
    assert result.tco2e == D("13625.85") * D("0.0153") * D("0.99") * 44 / 12 == D("756.76608315")
    assert abs(result.tco2e - 35 * D("21.622")) < D("0.01")
    # energy = 35 × 13.300 tce
    assert result.energy_tce == D("465.5")
    assert result.conversions == ("350000 m3 = 35 10^4 Nm3 (m3 read as normal cubic metres, Nm3)",)


def test_line_overrides_ncv_carbon_content_and_oxidation_rate(library):
    result = one(library, {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1200", "unit": "t",
                           "ncv": "21.5", "ncv_unit": "GJ/t", "carbon_content": "26.0",
                           "carbon_content_unit": "tC/TJ", "oxidation_rate": "0.93"})
    # AD = 1200 × 21.5 = 25800 GJ; E = 25800 × 0.026 × 0.93 × 44/12 = 623.844 × 44/12 = 2287.428
    assert result.activity_gj == D("25800")
    assert result.tco2e == D("2287.428")
    assert result.formula == ("E = FC × NCV × CC × OF × 44/12 = 1200 t × 21.5 GJ/t × 0.026 tC/GJ × 0.93 × 44/12 "
                              "= 2287.428000 tCO2")
    assert {name: entry["origin"] for name, entry in result.factors.items()} == {
        "ncv": "line", "carbon_content": "line", "oxidation_rate": "line", "emission_factor": "derived",
        "gj_per_tce": "constant"}
    assert result.factors["carbon_content"] == {"value": "26", "unit": "tC/TJ", "origin": "line",
                                                "source": "line input", "value_used": "0.026", "unit_used": "tC/GJ"}
    # measured NCV given: energy = AD / 29.3076 GJ/tce, and the trace says so
    assert close(result.energy_tce, D("25800") / D("29.3076"))
    assert "measured NCV given on the line" in result.energy_formula
    assert result.source == "line: ncv, carbon_content, oxidation_rate"


def test_override_units_are_converted(library):
    result = one(library, {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1000", "unit": "kg",
                           "ncv": "20908", "ncv_unit": "kJ/kg", "carbon_content": "0.02637",
                           "carbon_content_unit": "tC/GJ", "oxidation_rate": "94", "oxidation_rate_unit": "%"})
    # 1000 kg = 1 t; 20908 kJ/kg = 20.908 GJ/t; 94 % = 0.94
    assert result.tco2e == D("20.908") * D("0.02637") * D("0.94") * 44 / 12
    assert "1000 kg = 1 t" in result.conversions


def test_emission_factor_on_the_line_per_quantity_or_per_energy(library):
    per_tonne = one(library, {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1000", "unit": "t",
                              "emission_factor": "1.9", "emission_factor_unit": "tCO2/t"})
    assert per_tonne.tco2e == D("1900")  # 1000 t × 1.9 tCO2/t
    assert per_tonne.activity_gj == D("20908")  # AD still reported, from the library NCV
    assert per_tonne.formula == "E = FC × EF = 1000 t × 1.9 tCO2/t = 1900.000000 tCO2"
    per_gj = one(library, {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1000", "unit": "t",
                           "emission_factor": "90", "emission_factor_unit": "kgCO2/GJ"})
    assert per_gj.tco2e == D("20908") * D("0.09")  # AD × EF = 20908 GJ × 0.09 tCO2/GJ
    per_m3 = one(library, {"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "100000",
                           "unit": "Nm3", "emission_factor": "2.1622", "emission_factor_unit": "kgCO2/m3"})
    assert per_m3.tco2e == D("216.22")  # 100000 m3 × 2.1622 kg/m3 = 216220 kg


def test_quantity_given_as_energy_is_the_activity_data(library):
    result = one(library, {"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "500", "unit": "GJ"})
    assert result.activity_gj == D("500")
    assert result.tco2e == D("500") * D("0.0153") * D("0.99") * 44 / 12 == D("27.7695")
    assert close(result.energy_tce, D("500") / D("29.3076"))
    assert "ncv" not in result.factors


def test_standard_coal_override(library):
    result = one(library, {"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "10", "unit": "10^4 Nm3",
                           "standard_coal": "1.2143", "standard_coal_unit": "kgce/m3"})
    assert result.energy_tce == D("10") * D("12.143")  # gas-field gas: 1.2143 kgce/m3 = 12.143 tce/10^4 Nm3
    assert result.factors["standard_coal"]["origin"] == "line"


# -- litres via density, never silent -----------------------------------------------------------------------


def test_diesel_in_litres_uses_the_library_density_and_records_it(library):
    result = one(library, {"category": "fuel_combustion", "fuel": "diesel", "quantity": "10000", "unit": "L"})
    # 10000 L × 0.84 kg/L = 8400 kg = 8.4 t
    assert result.conversions == ("10000 L × density 0.84 kg/L (library default) = 8.4 t",)
    assert result.factors["density"]["origin"] == "library"
    # The line names the source; the library's note (a typical value, *check*) stays in the snapshot.
    assert result.factors["density"]["source"]
    assert result.activity_gj == D("8.4") * D("42.652")
    assert close(result.tco2e, D("8.4") * D("42.652") * D("0.0202") * D("0.98") * 44 / 12)
    assert result.energy_tce == D("8.4") * D("1.4571")
    assert result.formula.startswith("E = FC × NCV × CC × OF × 44/12 = 8.4 t × 42.652 GJ/t")


def test_line_density_overrides_the_library(library):
    result = one(library, {"category": "fuel_combustion", "fuel": "gasoline", "quantity": "2000", "unit": "L",
                           "density": "740", "density_unit": "kg/m3"})
    assert result.conversions == ("2000 L × density 740 kg/m3 (line) = 1.48 t",)
    assert result.factors["density"]["origin"] == "line"
    assert result.activity_gj == D("1.48") * D("43.070")


# -- process --------------------------------------------------------------------------------------------------


def test_process_is_quantity_times_emission_factor(library):
    result = one(library, {"category": "process", "description": "limestone", "quantity": "500", "unit": "t",
                           "emission_factor": "0.405", "emission_factor_unit": "tCO2/t"})
    assert result.tco2e == D("202.5")  # 500 t × 0.405 tCO2/t
    assert (result.energy_tce, result.activity_gj) == (0, None)
    assert result.formula == "E = AD × EF = 500 t × 0.405 tCO2/t = 202.500000 tCO2"
    converted = one(library, {"category": "process", "quantity": "500000", "unit": "kg", "emission_factor": "405",
                              "emission_factor_unit": "kgCO2/t"})
    assert converted.tco2e == D("202.5")  # 500 t × 0.405 tCO2/t


# -- electricity and heat -------------------------------------------------------------------------------------


def test_purchased_electricity_with_the_factor_on_the_line(library):
    result = one(library, {"category": "purchased_electricity", "quantity": "2400000", "unit": "kWh",
                           "emission_factor": "0.5366", "emission_factor_unit": "tCO2/MWh"})
    # 2,400,000 kWh = 2400 MWh; E = 2400 × 0.5366 = 1287.84 tCO2
    assert result.tco2e == D("2400") * D("0.5366") == D("1287.84")
    # energy = 2,400,000 kWh × 0.1229 kgce/kWh = 294,960 kgce = 294.96 tce
    assert result.energy_tce == D("2400000") * D("0.1229") / 1000 == D("294.96")
    assert result.conversions == ("2400000 kWh = 2400 MWh",)
    assert result.formula == "E = AD × EF = 2400 MWh × 0.5366 tCO2/MWh = 1287.840000 tCO2"


@pytest.mark.parametrize(("year", "factor"), [(2021, "0.5568"), (2022, "0.5366"), (2023, "0.5306"), (2025, "0.5306"),
                                              (2020, "0.5568")])
def test_purchased_electricity_default_follows_the_period_year(library, year, factor):
    result = one(library, {"category": "purchased_electricity", "quantity": "1000", "unit": "MWh"}, year=year)
    assert result.tco2e == 1000 * D(factor)
    assert result.factors["emission_factor"]["origin"] == "library"
    assert result.factors["emission_factor"]["programme"] == "grid_average"


def test_electricity_region_and_programme(library):
    east = one(library, {"category": "purchased_electricity", "quantity": "1000", "unit": "MWh"}, region="CN-EAST")
    assert east.tco2e == D("550")  # 1000 MWh × 0.5500 (East China 2023)
    line_region = one(library, {"category": "purchased_electricity", "quantity": "1000", "unit": "MWh",
                                "region": "CN-SOUTHWEST"}, region="CN-EAST")
    assert line_region.tco2e == D("247.2")  # the line's region wins
    ets = one(library, {"category": "purchased_electricity", "quantity": "1000", "unit": "MWh",
                        "programme": "national_ets_power_2022"})
    assert ets.tco2e == D("570.3")
    unknown = one(library, {"category": "purchased_electricity", "quantity": "1000", "unit": "MWh"}, region="CN-ZJ")
    assert unknown.tco2e == D("530.6")
    assert "no value for region CN-ZJ" in unknown.factors["emission_factor"]["selection"]


def test_purchased_heat_default_factor(library):
    result = one(library, {"category": "purchased_heat", "quantity": "5000", "unit": "GJ"})
    assert result.tco2e == D("5000") * D("0.11") == D("550")
    assert result.activity_gj == D("5000")
    # energy = 5000 GJ = 5,000,000 MJ × 0.03412 kgce/MJ = 170,600 kgce = 170.6 tce
    assert result.energy_tce == D("5000000") * D("0.03412") / 1000 == D("170.6")
    in_mj = one(library, {"category": "purchased_heat", "quantity": "5000000", "unit": "MJ"})
    assert (in_mj.tco2e, in_mj.energy_tce) == (result.tco2e, result.energy_tce)
    in_mwh = one(library, {"category": "purchased_heat", "quantity": "1000", "unit": "MWh"})
    assert in_mwh.activity_gj == D("3600")  # 1 MWh = 3.6 GJ


def test_exported_energy_is_subtracted(library):
    result = calc(library,
                  {"category": "purchased_electricity", "quantity": "1000", "unit": "MWh"},
                  {"category": "exported_electricity", "quantity": "100", "unit": "MWh"},
                  {"category": "purchased_heat", "quantity": "200", "unit": "GJ"},
                  {"category": "exported_heat", "quantity": "50", "unit": "GJ"})
    exported = result.lines[1]
    assert (exported.tco2e, exported.contribution_tco2e, exported.sign) == (D("53.06"), D("-53.06"), -1)
    assert "subtracted" in exported.formula
    # E = 1000 × 0.5306 - 100 × 0.5306 + 200 × 0.11 - 50 × 0.11
    assert result.total_tco2e == D("530.6") - D("53.06") + D("22") - D("5.5") == D("494.04")
    assert result.by_category["exported_electricity"] == D("-53.06")
    assert result.by_category["exported_heat"] == D("-5.5")
    # energy = (1000 - 100) MWh × 0.1229 tce/MWh + (200 - 50) GJ × 0.03412 tce/GJ
    assert result.energy_tce == 900 * D("0.1229") + 150 * D("0.03412") == D("115.728")


# -- the inventory ------------------------------------------------------------------------------------------


def test_intensity_and_result_shape(library):
    result = calc(library, {"category": "purchased_heat", "quantity": "5000", "unit": "GJ"},
                  added_value_10k_yuan=D("1000"))
    assert result.intensity_tco2e_per_10k_yuan == D("0.55")  # 550 tCO2 / 1000 × 10^4 yuan
    assert list(result.by_category) == list(CATEGORIES)
    assert result.factor_year == 2025
    assert result.library == {"code": "cn-default", "version": "2026.1"}
    assert calc(library, {"category": "purchased_heat", "quantity": "1", "unit": "GJ"}
                ).intensity_tco2e_per_10k_yuan is None


def test_intensity_counts_energy_related_co2_only(library):
    # docs/reference.md grading: L = energy-related CO2 / added value; process CO2 is in the total, not in L.
    result = calc(library, {"category": "purchased_heat", "quantity": "5000", "unit": "GJ"},
                  {"category": "process", "quantity": "100", "unit": "t", "emission_factor": "0.405",
                   "emission_factor_unit": "tCO2/t"},
                  added_value_10k_yuan=D("1000"))
    assert result.total_tco2e == D("550") + D("40.5")
    assert result.energy_related_tco2e == D("550")
    assert result.intensity_tco2e_per_10k_yuan == D("0.55")


def test_factors_used_is_a_snapshot_of_library_values(library):
    result = calc(library, {"category": "purchased_electricity", "quantity": "1", "unit": "MWh"},
                  {"category": "purchased_electricity", "quantity": "2", "unit": "MWh"})
    assert [(f["subject"], f["parameter"], f["value"], f["data_year"]) for f in result.factors_used] == [
        ("electricity", "emission_factor", "0.5306", 2023), ("electricity", "energy_equivalent", "0.1229", None)]
    used = result.factors_used[0]
    assert {"subject", "parameter", "value", "unit", "programme", "region", "data_year", "source"} <= set(used)
    assert used["source"].startswith("MEE/NBS")


def test_lines_may_be_activity_line_objects(library):
    from inventories.calculation import parse_line

    line = parse_line({"category": "purchased_heat", "quantity": "10", "unit": "GJ"}, 0)
    assert calc(library, line).total_tco2e == D("1.1")


def test_as_dict_is_json_ready_with_decimal_strings(library):
    import json

    data = calc(library, {"category": "purchased_heat", "quantity": "5000", "unit": "GJ"},
                added_value_10k_yuan="1000").as_dict()
    json.dumps(data)
    assert data["total_tco2e"] == "550.000000"
    assert data["intensity_tco2e_per_10k_yuan"] == "0.550000"
    assert data["lines"][0]["activity_gj"] == "5000.000000"
    assert data["period"] == {"start": "2025-01-01", "end": "2025-12-31"}


# -- errors -----------------------------------------------------------------------------------------------------

COAL = {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1", "unit": "t"}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({**COAL, "fuel": "anthracitex"}, "line 2: unknown fuel 'anthracitex'"),
        ({**COAL, "fuel": "electricity"}, "line 2: unknown fuel 'electricity'"),
        ({**COAL, "unit": "kWh"}, "line 2: cannot convert unit 'kWh' for fuel_combustion of raw_coal"),
        ({**COAL, "unit": "bushels"}, "line 2: cannot convert unit 'bushels' for fuel_combustion of raw_coal"),
        ({**COAL, "fuel": "lpg", "unit": "L"}, "line 2: cannot convert unit 'L' for fuel_combustion of lpg"),
        ({**COAL, "quantity": "-1"}, "line 2: quantity must not be negative"),
        ({**COAL, "quantity": "one"}, "line 2: quantity 'one' is not a number"),
        ({**COAL, "oxidation_rate": "1.2"}, "line 2: oxidation_rate must not exceed 1"),
        ({**COAL, "ncv": "20", "ncv_unit": "GJ/kWh"}, "line 2: cannot use ncv in 'GJ/kWh'"),
        ({**COAL, "ncv": "20", "ncv_unit": "GJ/fortnight"}, "line 2: unknown ncv unit 'GJ/fortnight'"),
        ({**COAL, "emission_factor": "1.9"}, "line 2: emission_factor_unit is required"),
        ({**COAL, "emission_factor": "1.9", "emission_factor_unit": "tC/t"}, "line 2: emission_factor unit 'tC/t'"),
        ({**COAL, "unit": "GJ", "emission_factor": "1.9", "emission_factor_unit": "tCO2/t"},
         "line 2: cannot apply emission_factor in 'tCO2/t' to a quantity in 'GJ'"),
        ({"category": "process", "quantity": "1", "unit": "t"}, "line 2: emission_factor is required"),
        ({"category": "process", "quantity": "1", "unit": "t", "emission_factor": "1",
          "emission_factor_unit": "tCO2/m3"}, "line 2: cannot convert unit 't' for process"),
        ({"category": "process", "quantity": "1", "unit": "head", "emission_factor": "1",
          "emission_factor_unit": "tCO2/t"}, "line 2: cannot convert unit 'head' for process"),
        ({"category": "purchased_electricity", "quantity": "1", "unit": "t"},
         "line 2: cannot convert unit 't' for purchased_electricity"),
        ({"category": "purchased_electricity", "quantity": "1", "unit": "GJ"},
         "line 2: cannot convert unit 'GJ' for purchased_electricity"),
        ({"category": "exported_heat", "quantity": "1", "unit": "m3"},
         "line 2: cannot convert unit 'm3' for exported_heat"),
        ({"category": "purchased_electricity", "quantity": "1", "unit": "MWh", "emission_factor": "0.5",
          "emission_factor_unit": "tCO2/t"}, "line 2: cannot use emission_factor in 'tCO2/t'"),
        ({"category": "purchased_electricity", "quantity": "1", "unit": "MWh", "programme": "nonesuch"},
         "line 2: factor library cn-default 2026.1 has no emission_factor for electricity in programme 'nonesuch'"),
    ],
)
def test_errors_name_the_line(library, bad, message):
    good = {"category": "purchased_heat", "quantity": "1", "unit": "GJ"}
    with pytest.raises(CalculationError) as error:
        calc(library, good, good, bad)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_bad_period_and_added_value(library):
    line = {"category": "purchased_heat", "quantity": "1", "unit": "GJ"}
    with pytest.raises(CalculationError, match="period start 2025-12-31 is after period end 2025-01-01"):
        calculate([line], library, period_start=date(2025, 12, 31), period_end=date(2025, 1, 1))
    with pytest.raises(CalculationError, match="period start '2025-13-01' is not a date"):
        calculate([line], library, period_start="2025-13-01", period_end=date(2025, 1, 1))
    for value in ("0", "-5"):
        with pytest.raises(CalculationError, match="added_value_10k_yuan must be positive"):
            calc(library, line, added_value_10k_yuan=value)
    with pytest.raises(CalculationError, match="lines must be a non-empty list"):
        calc(library)


# -- lines of one shape: planned once, each with its own quantity, conversions and formula ---------------


def test_lines_of_one_shape_are_calculated_each_with_its_own_quantity(library):
    gas = {"category": "fuel_combustion", "fuel": "natural_gas", "unit": "m3"}
    result = calc(library, {**gas, "quantity": "10000"}, {**gas, "quantity": "30000", "description": "kiln"},
                  {**gas, "quantity": "10000", "ncv": "380"})
    first, second, measured = result.lines
    # 10000 m3 = 1 10^4 Nm3; 1 × 389.31 GJ × 0.0153 tC/GJ × 0.99 × 44/12
    assert close(first.tco2e, D("389.31") * D("0.0153") * D("0.99") * 44 / 12)
    assert close(second.tco2e, 3 * first.tco2e)
    assert second.conversions[0].startswith("30000 m3 = 3 10^4 Nm3")
    assert second.formula.startswith("E = FC × NCV × CC × OF × 44/12 = 3 10^4 Nm3 × 389.31")
    assert (second.index, second.description) == (1, "kiln")
    assert second.energy_tce == 3 * first.energy_tce == D("39.9")
    # One table of factors for the shape; a line with its own NCV has its own.
    assert second.factors is first.factors
    assert measured.factors is not first.factors and measured.factors["ncv"]["origin"] == "line"
    assert "measured NCV" in measured.energy_formula


def test_a_later_line_of_a_known_shape_still_has_its_quantity_checked(library):
    coal = {"category": "fuel_combustion", "fuel": "raw_coal", "unit": "t"}
    with pytest.raises(CalculationError, match="^line 2: quantity must not be negative$"):
        calc(library, {**coal, "quantity": "1"}, {**coal, "quantity": "2"}, {**coal, "quantity": "-3"})
    with pytest.raises(CalculationError, match="^line 1: ncv True is not a number$"):
        calc(library, {**coal, "quantity": "1", "ncv": 1, "ncv_unit": "GJ/t"},
             {**coal, "quantity": "1", "ncv": True, "ncv_unit": "GJ/t"})
