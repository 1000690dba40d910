"""/portal/certificates/: labels, documents and product-footprint inputs for signed-in users.
Every queryset comes from a selector scoped to the user; the work is done by services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from carbon_portal.accounts.reauth import fresh_login_required_when
from carbon_portal.core.errors import ApplicationError
from carbon_portal.security.events import record_event
from carbon_portal.security.models import EventKind
from carbon_portal.site import form_tokens
from carbon_portal.site.forms.certification import FootprintMethodForm, StatusChangeForm, UpstreamInputForm
from certificates.footprint_inputs import allocation_basis, inventory_footprints
from certificates.footprints import FootprintError
from certificates.models import FootprintMethod, Label, UpstreamInput
from certificates.policies import can_change_label_status, can_edit_footprint_inputs, can_reissue_labels
from certificates.selectors import (
    document_rendering,
    documents_visible_to,
    labels_visible_to,
    latest_documents,
    upstream_inputs_of,
)
from certificates.services import (
    CertificationError,
    add_upstream_input,
    certification_problems,
    issue_inventory_labels,
    remove_upstream_input,
    resume_label,
    retry_document_rendering,
    revoke_label,
    set_footprint_method,
    suspend_label,
)
from inventories.selectors import inventories_visible_to, latest_result

STATUS_ACTIONS = {"suspend": suspend_label, "resume": resume_label, "revoke": revoke_label}


def _errors(error) -> str:
    return "; ".join(getattr(error, "messages", [str(error)]))


@login_required
@require_safe
def label_list(request):
    labels = labels_visible_to(request.user).select_related("enterprise", "inventory", "product")[:300]
    return render(request, "certificates/portal/label_list.html", {"labels": labels})


@login_required
@fresh_login_required_when(lambda request, pk: request.method == "POST"
                           and request.POST.get("action") in ("suspend", "revoke"))  # wants a fresh sign-in
def label_detail(request, pk: int):
    label = get_object_or_404(labels_visible_to(request.user).select_related("signing_key"), pk=pk)
    form = StatusChangeForm(request.POST or None)
    may_change = can_change_label_status(request.user, label)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                STATUS_ACTIONS[form.cleaned_data["action"]](label=label, actor=request.user,
                                                            reason=form.cleaned_data["reason"])
            except (ApplicationError, ValidationError) as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, label.identifier)
            return redirect("certificates_portal:label_detail", pk=label.pk)
    documents = documents_visible_to(request.user).filter(label=label)
    return render(request, "certificates/portal/label_detail.html", {
        "label": label, "status": label.effective_status(), "form": form, "may_change": may_change,
        "events": label.events.select_related("actor"), "documents": documents,
    })


@login_required
def inventory_certification(request, pk: int):
    inventory = get_object_or_404(inventories_visible_to(request.user).select_related("enterprise__industry"), pk=pk)
    editable = can_edit_footprint_inputs(request.user, inventory)
    products = inventory.products.all()
    method = FootprintMethod.objects.filter(inventory=inventory).first()
    method_form = FootprintMethodForm(initial={"allocation_basis": allocation_basis(inventory),
                                               "note": method.note if method else ""})
    input_form = UpstreamInputForm(products=products)
    result = latest_result(inventory)
    footprints, footprint_error = [], ""
    if result is not None:
        try:
            footprints = inventory_footprints(inventory, result)
        except FootprintError as error:
            footprint_error = str(error)
    return render(request, "certificates/portal/inventory.html", {
        "inventory": inventory, "editable": editable, "products": products, "method_form": method_form,
        "input_form": input_form, "inputs": upstream_inputs_of(inventory), "footprints": footprints,
        "footprint_error": footprint_error, "problems": certification_problems(inventory),
        "labels": labels_visible_to(request.user).filter(inventory=inventory).order_by("-is_current", "kind", "id"),
        "documents": latest_documents(inventory, request.user), "may_reissue": can_reissue_labels(request.user),
        "rendering": document_rendering(inventory),
    })


def _inventory_for_edit(request, pk):
    inventory = get_object_or_404(inventories_visible_to(request.user), pk=pk)
    if not can_edit_footprint_inputs(request.user, inventory):
        raise PermissionDenied
    return inventory


@login_required
@require_POST
def footprint_method(request, pk: int):
    inventory = _inventory_for_edit(request, pk)
    form = FootprintMethodForm(request.POST)
    if form.is_valid():
        try:
            set_footprint_method(inventory=inventory, user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("certificates_portal:inventory", pk=inventory.pk)


@login_required
@require_POST
def upstream_input_add(request, pk: int):
    inventory = _inventory_for_edit(request, pk)
    form = UpstreamInputForm(request.POST, products=inventory.products.all())

    def add():
        back = redirect("certificates_portal:inventory", pk=inventory.pk)
        if not form.is_valid():
            messages.error(request, form.errors.as_text())
            return form_tokens.not_done(back)
        data = form.cleaned_data
        by_label = data["source"] == UpstreamInput.Source.LABEL
        try:
            add_upstream_input(inventory=inventory, product=data["product"], description=data["description"],
                               quantity=data["quantity"], unit=data["unit"], user=request.user,
                               emission_factor=None if by_label else data["emission_factor"],
                               factor_source="" if by_label else data["factor_source"],
                               supplier_identifier=data["supplier_identifier"] if by_label else "")
        except ApplicationError as error:
            messages.error(request, str(error))
            return form_tokens.not_done(back)
        messages.success(request, _("Upstream input added."))
        return back

    # One POST of the form adds once: a double click does not add the input twice.
    return form_tokens.run_once(request, f"upstream_input_add:{inventory.pk}", add)


@login_required
@require_POST
def upstream_input_remove(request, pk: int, input_pk: int):
    inventory = _inventory_for_edit(request, pk)
    item = get_object_or_404(UpstreamInput, pk=input_pk, product__inventory=inventory)
    try:
        remove_upstream_input(upstream_input=item, user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    return redirect("certificates_portal:inventory", pk=inventory.pk)


@login_required
@require_POST
def reissue(request, pk: int):
    """An administrator issues new labels (superseding the current ones), e.g. after a correction."""
    if not can_reissue_labels(request.user):
        raise PermissionDenied
    inventory = get_object_or_404(inventories_visible_to(request.user), pk=pk)

    def issue():
        try:
            issue_inventory_labels(inventory=inventory, issued_by=request.user,
                                   reissue=Label.objects.filter(inventory=inventory).exists())
        except CertificationError as error:
            messages.error(request, _errors(error))
            return form_tokens.not_done(redirect("certificates_portal:inventory", pk=inventory.pk))
        return redirect("certificates_portal:inventory", pk=inventory.pk)

    # One POST of the form issues once: a retry (double click, timeout) supersedes nothing again.
    return form_tokens.run_once(request, f"reissue:{inventory.pk}", issue)


@login_required
@require_POST
def retry_documents(request, pk: int):
    """An administrator renders the missing documents again now (a failed render is retried by
    the outbox anyway, with back-off). Renders only; never issues or supersedes a label."""
    if not can_reissue_labels(request.user):
        raise PermissionDenied
    inventory = get_object_or_404(inventories_visible_to(request.user), pk=pk)
    if retry_document_rendering(inventory=inventory):
        messages.success(request, _("The documents are being rendered again."))
    return redirect("certificates_portal:inventory", pk=inventory.pk)


@login_required
@require_safe
def document_download(request, pk: int):
    document = documents_visible_to(request.user).filter(pk=pk).first()
    if document is None:
        raise Http404
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename,
                            content_type=document.content_type)
    response["X-Content-SHA256"] = document.sha256
    record_event(kind=EventKind.DOCUMENT_DOWNLOADED, request=request, document_id=document.pk,
                 filename=document.filename, sha256=document.sha256)
    return response
