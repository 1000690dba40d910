"""Thin Celery wrappers around workflow services (in-process on the embedded default)."""

from celery import shared_task


@shared_task(name="workflows.tasks.notify", ignore_result=True)
def notify(entry_id: int) -> None:
    """Notices and e-mails to the people who must act after audit entry `entry_id`."""
    from .notifications import notify_about_entry

    notify_about_entry(entry_id=entry_id)
