"""A versioned factor library and the rule that picks a factor for a period.

``FactorLibrary.from_dict`` takes the structure of ``fixtures/factor_library.json``::

    {"code": "cn-default", "version": "2026.1", "name_zh": ..., "name_en": ..., "published_on": "2026-11-01",
     "description": ...,
     "subjects": {"raw_coal": {"zh": "原煤", "en": "Raw coal", "kind": "fuel", "base_unit": "t"}, ...},
     "values": [{"subject", "parameter", "value", "unit", "programme", "region", "data_year", "valid_from",
                 "valid_until", "source", "note"}, ...]}

``subjects`` may be left out; the built-in ``DEFAULT_SUBJECTS`` are used then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .decimals import to_decimal
from .errors import CalculationError
from .units import UnitError, parse_unit

SUBJECT_KINDS = ("fuel", "electricity", "heat")
PARAMETERS = (
    "ncv", "carbon_content", "oxidation_rate", "standard_coal", "density", "emission_factor", "energy_equivalent",
)
# Programme used when a caller does not name one; any other pair uses the programme "".
DEFAULT_PROGRAMMES = {("electricity", "emission_factor"): "grid_average"}

DEFAULT_LIBRARY_PATH = Path(__file__).resolve().parents[2] / "fixtures" / "factor_library.json"

DEFAULT_SUBJECTS = {
    "raw_coal": {"zh": "原煤", "en": "Raw coal", "kind": "fuel", "base_unit": "t"},
    "coke": {"zh": "焦炭", "en": "Coke", "kind": "fuel", "base_unit": "t"},
    "crude_oil": {"zh": "原油", "en": "Crude oil", "kind": "fuel", "base_unit": "t"},
    "fuel_oil": {"zh": "燃料油", "en": "Fuel oil", "kind": "fuel", "base_unit": "t"},
    "gasoline": {"zh": "汽油", "en": "Gasoline", "kind": "fuel", "base_unit": "t"},
    "kerosene": {"zh": "煤油", "en": "Kerosene", "kind": "fuel", "base_unit": "t"},
    "diesel": {"zh": "柴油", "en": "Diesel", "kind": "fuel", "base_unit": "t"},
    "lpg": {"zh": "液化石油气", "en": "Liquefied petroleum gas (LPG)", "kind": "fuel", "base_unit": "t"},
    "refinery_dry_gas": {"zh": "炼厂干气", "en": "Refinery dry gas", "kind": "fuel", "base_unit": "t"},
    "natural_gas": {"zh": "天然气", "en": "Natural gas", "kind": "fuel", "base_unit": "10^4 Nm3"},
    "electricity": {"zh": "电力", "en": "Electricity", "kind": "electricity", "base_unit": "MWh"},
    "heat": {"zh": "热力", "en": "Heat", "kind": "heat", "base_unit": "GJ"},
}


def _optional_date(value, what: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CalculationError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def _optional_year(value, what: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise CalculationError(f"{what} {value!r} is not a year")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CalculationError(f"{what} {value!r} is not a year") from None


@dataclass(frozen=True)
class Subject:
    code: str
    zh: str
    en: str
    kind: str  # "fuel" | "electricity" | "heat"
    base_unit: str  # unit quantities are brought to: "t", "10^4 Nm3", "MWh", "GJ"

    def as_dict(self) -> dict:
        return {"zh": self.zh, "en": self.en, "kind": self.kind, "base_unit": self.base_unit}


@dataclass(frozen=True)
class FactorValue:
    subject: str
    parameter: str
    value: Decimal
    unit: str
    programme: str = ""
    region: str = ""
    data_year: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    source: str = ""
    note: str = ""

    @classmethod
    def from_dict(cls, data: dict, what: str = "factor value") -> FactorValue:
        if not isinstance(data, dict):
            raise CalculationError(f"{what} must be an object")
        for key in ("subject", "parameter", "value", "unit"):
            if key not in data:
                raise CalculationError(f"{what}: {key} is required")
        factor = cls(
            subject=str(data["subject"]),
            parameter=str(data["parameter"]),
            value=to_decimal(data["value"], f"{what}: value"),
            unit=str(data["unit"] or ""),
            programme=str(data.get("programme") or ""),
            region=str(data.get("region") or ""),
            data_year=_optional_year(data.get("data_year"), f"{what}: data_year"),
            valid_from=_optional_date(data.get("valid_from"), f"{what}: valid_from"),
            valid_until=_optional_date(data.get("valid_until"), f"{what}: valid_until"),
            source=str(data.get("source") or ""),
            note=str(data.get("note") or ""),
        )
        try:
            parse_unit(factor.unit)
        except UnitError:
            raise CalculationError(f"{what}: unknown unit {factor.unit!r}") from None
        if factor.valid_from and factor.valid_until and factor.valid_from > factor.valid_until:
            raise CalculationError(f"{what}: valid_from is after valid_until")
        return factor

    def as_dict(self) -> dict:
        """The JSON form, with exactly the keys of a ``values`` entry."""
        return {
            "subject": self.subject,
            "parameter": self.parameter,
            "value": str(self.value),
            "unit": self.unit,
            "programme": self.programme,
            "region": self.region,
            "data_year": self.data_year,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "source": self.source,
            "note": self.note,
        }

    @property
    def key(self) -> tuple:
        return (self.subject, self.parameter, self.programme, self.region, self.data_year, self.valid_from,
                self.valid_until)

    def applies_to(self, start: date | None, end: date | None) -> bool:
        """True when the validity window (if any) overlaps the period."""
        if self.valid_from and end and self.valid_from > end:
            return False
        if self.valid_until and start and self.valid_until < start:
            return False
        return True

    def describe(self) -> str:
        """``programme grid_average, region CN-EAST, data year 2023`` (the parts that are set), else "default"."""
        if not (self.programme or self.region or self.data_year is not None):
            return "default"
        parts = []
        if self.programme:
            parts.append(f"programme {self.programme}")
        parts.append(f"region {self.region}" if self.region else "national")
        if self.data_year is not None:
            parts.append(f"data year {self.data_year}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Selection:
    """A factor chosen from the library and why it was chosen."""

    factor: FactorValue
    reason: str


@dataclass(frozen=True)
class FactorLibrary:
    code: str
    version: str
    values: tuple[FactorValue, ...]
    subjects: tuple[Subject, ...] = ()
    name_zh: str = ""
    name_en: str = ""
    published_on: date | None = None
    description: str = ""
    _subjects: dict = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "_subjects", {subject.code: subject for subject in self.subjects})

    # -- construction -------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict) -> FactorLibrary:
        if not isinstance(data, dict):
            raise CalculationError("factor library must be an object")
        for key in ("code", "version", "values"):
            if not data.get(key) and data.get(key) != []:
                raise CalculationError(f"factor library: {key} is required")
        if not isinstance(data["values"], list):
            raise CalculationError("factor library: values must be a list")
        subjects = []
        for code, info in (data.get("subjects") or DEFAULT_SUBJECTS).items():
            if not isinstance(info, dict) or info.get("kind") not in SUBJECT_KINDS or not info.get("base_unit"):
                raise CalculationError(f"factor library: subject {code!r} needs kind ({'/'.join(SUBJECT_KINDS)}) "
                                       "and base_unit")
            try:
                parse_unit(info["base_unit"])
            except UnitError:
                raise CalculationError(f"factor library: subject {code!r} has unknown base_unit "
                                       f"{info['base_unit']!r}") from None
            subjects.append(Subject(code, str(info.get("zh", "")), str(info.get("en", "")), info["kind"],
                                    info["base_unit"]))
        known = {subject.code for subject in subjects}
        values = []
        seen = set()
        for position, item in enumerate(data["values"]):
            factor = FactorValue.from_dict(item, f"factor library: values[{position}]")
            if factor.subject not in known:
                raise CalculationError(f"factor library: values[{position}]: unknown subject {factor.subject!r}")
            if factor.parameter not in PARAMETERS:
                raise CalculationError(f"factor library: values[{position}]: unknown parameter {factor.parameter!r}")
            if factor.key in seen:
                raise CalculationError(f"factor library: values[{position}] repeats {factor.subject} "
                                       f"{factor.parameter} ({factor.describe()})")
            seen.add(factor.key)
            values.append(factor)
        return cls(
            code=str(data["code"]),
            version=str(data["version"]),
            values=tuple(values),
            subjects=tuple(subjects),
            name_zh=str(data.get("name_zh") or ""),
            name_en=str(data.get("name_en") or ""),
            published_on=_optional_date(data.get("published_on"), "factor library: published_on"),
            description=str(data.get("description") or ""),
        )

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "version": self.version,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "description": self.description,
            "subjects": {subject.code: subject.as_dict() for subject in self.subjects},
            "values": [factor.as_dict() for factor in self.values],
        }

    @property
    def label(self) -> str:
        return f"{self.code} {self.version}"

    # -- subjects -----------------------------------------------------------------------------------

    def subject(self, code: str) -> Subject | None:
        return self._subjects.get(code)

    def fuels(self) -> tuple[str, ...]:
        return tuple(subject.code for subject in self.subjects if subject.kind == "fuel")

    # -- factor choice ------------------------------------------------------------------------------

    def value(self, subject: str, parameter: str, *, programme: str | None = None, region: str | None = None,
              year: int | None = None) -> FactorValue:
        """The factor ``select`` picks (see there)."""
        return self.select(subject, parameter, programme=programme, region=region, year=year).factor

    def select(self, subject: str, parameter: str, *, programme: str | None = None, region: str | None = None,
               year: int | None = None, period: tuple[date, date] | None = None) -> Selection:
        """Pick one value of ``parameter`` for ``subject``; CalculationError if there is none.

        1. programme: the one named, else the default (``grid_average`` for the electricity
           emission factor, ``""`` for everything else);
        2. region: the one named if the library has it (case-insensitive), else the national value
           (region ""), and the reason says the region was not found;
        3. validity: values whose valid_from/valid_until window does not overlap ``period`` are left out;
        4. data year: the most recent data_year <= ``year``; if every data year is later, the earliest;
           without ``year``, the most recent.
        """
        where = f"factor library {self.label}"
        candidates = [v for v in self.values if v.subject == subject and v.parameter == parameter]
        if not candidates:
            raise CalculationError(f"{where} has no {parameter} for {subject}")
        notes = []

        wanted = programme if programme is not None else DEFAULT_PROGRAMMES.get((subject, parameter), "")
        candidates = [v for v in candidates if v.programme == wanted]
        if not candidates:
            raise CalculationError(f"{where} has no {parameter} for {subject} in programme {wanted!r}")

        if region:
            regional = [v for v in candidates if v.region.lower() == region.lower()]
            if regional:
                candidates = regional
            else:
                notes.append(f"no value for region {region}, national value used")
                candidates = [v for v in candidates if not v.region]
        else:
            candidates = [v for v in candidates if not v.region]
        if not candidates:
            raise CalculationError(f"{where} has no national {parameter} for {subject} in programme {wanted!r}")

        if period is not None:
            candidates = [v for v in candidates if v.applies_to(*period)]
            if not candidates:
                raise CalculationError(
                    f"{where} has no {parameter} for {subject} valid from {period[0]} to {period[1]}"
                )

        dated = [v for v in candidates if v.data_year is not None]
        if dated:
            if year is None:
                chosen = max(dated, key=lambda v: v.data_year)
                notes.append(f"most recent data year {chosen.data_year}")
            else:
                earlier = [v for v in dated if v.data_year <= year]
                if earlier:
                    chosen = max(earlier, key=lambda v: v.data_year)
                    notes.append(f"most recent data year <= {year}")
                else:
                    chosen = min(dated, key=lambda v: v.data_year)
                    notes.append(f"no data year <= {year}, earliest data year {chosen.data_year} used")
            ties = [v for v in dated if v.data_year == chosen.data_year]
        else:
            chosen = candidates[0]
            ties = candidates
        if len(ties) > 1:
            raise CalculationError(f"{where} has {len(ties)} values of {parameter} for {subject} "
                                   f"({chosen.describe()}); narrow them by validity")
        reason = f"{chosen.describe()}" + (f" ({'; '.join(notes)})" if notes else "")
        return Selection(chosen, reason)


def load_library(path: str | Path) -> FactorLibrary:
    with open(path, encoding="utf-8") as handle:
        return FactorLibrary.from_dict(json.load(handle))


@lru_cache(maxsize=1)
def load_default_library() -> FactorLibrary:
    """The library in ``fixtures/factor_library.json`` at the repository root."""
    return load_library(DEFAULT_LIBRARY_PATH)
