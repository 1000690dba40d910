"""inventories.calculation.units: spellings, conversions (each pair), density."""

from decimal import Decimal as D

import pytest

from inventories.calculation.units import (
    Density,
    UnitError,
    conversion_factor,
    convert,
    parse_unit,
    same_unit_text,
    to_base_quantity,
)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        # mass
        ("1", "t", "kg", "1000"),
        ("2500", "kg", "t", "2.5"),
        ("1", "10^4 t", "t", "10000"),
        # gas volume: m3 / Nm3 <-> 10^4 Nm3
        ("350000", "m3", "10^4 Nm3", "35"),
        ("350000", "Nm3", "10^4 Nm3", "35"),
        ("35", "10^4 Nm3", "m3", "350000"),
        ("35", "10^4 m3", "10^4 Nm3", "35"),
        ("1", "10^8 m3", "10^4 Nm3", "10000"),
        # liquid volume
        ("1000", "L", "m3", "1"),
        ("2", "kL", "L", "2000"),
        # electricity
        ("2400000", "kWh", "MWh", "2400"),
        ("2.4", "MWh", "kWh", "2400"),
        ("1", "GWh", "MWh", "1000"),
        ("3", "10^4 kWh", "MWh", "30"),
        # heat / energy
        ("5000000", "MJ", "GJ", "5000"),
        ("1", "GJ", "MJ", "1000"),
        ("1", "TJ", "GJ", "1000"),
        ("1000", "kJ", "MJ", "1"),
        ("1", "MWh", "GJ", "3.6"),
        ("1", "kWh", "MJ", "3.6"),
        # carbon content
        ("26.37", "tC/TJ", "tC/GJ", "0.02637"),
        ("0.02637", "tC/GJ", "tC/TJ", "26.37"),
        ("26.37", "kgC/GJ", "tC/TJ", "26.37"),
        # net calorific value
        ("20.908", "GJ/t", "MJ/kg", "20.908"),
        ("389.31", "GJ/10^4 Nm3", "MJ/m3", "38.931"),
        ("38.931", "MJ/Nm3", "GJ/10^4 Nm3", "389.31"),
        ("20908", "kJ/kg", "GJ/t", "20.908"),
        # emission factors
        ("0.5366", "tCO2/MWh", "kgCO2/kWh", "0.5366"),
        ("0.5366", "tCO2/MWh", "tCO2/kWh", "0.0005366"),
        ("0.5366", "kgCO2/kWh", "tCO2/MWh", "0.5366"),
        ("110", "kgCO2/GJ", "tCO2/GJ", "0.11"),
        ("0.11", "tCO2/GJ", "tCO2/TJ", "110"),
        ("2.1622", "kgCO2/m3", "tCO2/10^4 Nm3", "21.622"),
        ("1.9003", "tCO2e/t", "kgCO2/kg", "1.9003"),
        # energy equivalents and standard coal
        ("0.1229", "kgce/kWh", "tce/MWh", "0.1229"),
        ("0.03412", "kgce/MJ", "tce/GJ", "0.03412"),
        ("1.3300", "kgce/m3", "tce/10^4 Nm3", "13.3"),
        ("0.7143", "kgce/kg", "tce/t", "0.7143"),
        # density
        ("0.84", "kg/L", "t/m3", "0.84"),
        ("840", "kg/m3", "kg/L", "0.84"),
        ("0.84", "g/cm3", "kg/L", "0.84"),
        # fractions
        ("93", "%", "fraction", "0.93"),
    ],
)
def test_convert_each_pair(value, source, target, expected):
    assert convert(D(value), source, target) == D(expected)


@pytest.mark.parametrize(
    ("spelling", "symbol"),
    [
        ("10^4 Nm3", "10^4 Nm3"),
        ("10^4Nm3", "10^4 Nm3"),
        ("10⁴ Nm³", "10^4 Nm3"),
        ("10^4 m3", "10^4 Nm3"),
        ("万立方米", "10^4 Nm3"),
        ("万m3", "10^4 Nm3"),
        ("1e4 Nm3", "10^4 Nm3"),
        ("Nm3", "Nm3"),
        ("m3", "m3"),
        ("m³", "m3"),
        ("立方米", "m3"),
        ("方", "m3"),
        ("kwh", "kWh"),
        ("千瓦时", "kWh"),
        ("度", "kWh"),
        ("兆瓦时", "MWh"),
        ("吉焦", "GJ"),
        ("吨", "t"),
        ("公斤", "kg"),
        ("升", "L"),
        ("l", "L"),
        ("tCO₂/MWh", "tCO2/MWh"),
        ("tCO2e/t", "tCO2/t"),
        ("tC/TJ", "tC/TJ"),
        ("GJ / 10^4 Nm3", "GJ/10^4 Nm3"),
        ("kgce/kWh", "kgce/kWh"),
    ],
)
def test_parse_unit_spellings(spelling, symbol):
    assert parse_unit(spelling).symbol == symbol


@pytest.mark.parametrize("text", ["bananas", "kWh/", "t/t/t", "GJ/parsec", ""])
def test_unknown_units(text):
    if text == "":
        assert parse_unit(text).dimension == ("fraction", None)  # "" is the dimensionless unit
        return
    with pytest.raises(UnitError, match="unknown unit"):
        parse_unit(text)


@pytest.mark.parametrize(("source", "target"), [("kWh", "t"), ("t", "m3"), ("tC/TJ", "tCO2/GJ"), ("GJ/t", "GJ")])
def test_conversion_across_dimensions_is_refused(source, target):
    with pytest.raises(UnitError, match="cannot convert"):
        conversion_factor(source, target)


def test_same_unit_text_for_units_the_table_does_not_know():
    assert same_unit_text("head", " Head ")
    assert not same_unit_text("head", "piece")


def test_to_base_quantity_same_dimension_records_the_step():
    value, steps = to_base_quantity(D("350000"), parse_unit("m3"), parse_unit("10^4 Nm3"), gas=True)
    assert value == D("35")
    assert steps == ["350000 m3 = 35 10^4 Nm3 (m3 read as normal cubic metres, Nm3)"]
    value, steps = to_base_quantity(D("1200"), parse_unit("t"), parse_unit("t"))
    assert (value, steps) == (D("1200"), [])


def test_to_base_quantity_litres_need_a_density_and_say_so():
    density = Density(D("0.84"), parse_unit("kg/L"), "library default")
    value, steps = to_base_quantity(D("10000"), parse_unit("L"), parse_unit("t"), density)
    assert value == D("10000") * D("0.84") / 1000 == D("8.4")
    assert steps == ["10000 L × density 0.84 kg/L (library default) = 8.4 t"]
    with pytest.raises(UnitError, match="without a density"):
        to_base_quantity(D("10000"), parse_unit("L"), parse_unit("t"))


def test_to_base_quantity_mass_to_volume_through_density():
    density = Density(D("0.7"), parse_unit("kg/m3"), "line")
    value, _ = to_base_quantity(D("7"), parse_unit("kg"), parse_unit("m3"), density)
    assert value == D("10")
