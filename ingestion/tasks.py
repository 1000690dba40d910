"""Celery tasks of data collection: thin wrappers around services (queue `ocr`)."""

from celery import shared_task


@shared_task(name="ingestion.tasks.extract_invoice_draft", acks_late=True)
def extract_invoice_draft(draft_id: int) -> None:
    from .invoices.services import run_invoice_extraction

    run_invoice_extraction(draft_id=draft_id)
