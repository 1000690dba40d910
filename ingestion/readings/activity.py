"""Activity data of an inventory from its enterprise's meters: one record per meter with the
consumption of the inventory's period, read from the roll-ups only (never from the raw
readings): whole months from the monthly roll-ups, the part-months at the period's edges from
the daily ones.

Running it again replaces the inventory's earlier meter records. The lines are written by
`inventories.services.add_activity_batch`, which checks each with the calculation engine
against the inventory's factor set and stores them in one bulk insert, so that 500 meters take
well under a second.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from inventories.choices import Origin
from inventories.models import ActivityRecord, Inventory, Meter
from inventories.policies import ensure_can_edit_activity
from inventories.services import NewActivity, add_activity_batch

from ..activity_lines import activity_line
from ..models import DailyRollup, MonthlyRollup


SIX_PLACES = Decimal("0.000001")


@dataclass
class MeterActivityReport:
    created: list[ActivityRecord] = field(default_factory=list)
    replaced: int = 0
    skipped: list[dict] = field(default_factory=list)  # [{"meter": identifier, "reason": "..."}]

    def as_dict(self) -> dict:
        return {
            "created": [{"id": r.pk, "meter": r.meter.identifier, "category": r.category, "fuel": r.fuel,
                         "quantity": format(r.quantity, "f"), "unit": r.unit} for r in self.created],
            "replaced": self.replaced,
            "skipped": self.skipped,
        }


@transaction.atomic
def create_meter_activity(*, inventory: Inventory, created_by, meters=None) -> MeterActivityReport:
    """Replace the inventory's meter records with the consumption of each active meter of its
    enterprise (or of `meters`) over the inventory's period."""
    ensure_can_edit_activity(created_by, inventory)
    chosen = Meter.objects.filter(enterprise_id=inventory.enterprise_id, is_active=True)
    if meters is not None:
        chosen = chosen.filter(pk__in=[meter.pk for meter in meters])
    chosen = list(chosen.select_related("emission_source").order_by("identifier"))
    totals = consumption_in_period([meter.pk for meter in chosen], inventory.period_start, inventory.period_end)
    report = MeterActivityReport()
    earlier = ActivityRecord.objects.filter(inventory=inventory, origin=Origin.METER)
    if meters is not None:
        earlier = earlier.filter(meter__in=chosen)
    report.replaced = earlier.delete()[1].get(ActivityRecord._meta.label, 0)
    lines = []
    for meter in chosen:
        total = totals.get(meter.pk)
        reason = _reason_to_skip(meter, total)
        line = None if reason else activity_line(
            energy_type=meter.energy_type, quantity=total, unit=meter.unit,
            description=f"{meter.identifier} {meter.name}")
        if line is None:
            report.skipped.append({"meter": meter.identifier,
                                   "reason": reason or _("%(type)s is not activity data")
                                   % {"type": meter.get_energy_type_display()}})
            continue
        lines.append(NewActivity(line=line, meter=meter, emission_source=meter.emission_source,
                                 period_start=inventory.period_start, period_end=inventory.period_end))
    batch = add_activity_batch(inventory=inventory, actor=created_by, lines=lines, origin=Origin.METER)
    report.skipped += [{"meter": lines[entry.index].meter.identifier, "reason": entry.message}
                       for entry in batch.refused]
    position = {meter.identifier: index for index, meter in enumerate(chosen)}
    report.skipped.sort(key=lambda entry: position[entry["meter"]])  # in the meters' order
    report.created = batch.records
    return report


def _reason_to_skip(meter: Meter, total: Decimal | None) -> str:
    if total is None:
        return _("no readings in the inventory's period")
    if total <= 0:
        return _("no consumption in the inventory's period")
    return ""


def consumption_in_period(meter_ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
    """{meter id: consumption in [start, end]} from the roll-ups: whole months from the monthly
    ones, the part-months at either edge from the daily ones. Meters without any roll-up in
    the period are missing from the result."""
    if not meter_ids:
        return {}
    first_whole = start if start.day == 1 else _next_month(start)
    after_end = end + datetime.timedelta(days=1)
    last_whole_end = after_end if after_end.day == 1 else after_end.replace(day=1)  # exclusive
    totals: dict[int, Decimal] = {}

    def add(rows):
        for meter_id, amount in rows:
            if amount is not None:
                # SQLite sums its REAL decimals in floating point: back to the column's 6 places.
                totals[meter_id] = totals.get(meter_id, Decimal(0)) + Decimal(str(amount)).quantize(SIX_PLACES)

    if first_whole < last_whole_end:
        add(MonthlyRollup.objects.filter(meter_id__in=meter_ids, month__gte=first_whole, month__lt=last_whole_end)
            .values("meter_id").annotate(total=Sum("consumption")).values_list("meter_id", "total"))
        edges = [(start, first_whole), (last_whole_end, after_end)]
    else:  # the period lies within one month
        edges = [(start, after_end)]
    for low, high in edges:
        if low < high:
            add(DailyRollup.objects.filter(meter_id__in=meter_ids, day__gte=low, day__lt=high)
                .values("meter_id").annotate(total=Sum("consumption")).values_list("meter_id", "total"))
    return totals


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
