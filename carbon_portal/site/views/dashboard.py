"""/portal/: the landing page of every signed-in user, with what waits for them."""

from django.urls import reverse
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from carbon_portal.accounts.models import Role
from inventories.choices import InventoryStatus
from workflows.choices import EngagementStatus, WORKING_ENGAGEMENT_STATES
from workflows.selectors import notifications_for

from ..selectors import (
    awaiting_review,
    inventory_rows,
    officer_enterprises,
    open_findings_for_officer,
    status_counts,
    user_roles,
    verifier_engagements,
)

# States in which the enterprise's officer has something to do.
OFFICER_TODO_STATES = (InventoryStatus.DRAFT, InventoryStatus.COLLECTING, InventoryStatus.CALCULATED,
                       InventoryStatus.CORRECTIONS_REQUESTED)


@login_required
@require_safe
def dashboard(request):
    user = request.user
    roles = user_roles(user)
    context = {"roles": roles, "is_officer": Role.OFFICER in roles, "is_reviewer": Role.REVIEWER in roles,
               "is_verifier": Role.VERIFIER in roles, "is_government": Role.GOVERNMENT in roles,
               "is_admin": Role.ADMIN in roles,
               "notifications": list(notifications_for(user, unread_only=True)[:5])}
    if roles & {Role.OFFICER, Role.REVIEWER, Role.ADMIN}:
        context["inventories"] = list(inventory_rows(user)[:20])
        context["counts"] = status_counts(user)
    if Role.OFFICER in roles:
        context["can_create"] = officer_enterprises(user).exists()
        context["officer_todo"] = [row for row in context["inventories"] if row.status in OFFICER_TODO_STATES]
        context["open_findings"] = list(open_findings_for_officer(user)[:20])
    if Role.REVIEWER in roles:
        context["to_review"] = list(awaiting_review(user)[:20])
    if Role.VERIFIER in roles:
        engagements = verifier_engagements(user)
        context["to_decide"] = list(engagements.filter(status=EngagementStatus.PROPOSED)[:20])
        context["working"] = list(engagements.filter(status__in=WORKING_ENGAGEMENT_STATES)[:20])
    if roles & {Role.GOVERNMENT, Role.ADMIN}:
        context["government_url"] = reverse("government:dashboard")
    return render(request, "site/dashboard.html", context)
