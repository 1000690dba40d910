"""Data-quality issues: the usual behaviour of a meter (from its roll-ups), and storing what
the series found. Issues are unique per (meter, kind, ts), so re-sent readings add nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from ..models import DailyRollup, QualityIssue
from .series import Baseline, Issue

BASELINE_DAYS = 30
SERIES_KINDS = ("gap", "negative_delta", "rollover", "spike")


def rollup_baselines(meter_ids, before: datetime.date) -> dict[int, Baseline]:
    """Usual spacing and consumption per reading over the 30 days before `before`."""
    if not meter_ids:
        return {}
    rows = (DailyRollup.objects
            .filter(meter_id__in=meter_ids, day__lt=before, day__gte=before - datetime.timedelta(days=BASELINE_DAYS))
            .values("meter_id").annotate(days=Count("day"), total=Sum("consumption"), readings=Sum("reading_count")))
    baselines = {}
    for row in rows:
        if not row["readings"]:
            continue
        spacing = row["days"] * 86400 / row["readings"]
        consumption = Decimal(row["total"]) / row["readings"] if row["total"] and row["total"] > 0 else None
        baselines[row["meter_id"]] = Baseline(spacing=spacing, consumption=consumption)
    return baselines


def drop_stale_issues(stale: list[tuple[int, datetime.datetime, datetime.datetime]]) -> None:
    """Series issues in (low, high] of a meter are found again after an out-of-order insert;
    the unacknowledged ones are dropped first (an acknowledged one stays as it was)."""
    if not stale:
        return
    where = Q(pk__in=[])
    for meter_id, low, high in stale:
        where |= Q(meter_id=meter_id, ts__gt=low, ts__lte=high)
    QualityIssue.objects.filter(where, kind__in=SERIES_KINDS, acknowledged_at__isnull=True).delete()


def record_issues(issues: list[Issue]) -> None:
    if issues:
        now = timezone.now()
        QualityIssue.objects.bulk_create(
            [QualityIssue(meter_id=i.meter_id, kind=i.kind, ts=i.ts, details=i.details, detected_at=now)
             for i in issues],
            batch_size=1000, ignore_conflicts=True,
        )


def acknowledge_issues(*, meter, issue_ids, acknowledged_by) -> int:
    """Mark issues of `meter` as seen by an officer of its enterprise; returns how many."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from .selectors import meters_writable_by

    if not meters_writable_by(acknowledged_by).filter(pk=meter.pk).exists():
        raise PermissionDenied(_("Only a carbon officer of the meter's enterprise may acknowledge its issues."))
    ids = [int(pk) for pk in issue_ids if str(pk).isdigit()]
    return QualityIssue.objects.filter(meter=meter, pk__in=ids, acknowledged_at__isnull=True).update(
        acknowledged_by=acknowledged_by, acknowledged_at=timezone.now())
