"""What data collection delivers from the outbox (carbon_portal.core.outbox). Connected in
IngestionConfig.ready()."""

from carbon_portal.core import outbox

from .invoices.services import EXTRACT_INVOICE_TOPIC
from .tasks import extract_invoice_draft


def queue_invoice_extraction(payload: dict) -> None:
    """Queue the extraction of a new invoice draft; a broker outage fails the delivery, and the
    outbox tries again later. Extraction only ever runs on a pending draft, so a second delivery
    changes nothing."""
    extract_invoice_draft.delay(payload["draft_id"])


def connect() -> None:
    outbox.register(EXTRACT_INVOICE_TOPIC)(queue_invoice_extraction)
