"""Reads of invoice drafts. Callers pass an inventory they got from `inventories_visible_to`."""

from django.db.models import QuerySet

from inventories.choices import Origin
from inventories.models import ActivityRecord, Inventory

from ..models import InvoiceDraft


def drafts_of(inventory: Inventory) -> QuerySet[InvoiceDraft]:
    return (InvoiceDraft.objects.filter(inventory=inventory)
            .select_related("evidence", "duplicate_of__inventory", "created_by", "confirmed_by"))


def draft_of(inventory: Inventory, draft_id) -> InvoiceDraft | None:
    return drafts_of(inventory).filter(pk=draft_id).first()


def records_of(draft: InvoiceDraft) -> QuerySet[ActivityRecord]:
    if draft.status != InvoiceDraft.Status.CONFIRMED:
        return ActivityRecord.objects.none()
    return ActivityRecord.objects.filter(inventory_id=draft.inventory_id, evidence_id=draft.evidence_id,
                                         origin=Origin.INVOICE).order_by("id")


def confirmed_draft_of(inventory: Inventory, evidence) -> InvoiceDraft | None:
    """The confirmed invoice that `evidence` became in `inventory`, if any (with its overrides)."""
    if evidence is None:
        return None
    return drafts_of(inventory).filter(evidence=evidence, status=InvoiceDraft.Status.CONFIRMED).first()
