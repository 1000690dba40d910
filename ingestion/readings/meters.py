"""The few facts about a meter that the write path needs, loaded once per batch."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from inventories.models import Meter


@dataclass(frozen=True, slots=True)
class MeterInfo:
    id: int
    identifier: str
    cumulative: bool
    register_max: Decimal | None


def writable_meters(scope: QuerySet[Meter], identifiers) -> dict[str, MeterInfo]:
    """The active meters of `scope` among `identifiers`, by identifier."""
    identifiers = {identifier for identifier in identifiers if isinstance(identifier, str)}
    rows = scope.filter(identifier__in=identifiers, is_active=True).values_list(
        "id", "identifier", "reading_kind", "register_max")
    return {
        identifier: MeterInfo(pk, identifier, kind == Meter.ReadingKind.CUMULATIVE,
                              register_max if register_max else None)
        for pk, identifier, kind, register_max in rows
    }
