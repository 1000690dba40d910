"""The per-line trace: which factor values were used, where they came from, which conversions."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from .decimals import plain, short
from .library import FactorLibrary, Selection


@dataclass
class LineTrace:
    library: FactorLibrary
    factors: dict = field(default_factory=dict)
    conversions: list = field(default_factory=list)
    _from_line: list = field(default_factory=list)
    _from_library: list = field(default_factory=list)
    library_factors: list = field(default_factory=list)  # the FactorValues behind the library entries

    def merge(self, other: LineTrace) -> None:
        """Add what ``other`` recorded (a shared, already resolved factor) to this line's trace."""
        self.factors.update(other.factors)
        self.conversions.extend(other.conversions)
        self._from_line.extend(other._from_line)
        self._from_library.extend(other._from_library)

    def from_line(self, name: str, value: Decimal, unit: str, used: Decimal, used_unit: str) -> None:
        entry = {"value": plain(value), "unit": unit, "origin": "line", "source": "line input"}
        self._add_used(entry, value, unit, used, used_unit)
        self.factors[name] = entry
        self._from_line.append(name)

    def from_library(self, name: str, selection: Selection, used: Decimal, used_unit: str) -> None:
        factor = selection.factor
        entry = {
            "value": str(factor.value),
            "unit": factor.unit,
            "origin": "library",
            "source": factor.source,
            "library": self.library.label,
            "programme": factor.programme,
            "region": factor.region,
            "data_year": factor.data_year,
            "selection": selection.reason,
        }
        self._add_used(entry, factor.value, factor.unit, used, used_unit)
        self.factors[name] = entry
        self._from_library.append((name, factor.source))
        self.library_factors.append(factor)

    def derived(self, name: str, value: Decimal, unit: str, how: str) -> None:
        self.factors[name] = {"value": short(value), "unit": unit, "origin": "derived", "source": how}

    def constant(self, name: str, value: Decimal, unit: str, source: str) -> None:
        self.factors[name] = {"value": plain(value), "unit": unit, "origin": "constant", "source": source}

    @staticmethod
    def _add_used(entry: dict, value: Decimal, unit: str, used: Decimal, used_unit: str) -> None:
        if used_unit != unit or used != value:
            entry["value_used"] = short(used)
            entry["unit_used"] = used_unit

    def source(self) -> str:
        """Where the line's factors came from, grouped by source.

        E.g. ``line: ncv; library cn-default 2026.1: carbon_content (GB/T 32151 ...); standard_coal (GB/T 2589-2020)``
        """
        return _source_text(self.library.label, tuple(self._from_line), tuple(self._from_library))


@lru_cache(maxsize=4096)  # the same few combinations recur on thousands of lines
def _source_text(label: str, from_line: tuple, from_library: tuple) -> str:
    parts = []
    if from_line:
        parts.append("line: " + ", ".join(from_line))
    if from_library:
        by_source: dict[str, list[str]] = {}
        for name, source in from_library:
            by_source.setdefault(source, []).append(name)
        cited = "; ".join(f"{', '.join(names)} ({source})" if source else ", ".join(names)
                          for source, names in by_source.items())
        parts.append(f"library {label}: {cited}")
    return "; ".join(parts) or "line input"
