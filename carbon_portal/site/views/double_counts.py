"""Possible double counting of an inventory: the warning on the inventory page, the list of the
groups, and one group side by side (a column per origin, quantities in one unit where the
units allow) with the officer's choice while the data is collected; reviewers and verifiers
read it.

Reads: `inventories.double_counts` (the inventory found for the user by `workflows.selectors`);
writes: `inventories.double_counts.decide_double_count`, run through `run_service`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from carbon_portal.accounts.models import Role
from inventories.double_counting import DECIDED, REOPENED, comparison
from inventories.double_counts import (
    current_decision_ids,
    decide_double_count,
    decisions_of,
    double_count_groups,
    facility_names,
    group_label,
    group_records,
    origin_label,
)
from inventories.policies import COLLECTING_STATES, is_officer_of
from workflows.selectors import inventory_for

from .. import form_tokens
from ..forms.double_counts import DoubleCountDecisionForm
from ..selectors import invoice_pages
from .common import found, role_required, run_service

VIEWER_ROLES = (Role.OFFICER, Role.REVIEWER, Role.ADMIN, Role.VERIFIER)


def double_count_box(inventory) -> dict:
    """What the inventory page shows in its "Possible double counting" box."""
    groups = double_count_groups(inventory)
    names = facility_names(groups)
    rows = [{"key": group.key, "label": group_label(group, names), "status": group.status,
             "url": reverse("site:double_count_group", args=[inventory.pk, group.key])} for group in groups]
    return {"double_counts": rows, "double_counts_open": sum(1 for group in groups if not group.resolved),
            "double_counts_url": reverse("site:double_counts", args=[inventory.pk])}


def decision_rows(inventory) -> list[dict]:
    """Every decision of the inventory, latest first, for the verifier and the list page."""
    current = current_decision_ids(inventory)
    return [{"decision": decision, "current": decision.pk in current,
             "counted_label": origin_label(decision.counted),
             "records": [{**entry, "origin_label": origin_label(entry.get("origin", ""))}
                         for entry in decision.compared]}
            for decision in decisions_of(inventory)]


def _may_decide(user, inventory) -> bool:
    return is_officer_of(user, inventory.enterprise_id) and inventory.status in COLLECTING_STATES


@role_required(*VIEWER_ROLES)
@require_safe
def double_counts(request, pk):
    inventory = found(inventory_for, request.user, pk)
    return render(request, "site/double_counts/list.html", {
        "inventory": inventory, **double_count_box(inventory), "decisions": decision_rows(inventory),
        "may_decide": _may_decide(request.user, inventory),
    })


@role_required(*VIEWER_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def double_count_group(request, pk, key):
    inventory = found(inventory_for, request.user, pk)
    group = next((group for group in double_count_groups(inventory) if group.key == key), None)
    if request.method == "POST":
        if not is_officer_of(request.user, inventory.enterprise_id):
            raise PermissionDenied
        if group is None:
            messages.error(request, _("This group has changed since it was shown; compare the records again."))
            return redirect("site:double_counts", pk=inventory.pk)
        return form_tokens.run_once(request, f"double_count:{inventory.pk}:{group.key}",
                                    lambda: _decide(request, inventory, group))
    if group is None:
        raise Http404(_("There is no such group of possibly double-counted records (any more)."))
    return render_group(request, inventory, group)


def _decide(request, inventory, group):
    form = DoubleCountDecisionForm(request.POST, origins=group.origins)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        ok, decision, status = run_service(form, lambda: decide_double_count(
            inventory_id=inventory.pk, actor=request.user, counted=data["counted"], reason=data["reason"],
            group_key=group.key, record_ids=data["records"]), invalid_field="reason")
        if ok:
            messages.success(request, _("Decision recorded: %(counted)s count for %(group)s.")
                             % {"counted": origin_label(decision.counted), "group": group_label(group)})
            return redirect(reverse("site:inventory_detail", args=[inventory.pk]) + "#double-counting")
    fresh = next((candidate for candidate in double_count_groups(inventory) if candidate.key == group.key), group)
    return render_group(request, inventory, fresh, form=form, status=status)


def render_group(request, inventory, group, *, form=None, status=200):
    unit, columns = comparison(group)
    records = group_records(inventory, group)
    decision = next((row for row in decision_rows(inventory) if row["decision"].pk == group.decision_id), None)
    may_decide = _may_decide(request.user, inventory)
    if may_decide and form is None:
        form = DoubleCountDecisionForm(origins=group.origins,
                                       initial={"records": ",".join(str(pk) for pk in group.record_ids)})
    elif form is not None:
        form.data = form.data.copy()
        form.data["records"] = ",".join(str(pk) for pk in group.record_ids)  # the group as it is now
    return render(request, "site/double_counts/group.html", {
        "inventory": inventory, "group": group, "label": group_label(group), "unit": unit,
        "columns": [{
            "origin": column.origin, "label": origin_label(column.origin), "total": column.total,
            "rows": [{"record": records[facts.id], "converted": column.converted.get(facts.id),
                      "counted": (facts.id not in group.excluded_ids) if group.resolved else None,
                      "new": facts.id in group.new_ids}
                     for facts in column.records],
        } for column in columns],
        "decision": decision, "latest_decisions": [decision] if decision else [], "decided": group.status == DECIDED, "reopened": group.status == REOPENED,
        "form": form if may_decide or (form is not None and form.is_bound) else None,
        "invoice_pages": invoice_pages(inventory) if any(r.evidence_id for r in records.values()) else {},
    }, status=status)
