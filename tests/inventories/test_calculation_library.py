"""inventories.calculation.library and fixtures/factor_library.json against docs/reference.md."""

import json
from datetime import date
from decimal import Decimal as D

import pytest

from inventories.calculation import (
    DEFAULT_LIBRARY_PATH,
    CalculationError,
    FactorLibrary,
    FactorValue,
    load_default_library,
)


@pytest.fixture(scope="module")
def library():
    return load_default_library()


def _value(subject, parameter, value, unit, **extra):
    return {"subject": subject, "parameter": parameter, "value": value, "unit": unit, **extra}


# -- the file --------------------------------------------------------------------------------------------

# docs/reference.md, "Default fuel parameters": NCV, CC (tC/TJ), OF, resulting CO2 factor, standard coal.
FUEL_TABLE = {
    "raw_coal": ("20.908", "GJ/t", "26.37", "0.94", "1.9003", "0.7143"),
    "coke": ("28.435", "GJ/t", "29.5", "0.93", "2.8604", "0.9714"),
    "crude_oil": ("41.816", "GJ/t", "20.1", "0.98", "3.0202", "1.4286"),
    "fuel_oil": ("41.816", "GJ/t", "21.1", "0.98", "3.1705", "1.4286"),
    "gasoline": ("43.070", "GJ/t", "18.9", "0.98", "2.9251", "1.4714"),
    "kerosene": ("43.070", "GJ/t", "19.5", "0.98", "3.0179", "1.4714"),
    "diesel": ("42.652", "GJ/t", "20.2", "0.98", "3.0959", "1.4571"),
    "lpg": ("50.179", "GJ/t", "17.2", "0.98", "3.1013", "1.7143"),
    "refinery_dry_gas": ("46.055", "GJ/t", "18.2", "0.98", "3.0119", "1.5714"),
    "natural_gas": ("389.31", "GJ/10^4 Nm3", "15.3", "0.99", "21.622", "13.300"),
}


@pytest.mark.parametrize("fuel", FUEL_TABLE)
def test_fixture_fuel_parameters_are_the_reference_values(library, fuel):
    ncv, ncv_unit, cc, of, _, standard_coal = FUEL_TABLE[fuel]
    assert library.value(fuel, "ncv").value == D(ncv)
    assert library.value(fuel, "ncv").unit == ncv_unit
    assert library.value(fuel, "carbon_content").value == D(cc)
    assert library.value(fuel, "carbon_content").unit == "tC/TJ"
    assert library.value(fuel, "oxidation_rate").value == D(of)
    assert library.value(fuel, "standard_coal").value == D(standard_coal)
    assert library.value(fuel, "standard_coal").source == "GB/T 2589-2020"
    assert "GB/T 32151" in library.value(fuel, "ncv").source


@pytest.mark.parametrize("fuel", FUEL_TABLE)
def test_fixture_fuel_parameters_give_the_printed_co2_factor(library, fuel):
    ncv, _, cc, of, printed, _ = FUEL_TABLE[fuel]
    # EF per unit of fuel = NCV × CC / 1000 (tC/TJ -> tC/GJ) × OF × 44/12, rounded as printed
    factor = D(ncv) * (D(cc) / 1000) * D(of) * 44 / 12
    assert factor.quantize(D(printed)) == D(printed)


def test_printed_co2_factors_worked_by_hand():
    assert (D("20.908") * D("0.02637") * D("0.94") * 44 / 12).quantize(D("0.0001")) == D("1.9003")  # 1.90029884...
    assert (D("389.31") * D("0.0153") * D("0.99") * 44 / 12).quantize(D("0.001")) == D("21.622")  # 21.6218880...
    assert (D("42.652") * D("0.0202") * D("0.98") * 44 / 12).quantize(D("0.0001")) == D("3.0959")  # 3.0959096...


def test_fixture_electricity_factors(library):
    def grid(year, programme="grid_average", region=""):
        return library.value("electricity", "emission_factor", programme=programme, region=region or None, year=year)

    assert [grid(year).value for year in (2021, 2022, 2023)] == [D("0.5568"), D("0.5366"), D("0.5306")]
    assert grid(2022, "grid_average_excl_market_non_fossil").value == D("0.5856")
    assert grid(2023, "grid_average_excl_market_non_fossil").value == D("0.6096")
    assert [grid(year, "grid_fossil_only").value for year in (2021, 2022, 2023)] == [D("0.8426"), D("0.8325"),
                                                                                    D("0.8273")]
    regional = {"CN-NORTH": "0.6361", "CN-NORTHEAST": "0.5122", "CN-EAST": "0.5500", "CN-CENTRAL": "0.5271",
                "CN-NORTHWEST": "0.5543", "CN-SOUTH": "0.4042", "CN-SOUTHWEST": "0.2472"}
    for region, value in regional.items():
        factor = grid(2023, region=region)
        assert (factor.value, factor.region, factor.data_year) == (D(value), region, 2023)
    ets = grid(2022, "national_ets_power_2022")
    assert ets.value == D("0.5703")
    assert grid(2021).source.startswith("MEE/NBS Announcement 2024 No. 12")
    assert "December 2024" in grid(2022).source
    assert "check" in grid(2023).note
    assert all(f.unit == "tCO2/MWh" for f in library.values if f.parameter == "emission_factor"
               and f.subject == "electricity")


def test_fixture_heat_and_energy_equivalents(library):
    assert library.value("heat", "emission_factor").value == D("0.11")
    assert library.value("heat", "emission_factor").unit == "tCO2/GJ"
    assert (library.value("electricity", "energy_equivalent").value, library.value("electricity",
            "energy_equivalent").unit) == (D("0.1229"), "kgce/kWh")
    assert (library.value("heat", "energy_equivalent").value, library.value("heat", "energy_equivalent").unit) == (
        D("0.03412"), "kgce/MJ")
    # the *check*: 1 kgce = 29.3076 MJ, so 1 MJ = 1/29.3076 kgce = 0.034121 kgce; 1 kWh = 3.6 MJ = 0.12284 kgce
    assert (1 / D("29.3076")).quantize(D("0.00001")) == D("0.03412")
    assert (D("3.6") / D("29.3076")).quantize(D("0.0001")) == D("0.1228")  # published rounded up as 0.1229
    assert "1 / 29.3076" in library.value("heat", "energy_equivalent").note


def test_fixture_density_defaults_are_typical_values_and_say_so(library):
    assert library.value("diesel", "density").value == D("0.84")
    assert library.value("gasoline", "density").value == D("0.73")
    assert library.value("diesel", "density").unit == "kg/L"
    assert "check" in library.value("diesel", "density").note


def test_fixture_natural_gas_standard_coal_check_is_recorded(library):
    note = library.value("natural_gas", "standard_coal").note
    assert "1.3300" in note and "1.2143" in note
    # 1.3300 kgce/m3 × 10^4 m3 = 13300 kgce = 13.300 tce per 10^4 Nm3
    assert D("1.3300") * 10000 / 1000 == D("13.300")


def test_fixture_every_value_has_a_source_and_the_documented_keys():
    data = json.loads(DEFAULT_LIBRARY_PATH.read_text(encoding="utf-8"))
    assert (data["code"], data["version"]) == ("cn-default", "2026.1")
    keys = {"subject", "parameter", "value", "unit", "programme", "region", "data_year", "valid_from",
            "valid_until", "source", "note"}
    for value in data["values"]:
        assert set(value) == keys
        assert value["source"]
        assert isinstance(value["value"], str)
    assert data["subjects"]["natural_gas"] == {"zh": "天然气", "en": "Natural gas", "kind": "fuel",
                                               "base_unit": "10^4 Nm3"}
    assert data["subjects"]["electricity"]["kind"] == "electricity"
    assert set(data["subjects"]) == set(FUEL_TABLE) | {"electricity", "heat"}


def test_round_trip_through_as_dict(library):
    assert FactorLibrary.from_dict(library.as_dict()) == library
    assert library.fuels() == tuple(FUEL_TABLE)


# -- from_dict ---------------------------------------------------------------------------------------------


def test_from_dict_minimal_uses_the_built_in_subjects():
    library = FactorLibrary.from_dict({"code": "x", "version": "1", "values": [
        _value("heat", "emission_factor", "0.11", "tCO2/GJ")]})
    assert library.subject("natural_gas").base_unit == "10^4 Nm3"
    assert library.value("heat", "emission_factor").value == D("0.11")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([_value("coal", "ncv", "1", "GJ/t")], "unknown subject 'coal'"),
        ([_value("raw_coal", "colour", "1", "GJ/t")], "unknown parameter 'colour'"),
        ([_value("raw_coal", "ncv", "x", "GJ/t")], "value 'x' is not a number"),
        ([_value("raw_coal", "ncv", "1", "furlongs")], "unknown unit 'furlongs'"),
        ([_value("raw_coal", "ncv", "1", "GJ/t", data_year="recent")], "data_year 'recent' is not a year"),
        ([_value("raw_coal", "ncv", "1", "GJ/t", valid_from="2025-02-30")], "valid_from '2025-02-30' is not a date"),
        ([_value("raw_coal", "ncv", "1", "GJ/t"), _value("raw_coal", "ncv", "2", "GJ/t")], "repeats raw_coal ncv"),
        ([{"subject": "raw_coal", "parameter": "ncv", "value": "1"}], "unit is required"),
    ],
)
def test_from_dict_errors_name_the_value(values, message):
    with pytest.raises(CalculationError, match=message):
        FactorLibrary.from_dict({"code": "x", "version": "1", "values": values})


def test_factor_value_round_trip():
    data = _value("electricity", "emission_factor", "0.5366", "tCO2/MWh", programme="grid_average", region="",
                  data_year=2022, valid_from="2023-01-01", valid_until=None, source="s", note="")
    factor = FactorValue.from_dict(data)
    assert factor.valid_from == date(2023, 1, 1)
    assert factor.as_dict() == {**data, "valid_from": "2023-01-01"}


# -- choosing a value ----------------------------------------------------------------------------------------


def test_electricity_takes_the_most_recent_data_year_not_after_the_period_year(library):
    assert library.value("electricity", "emission_factor", year=2025).data_year == 2023
    assert library.value("electricity", "emission_factor", year=2023).data_year == 2023
    assert library.value("electricity", "emission_factor", year=2022).data_year == 2022
    selection = library.select("electricity", "emission_factor", year=2025)
    assert selection.reason == "programme grid_average, national, data year 2023 (most recent data year <= 2025)"


def test_electricity_before_every_data_year_takes_the_earliest_and_says_so(library):
    selection = library.select("electricity", "emission_factor", year=2019)
    assert selection.factor.data_year == 2021
    assert "no data year <= 2019, earliest data year 2021 used" in selection.reason


def test_region_is_used_when_the_library_has_it_else_national_with_a_note(library):
    east = library.select("electricity", "emission_factor", region="cn-east", year=2025)
    assert (east.factor.region, east.factor.value) == ("CN-EAST", D("0.5500"))
    other = library.select("electricity", "emission_factor", region="CN-ZJ", year=2025)
    assert (other.factor.region, other.factor.value) == ("", D("0.5306"))
    assert "no value for region CN-ZJ, national value used" in other.reason
    # a region with values only for 2023, asked for 2022: the earliest of that region, said so
    early = library.select("electricity", "emission_factor", region="CN-SOUTH", year=2022)
    assert early.factor.value == D("0.4042")
    assert "earliest data year 2023" in early.reason


def test_missing_values_are_errors(library):
    with pytest.raises(CalculationError, match="has no density for lpg"):
        library.value("lpg", "density")
    with pytest.raises(CalculationError, match="in programme 'nonesuch'"):
        library.value("electricity", "emission_factor", programme="nonesuch")


def test_validity_window_filters_values():
    library = FactorLibrary.from_dict({"code": "x", "version": "1", "values": [
        _value("heat", "emission_factor", "0.12", "tCO2/GJ", valid_until="2020-12-31"),
        _value("heat", "emission_factor", "0.11", "tCO2/GJ", valid_from="2021-01-01"),
    ]})
    assert library.select("heat", "emission_factor", period=(date(2019, 1, 1), date(2019, 12, 31))).factor.value == \
        D("0.12")
    assert library.select("heat", "emission_factor", period=(date(2025, 1, 1), date(2025, 12, 31))).factor.value == \
        D("0.11")
    with pytest.raises(CalculationError, match="has 2 values"):
        library.select("heat", "emission_factor")
