"""An inventory's collection page (invoice upload, drafts, meter activity) and the page where an
officer checks an extracted invoice beside its image and confirms it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carbon_portal.core.errors import Conflict
from inventories.policies import can_edit_activity
from inventories.selectors import inventories_visible_to

from carbon_portal.site.forms.collection import InvoiceForm, InvoiceLineFormSet, InvoiceOverrideForm, UploadForm
from ingestion.invoices import selectors
from ingestion.invoices.guardrails import BUYER_MISMATCH, OUTSIDE_PERIOD, invoice_mismatches
from ingestion.invoices.services import confirm_invoice, discard_invoice, upload_invoice
from ingestion.models import ImportBatch, InvoiceDraft
from ingestion.readings.activity import create_meter_activity


def _inventory(request, inventory_id):
    return get_object_or_404(inventories_visible_to(request.user).select_related("enterprise"), pk=inventory_id)


@login_required
def inventory(request, inventory_id):
    inventory = _inventory(request, inventory_id)
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                draft, created = upload_invoice(inventory=inventory, uploaded_by=request.user, data=upload.read(),
                                                filename=upload.name)
            except ValidationError as error:
                form.add_error("file", error)
            except (Conflict, PermissionDenied) as error:
                messages.error(request, str(error))
            else:
                if not created:
                    messages.info(request, _("This file was uploaded before; here is its invoice."))
                return redirect("ingestion:invoice", inventory.pk, draft.pk)
    return render(request, "ingestion/inventory.html", {
        "inventory": inventory,
        "form": form,
        "can_edit": can_edit_activity(request.user, inventory),
        "drafts": selectors.drafts_of(inventory),
        "imports": ImportBatch.objects.filter(inventory=inventory).select_related("evidence")[:20],
    })


@login_required
@require_POST
def meter_activity(request, inventory_id):
    inventory = _inventory(request, inventory_id)
    try:
        report = create_meter_activity(inventory=inventory, created_by=request.user)
    except (Conflict, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(created)d activity records from meters (%(replaced)d replaced).")
                         % {"created": len(report.created), "replaced": report.replaced})
        for skipped in report.skipped:
            messages.warning(request, f"{skipped['meter']}: {skipped['reason']}")
    return redirect("ingestion:inventory", inventory.pk)


@login_required
def invoice(request, inventory_id, draft_id):
    inventory = _inventory(request, inventory_id)
    draft = selectors.draft_of(inventory, draft_id)
    if draft is None:
        raise Http404
    data = draft.confirmed_data or draft.extraction or {}
    errors, status = [], 200
    # The buyer and period checks: warned about before confirming, the reason asked only then.
    mismatches = invoice_mismatches(inventory, data) if draft.status in InvoiceDraft.OPEN_STATES else []
    if request.method == "POST":
        header = InvoiceForm(request.POST)
        lines = InvoiceLineFormSet(request.POST, prefix="lines")
        override = InvoiceOverrideForm(request.POST)
        try:
            if request.POST.get("action") == "discard":
                discard_invoice(draft=draft, discarded_by=request.user)
                messages.success(request, _("The invoice was discarded."))
                return redirect("ingestion:inventory", inventory.pk)
            if header.is_valid() and lines.is_valid() and override.is_valid():
                records = confirm_invoice(draft=draft, confirmed_by=request.user,
                                          corrections={**header.cleaned_data, "lines": _lines(lines)},
                                          override_reason=override.cleaned_data["override_reason"])
                messages.success(request, _("Invoice confirmed: %(count)d activity records added.")
                                 % {"count": len(records)})
                return redirect("ingestion:inventory", inventory.pk)
        except ValidationError as error:
            errors = _messages(error)
        except (Conflict, PermissionDenied) as error:
            errors = [str(error)]
            status = 409 if isinstance(error, Conflict) else 200
            if getattr(error, "code", "") in (BUYER_MISMATCH, OUTSIDE_PERIOD):
                mismatches = invoice_mismatches(inventory, {**data, **getattr(header, "cleaned_data", {})})
    else:
        header = InvoiceForm(initial={key: value for key, value in data.items() if key != "lines"})
        lines = InvoiceLineFormSet(initial=data.get("lines") or [], prefix="lines")
        override = InvoiceOverrideForm()
    return render(request, "ingestion/invoice.html", {
        "inventory": inventory, "draft": draft, "header": header, "lines": lines, "errors": errors,
        "extraction": draft.extraction or {}, "pages": range(1, draft.evidence.pages + 1),
        "can_edit": can_edit_activity(request.user, inventory) and draft.status in InvoiceDraft.OPEN_STATES,
        "records": selectors.records_of(draft), "mismatches": mismatches, "override": override,
    }, status=status)


def _lines(formset) -> list[dict]:
    lines = []
    for form in formset.forms:
        values = {key: value for key, value in (form.cleaned_data or {}).items() if key != "DELETE"}
        if form.cleaned_data.get("DELETE") or not any(values.values()):
            continue
        lines.append(values)
    return lines


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {message}" for field, items in error.message_dict.items() for message in items]
    return list(error.messages)
