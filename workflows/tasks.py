"""Thin Celery wrappers around workflow services (in-process on the embedded default)."""

from celery import shared_task


@shared_task(name="workflows.tasks.notify", ignore_result=True)
def notify(entry_id: int) -> None:
    """Notices and e-mails to the people who must act after audit entry `entry_id`."""
    from .notifications import notify_about_entry

    notify_about_entry(entry_id=entry_id)


@shared_task(name="workflows.tasks.audit_checkpoint", ignore_result=True)
def audit_checkpoint() -> None:
    """A signed checkpoint of the audit trail's head (schedule it with Celery beat or cron)."""
    from .services import write_audit_checkpoint

    write_audit_checkpoint()
