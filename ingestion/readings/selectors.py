"""Reads of meters, readings, roll-ups and quality issues, scoped to the caller."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from carbon_portal.accounts.models import Role
from inventories.models import Meter
from inventories.selectors import meters_visible_to

from ..models import DailyRollup, DeviceKey, MonthlyRollup, QualityIssue, Reading


def meters_writable_by(user) -> QuerySet[Meter]:
    """Meters whose readings a user may send: those of the enterprises where they are an
    officer (administrators: every meter)."""
    if not user.is_authenticated:
        return Meter.objects.none()
    if user.is_superuser or Role.ADMIN in user.roles:
        return Meter.objects.all()
    enterprise_ids = user.memberships.filter(role=Role.OFFICER).values("enterprise_id")
    return Meter.objects.filter(enterprise_id__in=enterprise_ids)


def meters_of_device_key(key: DeviceKey) -> QuerySet[Meter]:
    """A device key's own meters, and only those of its enterprise."""
    return Meter.objects.filter(device_keys=key, enterprise_id=key.enterprise_id)


def meter_list(meters: QuerySet[Meter]) -> QuerySet[Meter]:
    """Meters with their last reading's time and their open quality issues."""
    last = Reading.objects.filter(meter=OuterRef("pk")).order_by("-ts").values("ts")[:1]
    return (meters.select_related("enterprise", "facility", "parent")
            .annotate(last_reading_at=Subquery(last),
                      open_issues=Count("quality_issues", filter=Q(quality_issues__acknowledged_at__isnull=True)))
            .order_by("identifier"))


def meter_for_viewer(user, identifier: str) -> Meter | None:
    return meters_visible_to(user).filter(identifier=identifier).first()


def readings_between(meter: Meter, *, start: datetime.datetime | None, end: datetime.datetime | None,
                     limit: int) -> list[tuple]:
    """(ts, value) of the meter in [start, end), in time order, at most `limit`."""
    readings = Reading.objects.filter(meter=meter)
    if start is not None:
        readings = readings.filter(ts__gte=start)
    if end is not None:
        readings = readings.filter(ts__lt=end)
    return list(readings.order_by("ts").values_list("ts", "value")[:limit])


def daily_rollups(meter: Meter, *, start: datetime.date, end: datetime.date) -> QuerySet[DailyRollup]:
    return DailyRollup.objects.filter(meter=meter, day__gte=start, day__lte=end).order_by("day")


def monthly_rollups(meter: Meter) -> QuerySet[MonthlyRollup]:
    return MonthlyRollup.objects.filter(meter=meter).order_by("month")


def quality_issues(meter: Meter, *, include_acknowledged: bool = False) -> QuerySet[QualityIssue]:
    issues = QualityIssue.objects.filter(meter=meter).select_related("acknowledged_by").order_by("-ts")
    return issues if include_acknowledged else issues.filter(acknowledged_at__isnull=True)


def last_reading_at(meter: Meter) -> datetime.datetime | None:
    return Reading.objects.filter(meter=meter).aggregate(last=Max("ts"))["last"]
