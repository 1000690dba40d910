"""The enterprise reviewer's queue: inventories waiting in internal review, each with the
approve and return buttons the lifecycle allows this reviewer now (four-eyes: not to the
person who prepared it). The buttons post to `officer.inventory_transition`."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from carbon_portal.accounts.models import Role
from workflows.selectors import current_engagement, transition_options

from ..forms import TransitionForm
from ..selectors import awaiting_review
from .common import role_required

REVIEW_TRANSITIONS = ("approve", "return")


@role_required(Role.REVIEWER)
@require_safe
def review_queue(request):
    return render_queue(request)


def render_queue(request, *, forms=None, status=200):
    forms = forms or {}
    rows = []
    for inventory in awaiting_review(request.user)[:200]:
        options = [option for option in transition_options(request.user, inventory)
                   if option.name in REVIEW_TRANSITIONS]
        rows.append({
            "inventory": inventory,
            "engagement": current_engagement(inventory),
            "actions": [(option, forms.get(f"{inventory.pk}-{option.name}") or TransitionForm())
                        for option in options if option.allowed],
            "blocked": [option for option in options if not option.allowed],
        })
    return render(request, "site/review/queue.html", {"rows": rows}, status=status)
