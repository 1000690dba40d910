"""Possible double counting: the same energy of the same facility over overlapping periods,
arriving from more than one origin (meter roll-up, invoice, spreadsheet import, manual entry).

Pure Python (no database): `find_groups` takes the facts of an inventory's records and answers
the suspected groups; `resolve` applies the officer's decisions to them. The reads and the
decision service are in `inventories.double_counts`.

- Records are compared by facility (the meter's facility, else the emission source's, else the
  meter's source's) and energy (category and fuel). A record without any facility (an invoice
  of the whole site's supply, say) is compared with the records of every facility.
- Periods are dates, both ends included; a record without a period covers the inventory's period.
  Records whose periods overlap, directly or through a chain of overlaps, form one cluster.
- A cluster is a suspected double count when its records come from more than one origin.

A decision covers the records it compared. It settles a group when it is the latest decision
touching the group, it covers every record of the group, and (unless it counts all) the origin
it keeps still has records in the group. Otherwise the group is open again: a new record of
another origin, or the kept records gone, make the officer look again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .calculation import convert, parse_unit
from .calculation.units import UnitError

COUNT_ALL = "all"

# The order origins are shown in (side by side, left to right).
ORIGIN_ORDER = ("meter", "invoice", "import", "manual")

UNRESOLVED = "unresolved"
DECIDED = "decided"
REOPENED = "reopened"


@dataclass(frozen=True)
class RecordFacts:
    """What detection needs of one activity record."""

    id: int
    origin: str
    category: str
    fuel: str
    quantity: Decimal
    unit: str
    facility_id: int | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


@dataclass(frozen=True)
class DecisionFacts:
    """What resolution needs of one decision: its id, the records it covered, those it excluded,
    the origin it counted (or COUNT_ALL). Give decisions latest first."""

    id: int
    record_ids: frozenset[int]
    excluded_ids: frozenset[int]
    counted: str


@dataclass
class Group:
    key: str
    facility_id: int | None
    category: str
    fuel: str
    period_start: datetime.date
    period_end: datetime.date
    records: list[RecordFacts]
    # Set by `resolve`:
    status: str = UNRESOLVED
    decision_id: int | None = None
    excluded_ids: frozenset[int] = frozenset()
    new_ids: frozenset[int] = frozenset()  # records the (reopened) decision did not cover

    @property
    def record_ids(self) -> tuple[int, ...]:
        return tuple(record.id for record in self.records)

    @property
    def origins(self) -> tuple[str, ...]:
        present = {record.origin for record in self.records}
        return tuple(sorted(present, key=_origin_rank))

    @property
    def resolved(self) -> bool:
        return self.status == DECIDED

    def by_origin(self) -> dict[str, list[RecordFacts]]:
        columns: dict[str, list[RecordFacts]] = {origin: [] for origin in self.origins}
        for record in self.records:
            columns[record.origin].append(record)
        return columns


def _origin_rank(origin: str) -> tuple[int, str]:
    return (ORIGIN_ORDER.index(origin) if origin in ORIGIN_ORDER else len(ORIGIN_ORDER), origin)


def group_key(*, facility_id: int | None, category: str, fuel: str, first_record_id: int) -> str:
    """A key that names a group in URLs and the API: letters, digits, '-' and '_' only."""
    return f"{facility_id or 0}-{category}-{fuel or 'none'}-{first_record_id}"


def find_groups(records, *, period_start: datetime.date, period_end: datetime.date) -> list[Group]:
    """The suspected double counts among `records` (RecordFacts), ordered by facility, energy
    and period; each group's records ordered by origin, then id.

    Two records of the same energy are compared when their periods overlap and they are of the
    same facility, or one of them has none: a line without a facility (an invoice of the whole
    site's supply, say) covers every facility. Compared records, directly or through a chain,
    form one cluster; a cluster of more than one origin is a group."""
    by_energy: dict[tuple, list[tuple[datetime.date, datetime.date, RecordFacts]]] = defaultdict(list)
    for record in records:
        start = record.period_start or period_start
        end = record.period_end or period_end
        if end < start:
            start, end = end, start
        by_energy[(record.category, record.fuel or "")].append((start, end, record))
    groups = []
    for (category, fuel), items in by_energy.items():
        if len({item[2].origin for item in items}) < 2:
            continue
        for cluster in _clusters(items):
            facilities = {item[2].facility_id for item in cluster}
            facility_id = facilities.pop() if len(facilities) == 1 else None
            groups.extend(_group(facility_id, category, fuel, cluster))
    groups.sort(key=lambda group: (group.facility_id is None, group.facility_id or 0, group.category, group.fuel,
                                   group.period_start, group.records[0].id))
    return groups


def _clusters(items):
    """Connected sets of `items` (start, end, record): a sweep by start date compares each with
    those still running, and joins those of the same facility or without one."""
    items = sorted(items, key=lambda item: (item[0], item[1], item[2].id))
    parent = list(range(len(items)))

    def root(index):
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    running: list[int] = []
    for index, (start, _end, record) in enumerate(items):
        running = [other for other in running if items[other][1] >= start]
        for other in running:
            facility = items[other][2].facility_id
            if facility is None or record.facility_id is None or facility == record.facility_id:
                parent[root(index)] = root(other)
        running.append(index)
    clusters: dict[int, list] = defaultdict(list)
    for index, item in enumerate(items):
        clusters[root(index)].append(item)
    return list(clusters.values())


def _group(facility_id, category, fuel, cluster) -> list[Group]:
    if len({item[2].origin for item in cluster}) < 2:
        return []
    records = sorted((item[2] for item in cluster), key=lambda record: (_origin_rank(record.origin), record.id))
    return [Group(
        key=group_key(facility_id=facility_id, category=category, fuel=fuel,
                      first_record_id=min(record.id for record in records)),
        facility_id=facility_id, category=category, fuel=fuel,
        period_start=min(item[0] for item in cluster), period_end=max(item[1] for item in cluster),
        records=records,
    )]


def resolve(groups: list[Group], decisions) -> list[Group]:
    """Set each group's status from `decisions` (DecisionFacts, latest first); returns `groups`."""
    decisions = list(decisions)
    for group in groups:
        ids = set(group.record_ids)
        latest = next((decision for decision in decisions if decision.record_ids & ids), None)
        group.status, group.decision_id, group.excluded_ids, group.new_ids = UNRESOLVED, None, frozenset(), frozenset()
        if latest is None:
            continue
        group.decision_id = latest.id
        group.new_ids = frozenset(ids - latest.record_ids)
        kept_present = latest.counted == COUNT_ALL or latest.counted in group.origins
        if group.new_ids or not kept_present:
            group.status = REOPENED
            continue
        group.status = DECIDED
        group.excluded_ids = frozenset(latest.excluded_ids & ids)
    return groups


def excluded_record_ids(groups: list[Group]) -> set[int]:
    """The records that settled groups leave out of the calculation."""
    return {record_id for group in groups if group.resolved for record_id in group.excluded_ids}


def excluded_by(records, counted: str) -> set[int]:
    """The ids of `records` that a decision counting `counted` (an origin or COUNT_ALL) excludes."""
    if counted == COUNT_ALL:
        return set()
    return {record.id for record in records if record.origin != counted}


# --- Comparison: quantities side by side, in one unit where the units allow -----------------------


@dataclass
class OriginColumn:
    origin: str
    records: list[RecordFacts]
    converted: dict[int, Decimal | None] = field(default_factory=dict)  # record id -> in the group's unit
    total: Decimal | None = None  # in the group's unit; None when a record could not be converted


def comparison(group: Group) -> tuple[str, list[OriginColumn]]:
    """The unit the group's quantities are compared in (that of its first record whose unit is
    known) and one column per origin, each record converted to it where the units allow
    (kWh and MWh, m3 and 10^4 m3); a quantity that cannot be converted stays as it is."""
    unit = next((record.unit for record in group.records if _known(record.unit)), "")
    columns = []
    for origin, records in group.by_origin().items():
        column = OriginColumn(origin=origin, records=records)
        total = Decimal(0)
        for record in records:
            value = _converted(record.quantity, record.unit, unit)
            column.converted[record.id] = value
            total = None if value is None or total is None else total + value
        column.total = None if total is None else total.normalize()
        columns.append(column)
    return unit, columns


def _known(unit: str) -> bool:
    try:
        parse_unit(unit)
    except UnitError:
        return False
    return True


def _converted(quantity: Decimal, unit: str, target: str) -> Decimal | None:
    if not target:
        return None
    try:
        return convert(quantity, unit, target).normalize()
    except UnitError:
        return None
