"""Results of a calculation, with the trace that explains each number.

Line figures (``tco2e``, ``energy_tce``) are magnitudes as the formula gives them; exported
lines carry ``sign = -1`` and count negatively in ``contribution_tco2e``, in ``by_category`` and in
the totals. ``as_dict`` gives the JSON form with decimals as strings (``format_decimal``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .decimals import format_decimal


@dataclass(frozen=True)
class LineResult:
    index: int
    category: str
    tco2e: Decimal
    activity_gj: Decimal | None
    energy_tce: Decimal
    factors: dict  # name -> {"value", "unit", "origin": "line"|"library"|"derived", "source", ...}
    formula: str
    source: str
    conversions: tuple[str, ...] = ()
    sign: int = 1
    energy_formula: str = ""
    activity: str = ""  # the activity data as used, e.g. "2400 MWh"
    fuel: str = ""
    description: str = ""

    @property
    def contribution_tco2e(self) -> Decimal:
        return self.tco2e if self.sign > 0 else -self.tco2e

    @property
    def contribution_tce(self) -> Decimal:
        return self.energy_tce if self.sign > 0 else -self.energy_tce

    def as_dict(self) -> dict:
        data = {"index": self.index, "category": self.category}
        if self.fuel:
            data["fuel"] = self.fuel
        if self.description:
            data["description"] = self.description
        data["tco2e"] = format_decimal(self.tco2e)
        data["contribution_tco2e"] = format_decimal(self.contribution_tco2e)
        if self.activity_gj is not None:
            data["activity_gj"] = format_decimal(self.activity_gj)
        data.update({
            "activity": self.activity,
            "energy_tce": format_decimal(self.energy_tce),
            "factors": self.factors,
            "formula": self.formula,
            "energy_formula": self.energy_formula,
            "source": self.source,
            "conversions": list(self.conversions),
        })
        return data


@dataclass(frozen=True)
class InventoryResult:
    total_tco2e: Decimal
    by_category: dict  # category -> signed Decimal, every category present
    energy_tce: Decimal
    energy_related_tco2e: Decimal  # the total less process emissions: the numerator of the intensity
    intensity_tco2e_per_10k_yuan: Decimal | None
    lines: tuple[LineResult, ...]
    factors_used: tuple[dict, ...]  # FactorValue.as_dict() of every library value used, in order of first use
    period_start: date | None = None
    period_end: date | None = None
    added_value_10k_yuan: Decimal | None = None
    region: str = ""
    factor_year: int | None = None  # the year electricity factors were chosen for
    library: dict = field(default_factory=dict)  # {"code", "version"}

    def as_dict(self) -> dict:
        return {
            "total_tco2e": format_decimal(self.total_tco2e),
            "by_category": {category: format_decimal(value) for category, value in self.by_category.items()},
            "energy_tce": format_decimal(self.energy_tce),
            "energy_related_tco2e": format_decimal(self.energy_related_tco2e),
            "intensity_tco2e_per_10k_yuan": format_decimal(self.intensity_tco2e_per_10k_yuan),
            "lines": [line.as_dict() for line in self.lines],
            "factors_used": [dict(item) for item in self.factors_used],
            "period": {
                "start": self.period_start.isoformat() if self.period_start else None,
                "end": self.period_end.isoformat() if self.period_end else None,
            },
            "added_value_10k_yuan": None if self.added_value_10k_yuan is None else str(self.added_value_10k_yuan),
            "region": self.region or None,
            "factor_year": self.factor_year,
            "factor_library": dict(self.library),
        }
