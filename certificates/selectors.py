"""Reads of labels, documents and footprint inputs, scoped to the user."""

from django.db.models import Q, QuerySet

from carbon_portal.accounts.models import Role
from inventories.selectors import inventories_visible_to

from .models import Document, Label, UpstreamInput
from .policies import is_admin


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


def public_certificate(identifier: str) -> Document | None:
    """The newest certificate PDF of an active, unexpired label: the one document anyone may download."""
    label = Label.objects.filter(identifier=identifier).first()
    if label is None or label.effective_status() != Label.Status.ACTIVE:
        return None
    return label.documents.filter(kind=Document.Kind.CERTIFICATE).order_by("-created_at", "-id").first()


def upstream_inputs_of(inventory) -> QuerySet[UpstreamInput]:
    return (UpstreamInput.objects.filter(product__inventory=inventory)
            .select_related("product", "supplier_label").order_by("product", "id"))
