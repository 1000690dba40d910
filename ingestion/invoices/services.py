"""An invoice's way into the inventory: upload -> extraction (a Celery task) -> the officer
corrects and confirms -> activity records (origin invoice, linked to the evidence).

The same invoice (number and seller tax id) is confirmed at most once per enterprise, even
from two different files (a scan and the PDF): the second is flagged and refused.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext as _

from carbon_portal.core import outbox
from carbon_portal.core.errors import Conflict, InvalidInput
from carbon_portal.core.text import control_character, control_character_message
from inventories.choices import Origin
from inventories.models import Inventory
from inventories.policies import ensure_can_edit_activity
from inventories.services import InvalidLines, add_activity

from .. import sandbox
from ..activity_lines import activity_line
from ..evidence.services import read_evidence, store_evidence
from ..models import Evidence, InvoiceDraft
from .data import clean_invoice, merged
from .guardrails import MAX_REASON, invoice_mismatches, refusal_message

logger = logging.getLogger(__name__)

EXTRACT_INVOICE_TOPIC = "ingestion.extract_invoice"  # {"draft_id": ...}


@transaction.atomic
def upload_invoice(*, inventory: Inventory, uploaded_by, data: bytes, filename: str) -> tuple[InvoiceDraft, bool]:
    """Store the file as evidence and queue its extraction. The same file again gives the
    draft it already has (created False). ValidationError for an unacceptable file."""
    ensure_can_edit_activity(uploaded_by, inventory)
    evidence, _created = store_evidence(enterprise=inventory.enterprise, uploaded_by=uploaded_by, data=data,
                                        original_name=filename, kind=Evidence.Kind.INVOICE)
    existing = (InvoiceDraft.objects.filter(evidence=evidence).exclude(status=InvoiceDraft.Status.DISCARDED)
                .select_related("inventory").first())
    if existing:
        return existing, False
    draft = InvoiceDraft.objects.create(enterprise=inventory.enterprise, inventory=inventory, evidence=evidence,
                                        created_by=uploaded_by)
    # Recorded with the draft, so that a broker outage at commit leaves the extraction queued by the
    # outbox's sweep instead of the draft pending for ever.
    outbox.enqueue(EXTRACT_INVOICE_TOPIC, {"draft_id": draft.pk})
    return draft, True


def run_invoice_extraction(*, draft_id: int) -> InvoiceDraft | None:
    """Read a pending draft's file with the extractor and store what it found. Safe to run
    twice: a draft that is no longer pending is left as it is."""
    draft = InvoiceDraft.objects.select_related("evidence").filter(pk=draft_id).first()
    if draft is None or draft.status != InvoiceDraft.Status.PENDING:
        return draft
    extraction, error = _extract(draft.evidence)
    with transaction.atomic():
        draft = InvoiceDraft.objects.select_for_update().get(pk=draft_id)
        if draft.status != InvoiceDraft.Status.PENDING:
            return draft
        if extraction is None:
            draft.status, draft.error = InvoiceDraft.Status.FAILED, error
        else:
            draft.status, draft.extraction, draft.error = InvoiceDraft.Status.EXTRACTED, extraction, ""
            _set_identity(draft, extraction)
        draft.save()
    return draft


def _extract(evidence: Evidence) -> tuple[dict | None, str]:
    from ingestion.extraction import ExtractionError

    try:
        return read_invoice(read_evidence(evidence), evidence.original_name), ""
    except (ExtractionError, sandbox.ResourceLimit) as error:
        return None, str(error)
    except Exception:  # the officer can still type the fields in; the details go to the log
        logger.exception("invoice extraction failed for evidence %s", evidence.pk)
        return None, _("The invoice could not be read automatically; please enter its fields.")


def read_invoice(data: bytes, filename: str) -> dict:
    """The extractor's reading of an invoice file, in the box: a file that needs too much CPU or
    memory is stopped there (ingestion/sandbox.py raises ResourceLimit)."""
    return sandbox.run("ingestion.extraction.extract:extract_invoice_data", data, filename=filename,
                       ocr_workers=settings.INVOICE_OCR_WORKERS)


def _set_identity(draft: InvoiceDraft, data: dict) -> None:
    draft.invoice_number = str(data.get("invoice_number") or "")[:40]
    draft.invoice_code = str(data.get("invoice_code") or "")[:20]
    draft.seller_tax_id = str(data.get("seller_tax_id") or "")[:20]
    confirmed_first = Case(When(status=InvoiceDraft.Status.CONFIRMED, then=0), default=1)
    draft.duplicate_of = _same_invoice(draft).order_by(confirmed_first, "created_at").first() if (
        draft.invoice_number and draft.seller_tax_id) else None


def _same_invoice(draft: InvoiceDraft):
    """Other drafts of the enterprise for the same invoice (confirmed ones sort first)."""
    return (InvoiceDraft.objects.filter(enterprise_id=draft.enterprise_id, invoice_number=draft.invoice_number,
                                        seller_tax_id=draft.seller_tax_id)
            .exclude(pk=draft.pk).exclude(status=InvoiceDraft.Status.DISCARDED))


@transaction.atomic
def confirm_invoice(*, draft: InvoiceDraft, confirmed_by, corrections: dict | None = None,
                    override_reason: str = "") -> list:
    """Turn the draft into activity records: the extraction with the officer's corrections,
    one record per energy line (water and other lines are not activity data). Returns the
    records. ValidationError names what is wrong; nothing is stored then.

    An invoice of another buyer or dated outside the inventory period (guardrails.py) is
    refused with `Conflict` (code `buyer_mismatch` / `outside_period`) unless `override_reason`
    says why it belongs here; the reason and what it overrode are kept on the draft."""
    reason = _override_reason(override_reason)
    draft = (InvoiceDraft.objects.select_for_update().select_related("inventory__enterprise", "evidence")
             .get(pk=draft.pk))
    ensure_can_edit_activity(confirmed_by, draft.inventory)
    if draft.status not in InvoiceDraft.OPEN_STATES:
        raise ValidationError(_("This invoice is %(status)s; only an open draft can be confirmed.")
                              % {"status": draft.get_status_display()})
    if draft.status == InvoiceDraft.Status.PENDING and not corrections:
        raise ValidationError(_("The invoice is still being read; wait for the extraction or enter its fields."))
    data = clean_invoice(merged(draft.extraction, corrections))
    _set_identity(draft, data)
    if draft.duplicate_of and draft.duplicate_of.status == InvoiceDraft.Status.CONFIRMED:
        raise ValidationError(_("Invoice %(number)s of seller %(seller)s has been confirmed already (in the "
                                "%(year)s inventory); it is not counted twice.")
                              % {"number": draft.invoice_number, "seller": draft.seller_tax_id,
                                 "year": draft.duplicate_of.inventory.year})
    mismatches = invoice_mismatches(draft.inventory, data)
    if mismatches and not reason:
        raise Conflict(refusal_message(mismatches), code=mismatches[0].code)
    draft.overridden_checks = [mismatch.as_dict() for mismatch in mismatches]
    draft.override_reason = reason if mismatches else ""
    records = _add_records(draft, data, confirmed_by)
    draft.status, draft.confirmed_data = InvoiceDraft.Status.CONFIRMED, data
    draft.confirmed_by, draft.confirmed_at = confirmed_by, timezone.now()
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:  # confirmed at the same moment from another file
        raise ValidationError(_("This invoice has just been confirmed from another file; it is not counted "
                                "twice.")) from None
    return records


def _override_reason(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(_("The reason for overriding the checks is text."))
    reason = value.strip()
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason for overriding the checks has at most %(max)d characters.")
                           % {"max": MAX_REASON})
    character = control_character(reason, multiline=True)
    if character:
        raise InvalidInput(control_character_message("override_reason", character))
    return reason


def _add_records(draft: InvoiceDraft, data: dict, user) -> list:
    lines, positions = [], []  # the activity lines and the index of the invoice line each comes from
    for index, line in enumerate(data["lines"]):
        description = " · ".join(part for part in (line["description"], _("invoice %(number)s")
                                                   % {"number": data["invoice_number"]}) if part)
        activity = activity_line(energy_type=line["energy_type"], quantity=line["quantity"], unit=line["unit"],
                                 description=description)
        if activity is not None:
            lines.append(activity)
            positions.append(index)
    if not lines:
        raise ValidationError({"lines": [_("No line of this invoice is energy (all are water or other); "
                                           "discard it instead.")]})
    try:
        return add_activity(inventory=draft.inventory, actor=user, lines=lines, origin=Origin.INVOICE,
                            evidence=draft.evidence)
    except InvalidLines as error:
        refused = {f"lines[{positions[entry.index]}]": [entry.message] for entry in error.refused}
        raise ValidationError(refused) from error


@transaction.atomic
def discard_invoice(*, draft: InvoiceDraft, discarded_by) -> InvoiceDraft:
    draft = InvoiceDraft.objects.select_for_update().select_related("inventory").get(pk=draft.pk)
    ensure_can_edit_activity(discarded_by, draft.inventory)
    if draft.status not in InvoiceDraft.OPEN_STATES:
        raise ValidationError(_("Only an open draft can be discarded."))
    draft.status = InvoiceDraft.Status.DISCARDED
    draft.save(update_fields=["status"])
    return draft

