"""inventories.calculation.lines: the §3 line form and its errors, each naming the line."""

from decimal import Decimal as D

import pytest

from inventories.calculation import ActivityLine, CalculationError, parse_line, parse_lines


def test_parse_a_fuel_line_with_overrides():
    line = parse_line({"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1200", "unit": "t",
                       "ncv": "21.5", "ncv_unit": "GJ/t", "carbon_content": "26.0", "carbon_content_unit": "tC/TJ",
                       "oxidation_rate": "0.93", "meter_id": 17}, 1)
    assert line == ActivityLine(index=1, category="fuel_combustion", quantity=D("1200"), unit="t", fuel="raw_coal",
                                ncv=D("21.5"), ncv_unit="GJ/t", carbon_content=D("26.0"),
                                carbon_content_unit="tC/TJ", oxidation_rate=D("0.93"))
    assert line.sign == 1


def test_exported_lines_have_sign_minus_one():
    assert parse_line({"category": "exported_heat", "quantity": "1", "unit": "GJ"}, 0).sign == -1
    assert parse_line({"category": "exported_electricity", "quantity": "1", "unit": "MWh"}, 0).sign == -1


def test_as_dict_round_trip():
    data = {"category": "process", "quantity": "500", "unit": "t", "description": "limestone",
            "emission_factor": "0.405", "emission_factor_unit": "tCO2/t"}
    assert parse_line(data, 0).as_dict() == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not a dict", "line 4: must be an object"),
        ({"quantity": "1", "unit": "t"}, "line 4: category is required"),
        ({"category": "combustion", "quantity": "1", "unit": "t"}, "line 4: unknown category 'combustion'"),
        ({"category": "purchased_heat", "unit": "GJ"}, "line 4: quantity is required"),
        ({"category": "purchased_heat", "quantity": "lots", "unit": "GJ"}, "line 4: quantity 'lots' is not a number"),
        ({"category": "purchased_heat", "quantity": "-5", "unit": "GJ"}, "line 4: quantity must not be negative"),
        ({"category": "purchased_heat", "quantity": "5"}, "line 4: unit is required"),
        ({"category": "fuel_combustion", "quantity": "5", "unit": "t"}, "line 4: fuel is required for fuel_combustion"),
        ({"category": "process", "quantity": "5", "unit": "t"}, "line 4: emission_factor is required for process"),
        ({"category": "purchased_heat", "quantity": "5", "unit": "GJ", "ncv": "1"},
         "line 4: ncv does not apply to purchased_heat"),
        ({"category": "purchased_heat", "quantity": "5", "unit": "GJ", "fuel": "coke"},
         "line 4: fuel does not apply to purchased_heat"),
        ({"category": "purchased_heat", "quantity": "5", "unit": "GJ", "region": "CN-EAST"},
         "line 4: region does not apply to purchased_heat"),
        ({"category": "fuel_combustion", "fuel": "coke", "quantity": "5", "unit": "t", "ncv": "-1"},
         "line 4: ncv must not be negative"),
        ({"category": "fuel_combustion", "fuel": "coke", "quantity": "5", "unit": "t", "density": "0"},
         "line 4: density must be positive"),
        ({"category": "fuel_combustion", "fuel": "coke", "quantity": "5", "unit": "t", "ncv": "x"},
         "line 4: ncv 'x' is not a number"),
        ({"category": "fuel_combustion", "fuel": "coke", "quantity": "5", "unit": "t", "ncv_unit": "GJ/t"},
         "line 4: ncv_unit given without ncv"),
        ({"category": "purchased_heat", "quantity": "5", "unit": 5}, "line 4: unit must be text"),
    ],
)
def test_parse_line_errors_name_the_line(data, message):
    with pytest.raises(CalculationError) as error:
        parse_line(data, 4)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("items", [[], None, "lines", {}])
def test_parse_lines_needs_a_non_empty_list(items):
    with pytest.raises(CalculationError, match="lines must be a non-empty list"):
        parse_lines(items)


def test_parse_lines_numbers_lines_by_position():
    lines = parse_lines([{"category": "purchased_heat", "quantity": "1", "unit": "GJ"},
                         {"category": "purchased_heat", "quantity": "2", "unit": "GJ"}])
    assert [line.index for line in lines] == [0, 1]
    with pytest.raises(CalculationError, match="^line 1: quantity must not be negative$"):
        parse_lines([{"category": "purchased_heat", "quantity": "1", "unit": "GJ"},
                     {"category": "purchased_heat", "quantity": "-2", "unit": "GJ"}])
