"""The enterprise's pages: inventories, their state and history, data entry, results with the
trace of every line, the lifecycle buttons, the verifier body, findings to answer.

Reads: `inventories.selectors`, `workflows.selectors` and `..selectors` (all scoped to the user).
Writes: `inventories.services.create_inventory` / `add_activity` / `correct_activity` /
`remove_activity`,
`workflows.services.*`. Buttons come from `workflows.selectors.transition_options`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carbon_portal.accounts.models import Role
from inventories.choices import InventoryStatus
from inventories.models import Inventory
from inventories.policies import can_edit_activity, edit_refusal, is_officer_of
from inventories.selectors import inventories_visible_to, latest_result
from inventories.services import add_activity, correct_activity, create_inventory, remove_activity
from workflows import services
from workflows.selectors import (
    audit_trail,
    can_choose_verifier,
    current_engagement,
    eligible_verifier_bodies,
    engagements_visible_to,
    finding_actions,
    finding_for,
    findings_visible_to,
    inventory_for,
    transition_history,
    transition_options,
    visible_opinion,
)
from carbon_portal.core.errors import InvalidInput, NotFound, Conflict

from ..forms import UNIT_SUGGESTIONS, ActivityLineForm, ChooseVerifierForm, FindingResponseForm, \
    InventoryCreateForm, RemoveActivityForm, TransitionForm
from ..selectors import (
    activity_records_of,
    editable_record_ids,
    engagement_of_inventory_for,
    inventory_rows,
    invoice_pages,
    officer_enterprises,
    result_with_lines,
    user_roles,
)
from .. import form_tokens
from .common import found, role_required, run_service, safe_next, transition_label
from .double_counts import double_count_box
from .products import products_section

ENTERPRISE_ROLES = (Role.OFFICER, Role.REVIEWER, Role.ADMIN)
# Transitions the verifier takes on its workbench, not on this page.
VERIFIER_TRANSITIONS = {"accept", "decline", "request_corrections", "verify", "reject"}
PAGE_SIZE = 50


# --- List and create ----------------------------------------------------------------------------------


@role_required(*ENTERPRISE_ROLES)
@require_safe
def inventory_list(request):
    status, year = request.GET.get("status", ""), request.GET.get("year", "")
    if status not in InventoryStatus.values:
        status = ""
    page = Paginator(inventory_rows(request.user, status=status, year=year), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "site/inventories/list.html", {
        "page": page, "status": status, "year": year, "statuses": InventoryStatus.choices,
        "can_create": Role.OFFICER in user_roles(request.user) and officer_enterprises(request.user).exists(),
    })


@role_required(Role.OFFICER)
@require_http_methods(["GET", "HEAD", "POST"])
def inventory_create(request):
    enterprises = officer_enterprises(request.user)
    if not enterprises.exists():
        raise PermissionDenied
    existing = set(inventories_visible_to(request.user).filter(enterprise__in=enterprises)
                   .values_list("enterprise_id", "year"))
    form = InventoryCreateForm(request.POST or None, enterprises=enterprises, existing_years=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            return create_inventory(enterprise=data["enterprise"], year=data["year"], created_by=request.user,
                                    added_value_10k_yuan=data["added_value_10k_yuan"],
                                    period_start=data["period_start"], period_end=data["period_end"])

        ok, inventory, status = run_service(form, create, invalid_field="year")
        if ok:
            messages.success(request, _("Inventory %(inventory)s created. Open it for data collection and add "
                                        "its activity data.") % {"inventory": inventory})
            return redirect("site:inventory_detail", pk=inventory.pk)
        return render(request, "site/inventories/create.html", {"form": form}, status=status)
    return render(request, "site/inventories/create.html", {"form": form},
                  status=400 if form.is_bound else 200)


# --- Detail ----------------------------------------------------------------------------------------------


@role_required(*ENTERPRISE_ROLES, Role.VERIFIER, Role.GOVERNMENT)
@require_safe
def inventory_detail(request, pk):
    roles = user_roles(request.user)
    if not roles & set(ENTERPRISE_ROLES) and Role.VERIFIER in roles:
        # A verifier works on the inventory on its workbench (links in notices lead here).
        engagement = engagement_of_inventory_for(request.user, pk)
        if engagement is None:
            raise Http404
        return redirect("site:workbench", pk=engagement.pk)
    inventory = found(inventory_for, request.user, pk)
    return render_detail(request, inventory)


def render_detail(request, inventory, *, forms=None, status=200):
    """The inventory page; `forms` replaces blank forms by the bound one that was refused."""
    user = request.user
    forms = forms or {}
    roles = user_roles(user)
    options = transition_options(user, inventory)
    allowed = [option for option in options if option.allowed and option.name not in VERIFIER_TRANSITIONS]
    blocked = [option for option in options if not option.allowed and option.name not in VERIFIER_TRANSITIONS]
    transition_forms = [(option, forms.get(f"transition-{option.name}") or TransitionForm())
                        for option in allowed]

    records = list(activity_records_of(inventory))
    editable = editable_record_ids(user, inventory, records)
    result = result_with_lines(latest_result(inventory))
    record_numbers = {record.pk: number for number, record in enumerate(records, start=1)}

    findings = list(findings_visible_to(user).filter(inventory=inventory)
                    .prefetch_related("activity_records", "result_lines").order_by("engagement_id", "number"))
    finding_rows = []
    for finding in findings:
        actions = finding_actions(user, finding)
        form = (forms.get(f"respond-{finding.pk}") or FindingResponseForm()) if "respond" in actions else None
        finding_rows.append({"finding": finding, "actions": actions, "form": form})

    engagement = current_engagement(inventory)
    engagements = list(engagements_visible_to(user).filter(inventory=inventory).order_by("-chosen_at"))
    opinions = [opinion for opinion in (visible_opinion(user, item) for item in engagements) if opinion]
    choose_form = None
    if can_choose_verifier(user, inventory):
        choose_form = forms.get("choose") or ChooseVerifierForm(
            bodies=eligible_verifier_bodies(inventory),
            initial={"verifier_body": engagement.verifier_body_id if engagement else None})

    government_only = not roles & set(ENTERPRISE_ROLES)
    history = transition_history(inventory) if government_only else audit_trail(inventory)
    return render(request, "site/inventories/detail.html", {
        "inventory": inventory, "allowed": allowed, "blocked": blocked, "transition_forms": transition_forms,
        "records": records, "editable": editable, "record_numbers": record_numbers,
        "remove_forms": {int(key.removeprefix("remove-")): form for key, form in forms.items()
                         if key.startswith("remove-")},
        "can_add": can_edit_activity(user, inventory),
        "is_officer": is_officer_of(user, inventory.enterprise_id),
        "frozen_reason": "" if can_edit_activity(user, inventory) else edit_refusal(inventory),
        "result": result, "finding_rows": finding_rows,
        "engagement": engagement, "engagements": engagements, "opinions": opinions, "choose_form": choose_form,
        "history": history, "show_list": not government_only,
        "certification_url": reverse("certificates_portal:inventory", args=[inventory.pk]),
        "collection_url": reverse("ingestion:inventory", args=[inventory.pk]),
        "invoice_pages": invoice_pages(inventory) if any(record.evidence_id for record in records) else {},
        **double_count_box(inventory),
        **products_section(user, inventory, forms),
    }, status=status)


# --- Activity data ---------------------------------------------------------------------------------------


def _inventory_for_officer(request, pk) -> Inventory:
    inventory = found(inventory_for, request.user, pk)
    if not is_officer_of(request.user, inventory.enterprise_id):
        raise PermissionDenied
    return inventory


@role_required(Role.OFFICER)
@require_http_methods(["GET", "HEAD", "POST"])
def activity_add(request, pk):
    inventory = _inventory_for_officer(request, pk)
    if not can_edit_activity(request.user, inventory):
        messages.error(request, edit_refusal(inventory))
        return redirect("site:inventory_detail", pk=inventory.pk)
    form = ActivityLineForm(request.POST or None)

    def add():
        status = 400
        if form.is_valid():
            try:
                record = add_activity(inventory=inventory, actor=request.user, line=form.line())
            except InvalidInput as error:
                form.attach_engine_error(str(error))
            except Conflict as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("Activity line #%(id)s added: %(record)s.")
                                 % {"id": record.pk, "record": record})
                if "add_another" in request.POST:
                    return redirect("site:activity_add", pk=inventory.pk)
                return redirect(reverse("site:inventory_detail", args=[inventory.pk]) + "#activity")
        return show(status)

    def show(status):
        return render(request, "site/inventories/activity_form.html", {
            "inventory": inventory, "form": form, "record": None, "units": UNIT_SUGGESTIONS,
        }, status=status)

    if request.method == "POST":
        return form_tokens.run_once(request, f"activity_add:{inventory.pk}", add)
    return show(200)


@role_required(Role.OFFICER)
@require_http_methods(["GET", "HEAD", "POST"])
def activity_edit(request, pk, record_id):
    inventory = _inventory_for_officer(request, pk)
    record = inventory.activity_records.filter(pk=record_id).first()
    if record is None:
        raise Http404
    if not can_edit_activity(request.user, inventory, record):
        messages.error(request, edit_refusal(inventory))
        return redirect("site:inventory_detail", pk=inventory.pk)
    form = ActivityLineForm(request.POST or None, initial=record.as_line())
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            # Every field is sent, empty ones as "", so that clearing a parameter removes it.
            line = {name: form.line().get(name, "") for name in form.fields}
            try:
                correct_activity(record_id=record.pk, actor=request.user, changes=line)
            except NotFound:
                raise Http404 from None
            except InvalidInput as error:
                form.attach_engine_error(str(error))
            except Conflict as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("Activity line #%(id)s corrected.") % {"id": record.pk})
                return redirect(reverse("site:inventory_detail", args=[inventory.pk]) + "#activity")
    return render(request, "site/inventories/activity_form.html", {
        "inventory": inventory, "form": form, "record": record, "units": UNIT_SUGGESTIONS,
    }, status=status)


@role_required(Role.OFFICER)
@require_POST
def activity_remove(request, pk, record_id):
    """Remove a line while collecting; the reason, who and the line go into the audit trail."""
    inventory = _inventory_for_officer(request, pk)
    if not inventory.activity_records.filter(pk=record_id).exists():
        raise Http404
    form = RemoveActivityForm(request.POST)
    if form.is_valid():
        ok, _line, status = run_service(form, lambda: remove_activity(
            record_id=record_id, actor=request.user, reason=form.cleaned_data["reason"]), invalid_field="reason")
        if ok:
            messages.success(request, _("Activity line #%(id)s removed; the removal is kept in the history.")
                             % {"id": record_id})
            return redirect(reverse("site:inventory_detail", args=[inventory.pk]) + "#activity")
    else:
        status = 400
    return render_detail(request, inventory,
                         forms={f"remove-{record_id}": form}, status=status)


# --- Lifecycle, verifier body, findings ------------------------------------------------------------------


@role_required(*ENTERPRISE_ROLES)
@require_POST
def inventory_transition(request, pk, name):
    inventory = found(inventory_for, request.user, pk)
    return form_tokens.run_once(request, f"transition:{inventory.pk}:{name}",
                                lambda: _transition(request, inventory, name))


def _transition(request, inventory, name):
    pk = inventory.pk
    form = TransitionForm(request.POST)
    form.is_valid()  # a comment only; always valid
    ok, moved, status = run_service(
        form, lambda: services.transition_inventory(inventory_id=inventory.pk, name=name, actor=request.user,
                                                    comment=form.cleaned_data.get("comment", "")),
        invalid_field="comment")
    if ok:
        messages.success(request, _("Done: %(step)s. The inventory is now: %(state)s.")
                         % {"step": transition_label(name), "state": moved.get_status_display()})
        return redirect(safe_next(request, reverse("site:inventory_detail", args=[inventory.pk])))
    if request.POST.get("from") == "review":
        from .reviewer import render_queue

        return render_queue(request, forms={f"{inventory.pk}-{name}": form}, status=status)
    inventory = found(inventory_for, request.user, pk)
    return render_detail(request, inventory, forms={f"transition-{name}": form}, status=status)


@role_required(Role.OFFICER)
@require_POST
def choose_verifier(request, pk):
    inventory = found(inventory_for, request.user, pk)
    form = ChooseVerifierForm(request.POST, bodies=eligible_verifier_bodies(inventory))
    if form.is_valid():
        ok, engagement, status = run_service(
            form, lambda: services.choose_verifier_body(inventory_id=inventory.pk, actor=request.user,
                                                        verifier_body_id=form.cleaned_data["verifier_body"].pk),
            invalid_field="verifier_body")
        if ok:
            if engagement.proposed_at:
                messages.success(request, _("%(body)s is proposed to verify the inventory.")
                                 % {"body": engagement.verifier_body})
            else:
                messages.success(request, _("%(body)s is chosen; it is proposed when the reviewer approves.")
                                 % {"body": engagement.verifier_body})
            return redirect(reverse("site:inventory_detail", args=[inventory.pk]) + "#verification")
    else:
        status = 400
    return render_detail(request, inventory, forms={"choose": form}, status=status)


@role_required(Role.OFFICER)
@require_POST
def finding_respond(request, pk):
    finding = found(finding_for, request.user, pk)
    form = FindingResponseForm(request.POST)
    form.is_valid()
    ok, _answered, status = run_service(
        form, lambda: services.respond_to_finding(finding_id=finding.pk, actor=request.user,
                                                  response=form.cleaned_data.get("response", "")),
        invalid_field="response")
    if ok:
        messages.success(request, _("Finding F-%(number)s answered.") % {"number": finding.number})
        return redirect(reverse("site:inventory_detail", args=[finding.inventory_id]) + "#findings")
    inventory = found(inventory_for, request.user, finding.inventory_id)
    return render_detail(request, inventory, forms={f"respond-{finding.pk}": form}, status=status)
