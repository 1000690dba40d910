"""Celery tasks of data collection: thin wrappers around services (queue `ocr`)."""

from celery import shared_task


@shared_task(name="ingestion.tasks.extract_invoice_draft", acks_late=True)
def extract_invoice_draft(draft_id: int) -> None:
    from .invoices.services import run_invoice_extraction

    run_invoice_extraction(draft_id=draft_id)


@shared_task(name="ingestion.tasks.readings_partitions", ignore_result=True)
def readings_partitions(ahead: int = 3) -> dict:
    """The readings table's monthly partitions `ahead` and READINGS_RETENTION_MONTHS (detach only):
    `manage.py readings_partitions` without arguments. Needs the table's owner: routed to the
    queue `maintenance` (docs/deployment.md)."""
    from .readings import partitions

    if not partitions.is_partitioned():
        return {"partitioned": False}
    return partitions.maintain(ahead=ahead, archive=partitions.retention_cutoff()).as_dict()
