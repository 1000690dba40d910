"""inventories.calculation.grading: band, K and grade at and just past every boundary (docs/reference.md, 碳效码)."""

from decimal import Decimal as D

import pytest

from inventories.calculation.grading import (
    CarbonEfficiency,
    GradingError,
    carbon_band,
    efficiency_value,
    grade,
    grade_carbon_efficiency,
)

JUST = D("0.000001")


@pytest.mark.parametrize(
    ("intensity", "band"),
    [
        ("0", "low"),
        ("0.6", "low"),
        (D("0.6") + JUST, "medium"),
        ("1.1", "medium"),
        ("2.0", "medium"),
        ("2", "medium"),
        (D("2.0") + JUST, "high"),
        ("15", "high"),
    ],
)
def test_carbon_band_boundaries(intensity, band):
    assert carbon_band(intensity) == band


@pytest.mark.parametrize(
    ("k", "expected"),
    [
        ("0", 1),
        ("0.6", 1),
        (D("0.6") + JUST, 2),
        ("0.8", 2),
        (D("0.8") + JUST, 3),
        ("1", 3),
        ("1.2", 3),
        (D("1.2") + JUST, 4),
        ("2.0", 4),
        (D("2.0") + JUST, 5),
        ("7", 5),
    ],
)
def test_grade_boundaries(k, expected):
    assert grade(k) == expected


def test_efficiency_value_is_the_ratio_to_the_industry_average():
    assert efficiency_value("0.66", "1.1") == D("0.6")  # exactly on the grade-1 boundary
    assert grade(efficiency_value("0.66", "1.1")) == 1
    assert efficiency_value(D("2.2"), D("1.1")) == 2
    assert efficiency_value("1", "3").quantize(D("0.000001")) == D("0.333333")


def test_grade_carbon_efficiency_example_high_band_grade_3():
    result = grade_carbon_efficiency("2.5", "2.5")  # L = 2.5 > 2.0 -> high; K = 1 -> grade 3
    assert result == CarbonEfficiency(D("2.5"), D("2.5"), D("1"), 3, "high", "高碳 3级", "High-carbon, grade 3")
    assert result.as_dict()["label_zh"] == "高碳 3级"


def test_grade_carbon_efficiency_low_and_medium_labels():
    assert grade_carbon_efficiency("0.3", "1.0").label_zh == "低碳 1级"  # K = 0.3
    medium = grade_carbon_efficiency("1.5", "1.0")  # K = 1.5 -> grade 4
    assert (medium.label_zh, medium.label_en) == ("中碳 4级", "Medium-carbon, grade 4")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: carbon_band("-0.1"), "intensity must not be negative"),
        (lambda: efficiency_value("1", "0"), "industry average intensity must be positive"),
        (lambda: efficiency_value("1", "-2"), "industry average intensity must be positive"),
        (lambda: efficiency_value("-1", "2"), "intensity must not be negative"),
        (lambda: grade("-0.5"), "must not be negative"),
        (lambda: grade("abc"), "is not a number"),
        (lambda: grade(0.5), "must be a decimal number"),
        (lambda: grade("NaN"), "not a finite number"),
        (lambda: grade_carbon_efficiency("1", "0"), "industry average intensity must be positive"),
        (lambda: grade_carbon_efficiency("-1", "1"), "intensity must not be negative"),
    ],
)
def test_errors(call, message):
    with pytest.raises(GradingError, match=message):
        call()
    assert issubclass(GradingError, ValueError)
