"""The inventory lifecycle of docs/workflows.md as django-fsm-2 transitions.

    draft -open-> collecting -calculate-> calculated -submit_review-> in_review -approve-> submitted
    calculated -reopen-> collecting;  in_review -return-> collecting
    submitted -accept-> verifying;  submitted -decline-> submitted (another body can be proposed)
    verifying -request_corrections-> corrections_requested -resubmit-> verifying
    verifying -verify-> verified -certify-> certified;  verifying -reject-> rejected

`Inventory` (in `inventories`) only has the state field, protected and neutral: it knows nothing
of who may move it where. The transitions are declared here, on `InventoryProcess`, a proxy of
`Inventory` (the same table and rows), so the lifecycle belongs to workflows and inventories
never imports it. The methods only move the state; call them through
`workflows.services.transition_inventory`, which locks the row, checks the permission and the
conditions declared here, does the transition's own work, writes the audit entry and schedules
what happens after commit. Only django-fsm's public API is used to read the transitions.
"""

import copy

from django.utils.translation import gettext_lazy as _
from django_fsm import Transition, transition

from inventories.choices import InventoryStatus as S
from inventories.models import Inventory

from . import rules

# The transitions by their public names (docs/interfaces.md §4). `return` is a Python keyword, so its
# method is `return_for_changes`.
TRANSITION_METHODS = {
    "open": "open",
    "calculate": "calculate",
    "submit_review": "submit_review",
    "approve": "approve",
    "return": "return_for_changes",
    "reopen": "reopen",
    "accept": "accept",
    "decline": "decline",
    "request_corrections": "request_corrections",
    "resubmit": "resubmit",
    "verify": "verify",
    "reject": "reject",
    "certify": "certify",
}
TRANSITION_NAMES = tuple(TRANSITION_METHODS)

TRANSITION_LABELS = {
    "open": _("Open for data collection"),
    "calculate": _("Calculate"),
    "submit_review": _("Send for internal review"),
    "approve": _("Approve and submit for verification"),
    "return": _("Return to the preparer"),
    "reopen": _("Reopen data collection"),
    "accept": _("Accept the engagement"),
    "decline": _("Decline the engagement"),
    "request_corrections": _("Request corrections"),
    "resubmit": _("Resubmit after corrections"),
    "verify": _("Verify"),
    "reject": _("Reject"),
    "certify": _("Certify"),
}


class InventoryProcess(Inventory):
    """An inventory seen through its lifecycle: the transitions of `Inventory.status` (a
    protected FSMField: it cannot be assigned)."""

    class Meta:
        proxy = True
        verbose_name = _("inventory")
        verbose_name_plural = _("inventories")

    @transition(field="status", source=S.DRAFT, target=S.COLLECTING, permission=rules.may_prepare)
    def open(self):
        """Start collecting activity data."""

    @transition(field="status", source=S.COLLECTING, target=S.CALCULATED, permission=rules.may_prepare,
                conditions=[rules.has_activity_data, rules.no_unresolved_double_count])
    def calculate(self):
        """Calculate the inventory (the service stores the result in the same transaction)."""

    @transition(field="status", source=S.CALCULATED, target=S.COLLECTING, permission=rules.may_prepare)
    def reopen(self):
        """Go back to collecting data after a calculation."""

    @transition(field="status", source=S.CALCULATED, target=S.IN_REVIEW, permission=rules.may_prepare,
                conditions=[rules.has_result, rules.no_unresolved_double_count])
    def submit_review(self):
        """Send the calculated inventory to the enterprise's reviewer."""

    @transition(field="status", source=S.IN_REVIEW, target=S.SUBMITTED, permission=rules.may_review,
                conditions=[rules.has_eligible_verifier])
    def approve(self):
        """Four-eyes approval; proposes the chosen verifier body."""

    @transition(field="status", source=S.IN_REVIEW, target=S.COLLECTING, permission=rules.may_review)
    def return_for_changes(self):
        """The reviewer sends the inventory back to its preparer."""

    @transition(field="status", source=S.SUBMITTED, target=S.VERIFYING, permission=rules.may_decide_engagement,
                conditions=[rules.has_proposed_engagement])
    def accept(self):
        """The proposed verifier body accepts (with its conflict-of-interest declaration)."""

    @transition(field="status", source=S.SUBMITTED, target=S.SUBMITTED, permission=rules.may_decide_engagement,
                conditions=[rules.has_proposed_engagement])
    def decline(self):
        """The proposed body declines with a reason; the inventory waits, frozen, for another proposal."""

    @transition(field="status", source=S.VERIFYING, target=S.CORRECTIONS_REQUESTED, permission=rules.may_verify,
                conditions=[rules.has_findings_awaiting_response])
    def request_corrections(self):
        """The verifier asks the enterprise to answer its open findings."""

    @transition(field="status", source=S.CORRECTIONS_REQUESTED, target=S.VERIFYING, permission=rules.may_prepare,
                conditions=[rules.no_finding_awaiting_response])
    def resubmit(self):
        """The enterprise hands the corrected inventory back (recalculated if records changed)."""

    @transition(field="status", source=S.VERIFYING, target=S.VERIFIED, permission=rules.may_verify,
                conditions=[rules.no_unresolved_finding, rules.has_verified_opinion])
    def verify(self):
        """Issue a 'verified' opinion."""

    @transition(field="status", source=S.VERIFYING, target=S.REJECTED, permission=rules.may_verify,
                conditions=[rules.has_rejected_opinion])
    def reject(self):
        """Issue a 'rejected' opinion."""

    @transition(field="status", source=S.VERIFIED, target=S.CERTIFIED, permission=rules.may_certify,
                conditions=[rules.labels_can_be_issued])
    def certify(self):
        """The platform certifies; labels are issued after commit."""


def as_process(inventory: Inventory) -> InventoryProcess:
    """The same inventory, with its lifecycle (no query: the loaded row is reused)."""
    if isinstance(inventory, InventoryProcess):
        return inventory
    process = copy.copy(inventory)
    process.__class__ = InventoryProcess
    return process


def transition_from_state(process: InventoryProcess, name: str) -> Transition | None:
    """Transition `name` (a public name of TRANSITION_METHODS) from the inventory's current
    state, or None when there is no such transition from here."""
    method_name = TRANSITION_METHODS.get(name)
    for candidate in process.get_all_status_transitions():
        if candidate.name == method_name and candidate.source in (process.status, "*"):
            return candidate
    return None
