"""Celery tasks of core: delivering the outbox (carbon_portal/core/outbox.py)."""

from celery import shared_task


@shared_task(name="carbon_portal.core.tasks.deliver_outbox", ignore_result=True)
def deliver_outbox() -> int:
    """Deliver the outbox messages that are due (after a commit, and periodically: Celery beat)."""
    from . import outbox

    return outbox.deliver_due()
