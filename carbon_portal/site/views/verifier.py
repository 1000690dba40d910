"""The verifier's workbench: engagements proposed to the body; accepting (with the
conflict-of-interest declaration) or declining (with the reason); the activity data next to its
evidence; sampling; findings pointing at records or result lines, closed or reopened; the
opinion; and the lifecycle steps that are the verifier's (request corrections, verify, reject).

Reads: `workflows.selectors` (engagement_detail, engagement_actions, finding_actions,
transition_options, visible_opinion), `inventories.selectors.inventories_visible_to`.
Writes: `workflows.services` (transition_inventory, sample_activity_records,
check_sampled_record, raise_finding, close_finding, reopen_finding, record_opinion).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from carbon_portal.accounts.models import Role
from carbon_portal.accounts.reauth import fresh_login_required_when
from ingestion.invoices.selectors import confirmed_draft_of
from inventories.models import Inventory
from inventories.selectors import inventories_visible_to, latest_result, meters_visible_to
from workflows import services
from workflows.choices import EngagementStatus, WORKING_ENGAGEMENT_STATES
from workflows.selectors import (
    engagement_actions,
    engagement_detail,
    finding_actions,
    finding_for,
    findings_visible_to,
    transition_options,
    visible_opinion,
)

from ..forms import (
    AcceptEngagementForm,
    FindingCommentForm,
    OpinionForm,
    RaiseFindingForm,
    SampleCheckForm,
    SampleForm,
    TransitionForm,
)
from ..selectors import activity_records_of, invoice_page_url, result_with_lines, verifier_engagements
from .common import found, role_required, run_service, transition_label
from .double_counts import decision_rows

VERIFIER_ROLES = (Role.VERIFIER, Role.ADMIN)
VERIFIER_TRANSITIONS = ("accept", "decline", "request_corrections", "verify", "reject")


# --- List ---------------------------------------------------------------------------------------------


@role_required(*VERIFIER_ROLES)
@require_safe
def engagement_list(request):
    engagements = list(verifier_engagements(request.user).select_related("inventory__enterprise__industry")[:300])
    groups = [
        (_("Waiting for your decision"), [e for e in engagements if e.status == EngagementStatus.PROPOSED]),
        (_("Under verification"), [e for e in engagements if e.status in WORKING_ENGAGEMENT_STATES]),
        (_("Finished"), [e for e in engagements if e.status not in
                         (EngagementStatus.PROPOSED, *WORKING_ENGAGEMENT_STATES)]),
    ]
    return render(request, "site/verification/list.html", {"groups": groups, "total": len(engagements)})


# --- Workbench ------------------------------------------------------------------------------------------


def _engagement(request, pk):
    """The engagement, if it was proposed to the user's body (administrators: any)."""
    if not verifier_engagements(request.user).filter(pk=pk).exists():
        raise Http404
    return found(engagement_detail, request.user, pk)


def _inventory_of(request, engagement) -> Inventory | None:
    """The inventory as the user may see it: not at all once the body declined."""
    return (inventories_visible_to(request.user).select_related("enterprise__industry", "factor_set")
            .filter(pk=engagement.inventory_id).first())


@role_required(*VERIFIER_ROLES)
@require_safe
def workbench(request, pk):
    return render_workbench(request, _engagement(request, pk))


def render_workbench(request, engagement, *, forms=None, status=200):
    user = request.user
    forms = forms or {}
    inventory = _inventory_of(request, engagement)
    context = {"engagement": engagement, "inventory": inventory,
               "opinion": visible_opinion(user, engagement)}
    if inventory is None:
        return render(request, "site/verification/workbench.html", context, status=status)

    options = [option for option in transition_options(user, inventory) if option.name in VERIFIER_TRANSITIONS]
    allowed = {option.name for option in options if option.allowed}
    step_forms = [(option, forms.get(f"transition-{option.name}") or TransitionForm())
                  for option in options if option.allowed and option.name not in ("accept", "decline")]
    accept_form = (forms.get("transition-accept") or AcceptEngagementForm()) if "accept" in allowed else None
    decline_option = next((option for option in options if option.name == "decline" and option.allowed), None)
    decline_form = (forms.get("transition-decline") or TransitionForm()) if decline_option else None

    actions = engagement_actions(user, engagement)
    records = list(activity_records_of(inventory))
    record_numbers = {record.pk: number for number, record in enumerate(records, start=1)}
    samples = {sample.activity_record_id: sample for sample in engagement.samples.all()}
    result = result_with_lines(latest_result(inventory))
    lines = list(result.lines.all()) if result else []

    sample_rows = []
    for record in records:
        sample = samples.get(record.pk)
        if sample is None:
            continue
        check_form = None
        if "sample" in actions:
            check_form = forms.get(f"check-{sample.pk}") or SampleCheckForm(
                initial={"conforms": {True: "yes", False: "no"}.get(sample.conforms), "note": sample.note})
        sample_rows.append({"sample": sample, "record": record, "form": check_form})

    finding_rows = []
    for finding in (findings_visible_to(user).filter(engagement=engagement)
                    .prefetch_related("activity_records", "result_lines").order_by("number")):
        finding_actions_now = finding_actions(user, finding)
        finding_rows.append({
            "finding": finding, "actions": finding_actions_now,
            "close_form": (forms.get(f"close-{finding.pk}") or FindingCommentForm())
            if "close" in finding_actions_now else None,
            "reopen_form": (forms.get(f"reopen-{finding.pk}") or FindingCommentForm())
            if "reopen" in finding_actions_now else None,
        })

    opinion_form = None
    if "record_opinion" in actions:
        draft = context["opinion"]
        initial = {}
        if draft is not None:
            initial = {"conclusion": draft.conclusion, "assurance_level": draft.assurance_level,
                       "materiality_threshold_percent": draft.materiality_threshold_percent,
                       "misstatement_tco2e": draft.misstatement_tco2e, "text": draft.text}
        opinion_form = forms.get("opinion") or OpinionForm(initial=initial)

    context.update({
        "allowed": allowed, "step_forms": step_forms,
        "blocked": [option for option in options if not option.allowed],
        "accept_form": accept_form, "decline_form": decline_form, "decline_option": decline_option, "actions": actions,
        "records": records, "record_numbers": record_numbers, "samples": samples, "sample_rows": sample_rows,
        "result": result, "lines": lines, "finding_rows": finding_rows,
        "sample_form": (forms.get("sample") or SampleForm(records=[r for r in records if r.pk not in samples]))
        if "sample" in actions and len(samples) < len(records) else None,
        "finding_form": (forms.get("finding") or RaiseFindingForm(records=records, lines=lines))
        if "raise_finding" in actions else None,
        "opinion_form": opinion_form,
        "unchecked": sum(1 for row in sample_rows if row["sample"].conforms is None),
        "decision_rows": decision_rows(inventory),
    })
    return render(request, "site/verification/workbench.html", context, status=status)


@role_required(*VERIFIER_ROLES)
@require_safe
def record_evidence(request, pk, record_id):
    """One activity record next to its evidence (the invoice pages, the meter), with its share of
    the result and the verifier's check of it."""
    engagement = _engagement(request, pk)
    inventory = _inventory_of(request, engagement)
    if inventory is None:
        raise Http404
    record = activity_records_of(inventory).filter(pk=record_id).first()
    if record is None:
        raise Http404
    actions = engagement_actions(request.user, engagement)
    sample = engagement.samples.filter(activity_record=record).first()
    result = result_with_lines(latest_result(inventory))
    lines = [line for line in result.lines.all() if line.activity_record_id == record.pk] if result else []
    evidence = record.evidence
    pages = [reverse("ingestion:evidence-page", args=[evidence.pk, page])
             for page in range(1, min(evidence.pages, 10) + 1)] if evidence is not None else []
    records = list(activity_records_of(inventory))
    finding_form = None
    if "raise_finding" in actions:
        finding_form = RaiseFindingForm(records=records, lines=list(result.lines.all()) if result else [],
                                        initial={"activity_records": [str(record.pk)],
                                                 "result_lines": [str(line.pk) for line in lines]})
    check_form = None
    if sample is not None and "sample" in actions:
        check_form = SampleCheckForm(initial={"conforms": {True: "yes", False: "no"}.get(sample.conforms),
                                              "note": sample.note})
    return render(request, "site/verification/record.html", {
        "engagement": engagement, "inventory": inventory, "record": record, "lines": lines,
        "evidence": evidence, "pages": pages, "sample": sample, "check_form": check_form,
        "finding_form": finding_form,
        "invoice_url": invoice_page_url(inventory, evidence),
        "invoice": confirmed_draft_of(inventory, evidence),
        "original_url": reverse("ingestion:evidence-file", args=[evidence.pk]) if evidence else "",
        "meter_url": reverse("ingestion:meter", args=[record.meter.identifier])
        if record.meter and meters_visible_to(request.user).filter(pk=record.meter_id).exists() else "",
    })


# --- Writes -----------------------------------------------------------------------------------------------


def _back(engagement, anchor=""):
    return redirect(reverse("site:workbench", args=[engagement.pk]) + anchor)


@role_required(*VERIFIER_ROLES)
@require_POST
@fresh_login_required_when(lambda request, pk, name: name == "certify")  # certifying wants a fresh sign-in
def engagement_transition(request, pk, name):
    engagement = _engagement(request, pk)
    if name not in VERIFIER_TRANSITIONS:
        raise Http404
    if name == "accept":
        form = AcceptEngagementForm(request.POST)
        if not form.is_valid():
            return render_workbench(request, engagement, forms={"transition-accept": form}, status=400)
        kwargs = {"declaration": form.cleaned_data["declaration"], "no_conflict": True}
        invalid_field = "declaration"
    else:
        form = TransitionForm(request.POST)
        form.is_valid()
        kwargs = {"comment": form.cleaned_data.get("comment", "")}
        invalid_field = "comment"
    ok, inventory, status = run_service(
        form, lambda: services.transition_inventory(inventory_id=engagement.inventory_id, name=name,
                                                    actor=request.user, **kwargs),
        invalid_field=invalid_field)
    if not ok:
        return render_workbench(request, _engagement(request, pk), forms={f"transition-{name}": form},
                                status=status)
    messages.success(request, _("Done: %(step)s. The inventory is now: %(state)s.")
                     % {"step": transition_label(name), "state": inventory.get_status_display()})
    if name == "decline":
        return redirect("site:engagement_list")
    return _back(engagement)


@role_required(*VERIFIER_ROLES)
@require_POST
def sample(request, pk):
    engagement = _engagement(request, pk)
    inventory = _inventory_of(request, engagement)
    if inventory is None:
        raise Http404
    form = SampleForm(request.POST, records=list(activity_records_of(inventory)))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        if data["method"] == SampleForm.METHOD_CHOSEN:
            kwargs = {"record_ids": [int(value) for value in data["records"]]}
        else:
            kwargs = {"size": data["size"], "seed": data["seed"]}
        ok, drawn, status = run_service(
            form, lambda: services.sample_activity_records(engagement_id=engagement.pk, actor=request.user, **kwargs),
            invalid_field="records" if "record_ids" in kwargs else "size")
        if ok:
            messages.success(request, _("%(count)s records sampled; check each against its evidence.")
                             % {"count": len(drawn)})
            return _back(engagement, "#sampling")
    return render_workbench(request, engagement, forms={"sample": form}, status=status)


@role_required(*VERIFIER_ROLES)
@require_POST
def sample_check(request, pk, sample_id):
    engagement = _engagement(request, pk)
    if not engagement.samples.filter(pk=sample_id).exists():
        raise Http404
    form = SampleCheckForm(request.POST)
    status = 400
    if form.is_valid():
        ok, checked, status = run_service(
            form, lambda: services.check_sampled_record(sample_id=sample_id, actor=request.user,
                                                        conforms=form.cleaned_data["conforms"],
                                                        note=form.cleaned_data["note"]),
            invalid_field="conforms")
        if ok:
            messages.success(request, _("Check of record #%(id)s saved.") % {"id": checked.activity_record_id})
            if request.POST.get("from") == "record":
                return redirect("site:record_evidence", pk=engagement.pk, record_id=checked.activity_record_id)
            return _back(engagement, "#sampling")
    return render_workbench(request, engagement, forms={f"check-{sample_id}": form}, status=status)


@role_required(*VERIFIER_ROLES)
@require_POST
def finding_raise(request, pk):
    engagement = _engagement(request, pk)
    inventory = _inventory_of(request, engagement)
    if inventory is None:
        raise Http404
    result = result_with_lines(latest_result(inventory))
    form = RaiseFindingForm(request.POST, records=list(activity_records_of(inventory)),
                            lines=list(result.lines.all()) if result else [])
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        ok, finding, status = run_service(
            form, lambda: services.raise_finding(engagement_id=engagement.pk, actor=request.user,
                                                 reason=data["reason"],
                                                 activity_record_ids=[int(v) for v in data["activity_records"]],
                                                 result_line_ids=[int(v) for v in data["result_lines"]]),
            invalid_field="reason")
        if ok:
            messages.success(request, _("Finding F-%(number)s raised. Request corrections when your findings are "
                                        "written.") % {"number": finding.number})
            return _back(engagement, "#findings")
    return render_workbench(request, engagement, forms={"finding": form}, status=status)


def _finding_step(request, pk, step):
    finding = found(finding_for, request.user, pk)
    engagement = _engagement(request, finding.engagement_id)
    form = FindingCommentForm(request.POST)
    form.is_valid()
    service = services.close_finding if step == "close" else services.reopen_finding
    ok, _changed, status = run_service(
        form, lambda: service(finding_id=finding.pk, actor=request.user, comment=form.cleaned_data.get("comment", "")),
        invalid_field="comment")
    if ok:
        text = _("Finding F-%(number)s closed.") if step == "close" else _("Finding F-%(number)s reopened.")
        messages.success(request, text % {"number": finding.number})
        return _back(engagement, "#findings")
    return render_workbench(request, engagement, forms={f"{step}-{finding.pk}": form}, status=status)


@role_required(*VERIFIER_ROLES)
@require_POST
def finding_close(request, pk):
    return _finding_step(request, pk, "close")


@role_required(*VERIFIER_ROLES)
@require_POST
def finding_reopen(request, pk):
    return _finding_step(request, pk, "reopen")


@role_required(*VERIFIER_ROLES)
@require_POST
def opinion(request, pk):
    engagement = _engagement(request, pk)
    form = OpinionForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        ok, recorded, status = run_service(
            form, lambda: services.record_opinion(engagement_id=engagement.pk, actor=request.user, **data),
            invalid_field="misstatement_tco2e")
        if ok:
            messages.success(request, _("Opinion recorded (%(conclusion)s). It is issued when you verify or "
                                        "reject.") % {"conclusion": recorded.get_conclusion_display()})
            return _back(engagement, "#opinion")
    return render_workbench(request, engagement, forms={"opinion": form}, status=status)
