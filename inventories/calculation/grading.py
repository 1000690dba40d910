"""Carbon-efficiency grading (Zhejiang 碳效码, DB33/T 1347-2023 rating method). Pure Python.

- Carbon intensity L: energy-related CO2 / industrial added value, tCO2 per 10^4 yuan.
- Band against all industry: low L <= 0.6; medium 0.6 < L <= 2.0; high L > 2.0.
- Carbon-efficiency value K = L / L_industry_average.
- Grade: K <= 0.6 -> 1; <= 0.8 -> 2; <= 1.2 -> 3; <= 2.0 -> 4; else 5.

Comparisons use the exact K (no rounding before grading). Shown as e.g. "高碳 3级".
The industry average is an input here: where it comes from (set by an authority, or computed
from stored inventories) is not the engine's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation

BAND_LOW_MAX = Decimal("0.6")
BAND_MEDIUM_MAX = Decimal("2.0")
GRADE_UPPER_BOUNDS = ((Decimal("0.6"), 1), (Decimal("0.8"), 2), (Decimal("1.2"), 3), (Decimal("2.0"), 4))
LOWEST_GRADE = 5

BANDS = ("low", "medium", "high")
BAND_LABELS = {
    "low": ("低碳", "Low-carbon"),
    "medium": ("中碳", "Medium-carbon"),
    "high": ("高碳", "High-carbon"),
}
GRADE_MEANINGS = {
    1: ("高效", "high efficiency"),
    2: ("较高效", "above the industry average"),
    3: ("接近行业平均", "near the industry average"),
    4: ("较低效", "below the industry average"),
    5: ("低效", "low efficiency"),
}
_CONTEXT = Context(prec=50)


class GradingError(ValueError):
    """An intensity, industry average or K that cannot be graded."""


def _decimal(value, what: str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float) or value is None:
        raise GradingError(f"{what} must be a decimal number, not {value!r}")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise GradingError(f"{what} {value!r} is not a number") from None
    if not number.is_finite():
        raise GradingError(f"{what} {value!r} is not a finite number")
    return number


def carbon_band(intensity) -> str:
    """"low" | "medium" | "high" for a carbon intensity L (tCO2 per 10^4 yuan)."""
    intensity = _decimal(intensity, "intensity")
    if intensity < 0:
        raise GradingError("intensity must not be negative")
    if intensity <= BAND_LOW_MAX:
        return "low"
    if intensity <= BAND_MEDIUM_MAX:
        return "medium"
    return "high"


def efficiency_value(intensity, industry_average) -> Decimal:
    """K = L / L_industry_average."""
    intensity = _decimal(intensity, "intensity")
    industry_average = _decimal(industry_average, "industry average intensity")
    if intensity < 0:
        raise GradingError("intensity must not be negative")
    if industry_average <= 0:
        raise GradingError("industry average intensity must be positive")
    return _CONTEXT.divide(intensity, industry_average)


def grade(k) -> int:
    """Grade 1 (high efficiency) .. 5 (low efficiency) for a carbon-efficiency value K."""
    k = _decimal(k, "carbon-efficiency value K")
    if k < 0:
        raise GradingError("carbon-efficiency value K must not be negative")
    for upper, result in GRADE_UPPER_BOUNDS:
        if k <= upper:
            return result
    return LOWEST_GRADE


@dataclass(frozen=True)
class CarbonEfficiency:
    intensity: Decimal
    industry_average: Decimal
    k: Decimal
    grade: int
    band: str
    label_zh: str  # "高碳 3级"
    label_en: str  # "High-carbon, grade 3"

    def as_dict(self) -> dict:
        return {
            "intensity": str(self.intensity),
            "industry_average": str(self.industry_average),
            "k": str(self.k),
            "grade": self.grade,
            "band": self.band,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
        }


def labels(band: str, grade_number: int) -> tuple[str, str]:
    """("高碳 3级", "High-carbon, grade 3")"""
    zh, en = BAND_LABELS[band]
    return f"{zh} {grade_number}级", f"{en}, grade {grade_number}"


def grade_carbon_efficiency(intensity, industry_average) -> CarbonEfficiency:
    """Band, K and grade of an enterprise's intensity against its industry average."""
    intensity = _decimal(intensity, "intensity")
    industry_average = _decimal(industry_average, "industry average intensity")
    k = efficiency_value(intensity, industry_average)
    band = carbon_band(intensity)
    grade_number = grade(k)
    label_zh, label_en = labels(band, grade_number)
    return CarbonEfficiency(intensity, industry_average, k, grade_number, band, label_zh, label_en)
