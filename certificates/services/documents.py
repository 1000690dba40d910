"""Rendering and storing documents with their SHA-256."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Least
from django.utils import timezone

from carbon_portal.core import outbox
from carbon_portal.core.models import OutboxMessage
from inventories.models import Inventory

from ..models import Document, Label
from ..resolution import invalidate

# Outbox topic (carbon_portal/core/outbox.py): {"inventory_id": ...}, recorded when labels are issued.
RENDER_DOCUMENTS_TOPIC = "certificates.render_documents"

CONTENT_TYPES = {
    Document.Kind.CERTIFICATE: "application/pdf",
    Document.Kind.VERIFICATION_STATEMENT: "application/pdf",
    Document.Kind.INVENTORY_REPORT: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@transaction.atomic
def store_document(*, inventory, kind: str, content: bytes, filename: str, label: Label | None = None) -> Document:
    document = Document(inventory=inventory, label=label, kind=kind, filename=filename,
                        content_type=CONTENT_TYPES[kind], sha256=hashlib.sha256(content).hexdigest(),
                        size=len(content))
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    if label is not None:
        invalidate(label)  # the resolution now links the certificate
    return document


def _safe(identifier: str) -> str:
    return identifier.replace("/", "_")


def render_label_certificate(*, label: Label) -> Document:
    from ..documents.certificate import render_certificate  # noqa: PLC0415 - WeasyPrint loads on demand

    content = render_certificate(label)
    return store_document(inventory=label.inventory, kind=Document.Kind.CERTIFICATE, content=content,
                          filename=f"certificate_{_safe(label.identifier)}.pdf", label=label)


def render_inventory_report(*, inventory) -> Document:
    from ..documents.report import build_report  # noqa: PLC0415

    content = build_report(inventory)
    return store_document(inventory=inventory, kind=Document.Kind.INVENTORY_REPORT, content=content,
                          filename=f"ghg_report_{inventory.enterprise.credit_code}_{inventory.year}.docx")


def render_verification_statement(*, inventory) -> Document:
    from ..documents.statement import render_statement  # noqa: PLC0415

    content = render_statement(inventory)
    return store_document(inventory=inventory, kind=Document.Kind.VERIFICATION_STATEMENT, content=content,
                          filename=f"verification_statement_{inventory.enterprise.credit_code}_{inventory.year}.pdf")


def render_inventory_documents(*, inventory_id: int) -> list[Document]:
    """The documents of an inventory's current labels: each label's certificate, the report and the
    verification statement. Idempotent (an outbox redelivery or retry): a document already rendered
    for the current labels is not rendered again; one that fails raises, and the outbox retries it."""
    inventory = Inventory.objects.get(pk=inventory_id)
    labels = list(Label.objects.filter(inventory=inventory, is_current=True).select_related("inventory"))
    if not labels:
        return []
    since = min(label.issued_at for label in labels)
    made = []
    for label in labels:
        if not Document.objects.filter(label=label, kind=Document.Kind.CERTIFICATE).exists():
            made.append(render_label_certificate(label=label))
    for kind, render in ((Document.Kind.INVENTORY_REPORT, render_inventory_report),
                         (Document.Kind.VERIFICATION_STATEMENT, render_verification_statement)):
        if not Document.objects.filter(inventory=inventory, kind=kind, created_at__gte=since).exists():
            made.append(render(inventory=inventory))
    return made


def retry_document_rendering(*, inventory) -> int:
    """Render the inventory's missing documents again now, e.g. after a failed render was fixed
    (fonts installed, disk space freed): the undelivered render messages are made due at once,
    an exhausted one gets one more attempt, and a delivery run is queued after the commit. It
    renders only what is missing for the current labels (render_inventory_documents) and never
    issues a label, so no retry supersedes anything. The number of messages made due (0: nothing
    was waiting)."""
    with transaction.atomic():
        updated = (OutboxMessage.objects.filter(topic=RENDER_DOCUMENTS_TOPIC, payload__inventory_id=inventory.pk,
                                                delivered_at__isnull=True)
                   .update(available_at=timezone.now(),
                           attempts=Least(F("attempts"), Value(outbox.MAX_ATTEMPTS - 1))))
        if updated:
            transaction.on_commit(outbox.kick)
    return updated
