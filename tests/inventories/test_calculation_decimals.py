"""inventories.calculation.decimals: parsing numbers and writing them out."""

from decimal import Decimal as D

import pytest

from inventories.calculation import CalculationError, format_decimal, to_decimal
from inventories.calculation.decimals import internal, is_decimal_text, is_number_text, plain, short


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("2287.428"), "2287.428000"),
        (D("756.76608315"), "756.766083"),
        (D("0.5"), "0.500000"),
        (D("0"), "0.000000"),
        (D("-53.06"), "-53.060000"),
        (D("1E+7"), "10000000.000000"),  # never scientific notation
        (D("0.0001234567"), "0.000123457"),  # at least 6 significant digits
        (D("0.0000005"), "0.000000500000"),
        (D("0.0000004999999"), "0.000000500000"),  # rounded half up at the 6th significant digit
        (D("2.0000005"), "2.000001"),  # half up
        (D("-0.0000001"), "-0.000000100000"),
    ],
)
def test_format_decimal(value, expected):
    assert format_decimal(value) == expected


def test_format_decimal_keeps_none_and_never_writes_minus_zero():
    assert format_decimal(None) is None
    assert format_decimal(D("-0.0000000")) == "0.000000"


def test_format_decimal_has_at_least_six_significant_digits():
    for text in ("123456789.123", "1.5", "0.001", "0.00000001234"):
        digits = format_decimal(D(text)).replace("-", "").replace(".", "").lstrip("0")
        assert len(digits) >= 6


@pytest.mark.parametrize(("value", "expected"), [("350000", D(350000)), (" 0.405 ", D("0.405")), (12, D(12)),
                                                 (0.1, D("0.1")), (D("1.5"), D("1.5"))])
def test_to_decimal_accepts_decimal_strings_ints_and_json_floats(value, expected):
    assert to_decimal(value, "quantity") == expected


@pytest.mark.parametrize("value", ["abc", "", "1,200", "NaN", "Infinity", None, True, [1], "1.2.3"])
def test_to_decimal_refuses_what_is_not_a_finite_number(value):
    with pytest.raises(CalculationError, match="^quantity .* not a"):
        to_decimal(value, "quantity")


def test_to_decimal_refuses_absurd_magnitudes():
    assert to_decimal("999999999999999999", "quantity") == D("999999999999999999")
    with pytest.raises(CalculationError, match="quantity '1e18' is too large"):
        to_decimal("1e18", "quantity")


def test_plain_short_and_internal():
    assert plain(D("1.2E+3")) == "1200"
    assert plain(D("0.0260")) == "0.026"
    assert plain(D("0")) == "0"
    assert short(D("0.08866")) == "0.08866"
    assert short(D(2) / D(3)) == "0.666667"
    assert internal(D(1) / D(3)) == D("0.33333333333333333333")


@pytest.mark.parametrize("text", ["350000", "-1.5", ".5", "5.", "1e3", "+2.5E-4", " 7 "])
def test_number_text_is_ascii_digits(text):
    assert is_number_text(text) and is_decimal_text(text)


@pytest.mark.parametrize("text", ["１２３", "١٢٣", "1_000", "²", "१२३", "", ".", "1e", "0x10", "1,000"])
def test_other_digits_and_separators_are_no_number_text(text):
    assert not is_number_text(text) and not is_decimal_text(text)


@pytest.mark.parametrize("text", ["nan", "Infinity", "-inf"])
def test_nan_and_infinity_are_the_engines_to_refuse_not_number_text(text):
    assert is_decimal_text(text) and not is_number_text(text)
