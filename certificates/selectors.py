"""Reads of labels, documents and footprint inputs, scoped to the user."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from carbon_portal.accounts.models import Role
from carbon_portal.core import outbox
from carbon_portal.core.models import OutboxMessage
from inventories.selectors import inventories_visible_to

from .models import Document, Label, UpstreamInput
from .policies import is_admin
from .services.documents import RENDER_DOCUMENTS_TOPIC


def labels_visible_to(user) -> QuerySet[Label]:
    """Labels of the inventories the user may see, plus those of the user's verifier body."""
    if not user.is_authenticated:
        return Label.objects.none()
    if is_admin(user):
        return Label.objects.all()
    bodies = user.memberships.filter(role=Role.VERIFIER).values("verifier_body_id")
    return Label.objects.filter(Q(inventory__in=inventories_visible_to(user)) | Q(verifier_body_id__in=bodies))


def documents_visible_to(user) -> QuerySet[Document]:
    """Documents of the inventories the user may see (enterprise members; the verifier assigned, as
    workflows scopes it; government users for verified inventories in their jurisdiction; admins)."""
    if not user.is_authenticated:
        return Document.objects.none()
    if is_admin(user):
        return Document.objects.all()
    return Document.objects.filter(Q(inventory__in=inventories_visible_to(user))
                                   | Q(label__in=labels_visible_to(user)))


def latest_documents(inventory, user=None) -> dict:
    """{kind: Document} of the newest inventory-level documents, {label_id: Document} of certificates."""
    documents = documents_visible_to(user) if user is not None else Document.objects.all()
    documents = documents.filter(inventory=inventory).order_by("created_at", "id")
    by_kind, certificates = {}, {}
    for document in documents:
        if document.kind == Document.Kind.CERTIFICATE:
            certificates[document.label_id] = document
        else:
            by_kind[document.kind] = document
    return {"inventory": by_kind, "certificates": certificates}


@dataclass(frozen=True)
class DocumentRendering:
    """Where an inventory's documents stand while they are not all rendered: `rendering` (queued,
    or being rendered) or `failed` (the last attempt failed with `error`; the outbox retries at
    `next_attempt_at`, or no more once `gave_up`)."""

    state: str
    attempts: int
    error: str
    next_attempt_at: datetime.datetime | None
    gave_up: bool


def pending_renders(inventory) -> QuerySet[OutboxMessage]:
    """The undelivered outbox messages that render the inventory's documents."""
    return OutboxMessage.objects.filter(topic=RENDER_DOCUMENTS_TOPIC, payload__inventory_id=inventory.pk,
                                        delivered_at__isnull=True)


def document_rendering(inventory) -> DocumentRendering | None:
    """None when every document of the current labels is rendered. The state is the outbox
    message's own (attempts, last error): a render that fails records nothing else, since its
    writes are undone with it."""
    message = pending_renders(inventory).order_by("-id").first()
    if message is None:
        return None
    failed = message.attempts > 0 and bool(message.last_error)
    gave_up = message.attempts >= outbox.MAX_ATTEMPTS
    return DocumentRendering(state="failed" if failed else "rendering", attempts=message.attempts,
                             error=message.last_error if failed else "",
                             next_attempt_at=None if gave_up else message.available_at, gave_up=gave_up)


def public_certificate(identifier: str) -> Document | None:
    """The newest certificate PDF of an active, unexpired label: the one document anyone may download."""
    label = Label.objects.filter(identifier=identifier).first()
    if label is None or label.effective_status() != Label.Status.ACTIVE:
        return None
    return label.documents.filter(kind=Document.Kind.CERTIFICATE).order_by("-created_at", "-id").first()


def upstream_inputs_of(inventory) -> QuerySet[UpstreamInput]:
    return (UpstreamInput.objects.filter(product__inventory=inventory)
            .select_related("product", "supplier_label").order_by("product", "id"))
