"""Writes of the security log beyond single events."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .events import record_event
from .models import EventKind, SecurityEvent


def purge_security_log(*, days: int | None = None) -> dict:
    """Delete the events older than `days` (default SECURITY_LOG_RETENTION_DAYS) and record that
    in the log itself (`log_purged`, with the count and the cut-off). One transaction."""
    days = settings.SECURITY_LOG_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("the retention is at least one day")
    cutoff = timezone.now() - datetime.timedelta(days=days)
    with transaction.atomic():
        deleted, _by_model = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
        event = record_event(kind=EventKind.LOG_PURGED, deleted=deleted, before=cutoff.isoformat(),
                             retention_days=days)
    return {"deleted": deleted, "before": cutoff.isoformat(), "retention_days": days, "event_id": event.pk}
