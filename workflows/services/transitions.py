"""`transition_inventory`: the one way an inventory changes state.

In one transaction: lock the row, check that the transition exists from the current state
(409), that the actor may take it (403), its input (400) and its conditions (409); move the
state; do the transition's own work (the calculation, the engagement's step, the opinion);
append the audit entry and the outbox messages (notifications; label issue after `certify`).
After commit: the `inventory_transitioned` / `inventory_certified` signals. On any failure nothing is changed.
"""

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inventories.models import Inventory
from inventories.selectors import latest_result
from inventories.services import calculate_inventory

from .. import permissions, rules
from ..choices import AuditEntity, EngagementStatus
from carbon_portal.core import outbox
from carbon_portal.core.errors import InvalidInput, NotFound, PermissionDenied, Conflict
from ..lifecycle import TRANSITION_METHODS, as_process, transition_from_state
from ..models import Engagement, Opinion
from ..signals import INVENTORY_CERTIFIED_TOPIC, NOTIFY_TOPIC, inventory_certified, inventory_transitioned
from .audit import append_entry
from .common import lock_inventory

logger = logging.getLogger(__name__)


def transition_inventory(*, inventory_id, name: str, actor, comment: str = "", declaration: str = "",
                         no_conflict: bool = False) -> Inventory:
    """Take transition `name` (docs/interfaces.md §4) on the inventory as `actor`.

    `comment` goes into the audit trail (required to `return` and, as the reason, to
    `decline`); `accept` needs `no_conflict=True` and the conflict-of-interest `declaration`.
    Raises NotFound, Conflict, PermissionDenied or InvalidInput and then changes
    nothing.
    """
    if name not in TRANSITION_METHODS:
        raise NotFound(_("There is no transition called '%(name)s'.") % {"name": name}, code="unknown_transition")
    comment = (comment or "").strip()
    with transaction.atomic():
        inventory = as_process(lock_inventory(inventory_id=inventory_id, actor=actor))
        source = inventory.status
        fsm_transition = transition_from_state(inventory, name)
        if fsm_transition is None:
            raise Conflict(
                _("'%(name)s' is not possible while the inventory is %(state)s.")
                % {"name": name, "state": inventory.get_status_display()},
                code="wrong_state",
            )
        denial = fsm_transition.permission.denial(inventory, actor)
        if denial:
            raise PermissionDenied(denial)
        _check_input(name, comment=comment, declaration=declaration, no_conflict=no_conflict)
        unmet = rules.unmet_condition(fsm_transition.conditions, inventory)
        if unmet:
            raise Conflict(unmet[0], code=unmet[1])

        getattr(inventory, TRANSITION_METHODS[name])()
        effect = EFFECTS.get(name)
        details = effect(inventory, actor=actor, comment=comment, declaration=declaration) if effect else {}
        inventory.save(update_fields=["status", "updated_at"])
        entry = append_entry(entity=AuditEntity.INVENTORY, object_id=inventory.pk, inventory_id=inventory.pk,
                             name=name, from_state=source, to_state=inventory.status, actor=actor,
                             comment=comment, details=details)
        # Side effects that must not be lost go through the outbox, in this transaction.
        outbox.enqueue(NOTIFY_TOPIC, {"entry_id": entry.pk})
        if name == "certify":  # certificates issues the labels (the topic is the contract)
            outbox.enqueue(INVENTORY_CERTIFIED_TOPIC, {"inventory_id": inventory.pk, "actor_id": actor.pk},
                           deliver_now=True)
        transaction.on_commit(partial(after_transition, entry_id=entry.pk, inventory_id=inventory.pk, name=name,
                                      source=source, target=inventory.status, actor_id=actor.pk))
    return inventory


def _check_input(name, *, comment, declaration, no_conflict):
    if name == "return" and not comment:
        raise InvalidInput(_("Say what must change: a comment is required to return the inventory."))
    if name == "decline" and not comment:
        raise InvalidInput(_("Give the reason for declining in the comment."))
    if name == "accept" and (no_conflict is not True or not (declaration or "").strip()):
        raise InvalidInput(
            _("Accepting needs a conflict-of-interest declaration: set no_conflict to true and describe your "
              "independence from the enterprise in declaration. A body with a conflict must decline."),
            code="declaration_required",
        )


# --- What each transition does inside its transaction ---------------------------------------------


def _log_engagement(engagement, *, name, source, actor, comment="", details=None):
    return append_entry(entity=AuditEntity.ENGAGEMENT, object_id=engagement.pk,
                        inventory_id=engagement.inventory_id, name=name, from_state=source,
                        to_state=engagement.status, actor=actor, comment=comment, details=details)


def _calculate(inventory, *, actor, **kwargs) -> dict:
    """The calculation is this transition's content, not a side effect of it: the state says
    `calculated` exactly when the result it names exists (see docs/workflows.md)."""
    try:
        result = calculate_inventory(inventory=inventory, calculated_by=actor)
    except ValidationError as error:
        raise Conflict("; ".join(error.messages), code="calculation_failed") from error
    return {"result_id": result.pk, "total_tco2e": result.total_tco2e}


def _approve(inventory, *, actor, **kwargs) -> dict:
    engagement = rules.chosen_engagement(inventory)
    engagement.propose()
    engagement.save()
    permissions.grant_proposal(engagement)
    _log_engagement(engagement, name="propose", source=EngagementStatus.CHOSEN, actor=actor)
    return {"engagement_id": engagement.pk, "verifier_body_id": engagement.verifier_body_id}


def _accept(inventory, *, actor, declaration, **kwargs) -> dict:
    engagement = rules.proposed_engagement(inventory)
    engagement.accept(by=actor, declaration=declaration.strip())
    engagement.save()
    permissions.grant_verification(engagement)
    _log_engagement(engagement, name="accept", source=EngagementStatus.PROPOSED, actor=actor,
                    comment=declaration.strip(), details={"no_conflict": True})
    return {"engagement_id": engagement.pk, "verifier_body_id": engagement.verifier_body_id}


def _decline(inventory, *, actor, comment, **kwargs) -> dict:
    engagement = rules.proposed_engagement(inventory)
    engagement.decline(by=actor, reason=comment)
    engagement.save()
    permissions.revoke_engagement(engagement)
    _log_engagement(engagement, name="decline", source=EngagementStatus.PROPOSED, actor=actor, comment=comment)
    return {"engagement_id": engagement.pk, "verifier_body_id": engagement.verifier_body_id}


def working_engagement(inventory) -> Engagement | None:
    return (Engagement.objects.filter(inventory=inventory,
                                      status__in=[EngagementStatus.ACCEPTED, EngagementStatus.REVIEWING])
            .select_related("verifier_body").first())


def start_review(engagement, *, actor) -> None:
    """accepted -> reviewing, on the verifier's first review step."""
    if engagement.status == EngagementStatus.ACCEPTED:
        engagement.start_review()
        engagement.save()
        _log_engagement(engagement, name="start_review", source=EngagementStatus.ACCEPTED, actor=actor)


def _request_corrections(inventory, *, actor, **kwargs) -> dict:
    engagement = working_engagement(inventory)
    start_review(engagement, actor=actor)
    open_findings = list(inventory.findings.awaiting_response().values_list("number", flat=True))
    return {"engagement_id": engagement.pk, "findings": open_findings}


def _resubmit(inventory, *, actor, **kwargs) -> dict:
    """Corrected records are recalculated before the verifier looks again."""
    result = latest_result(inventory)
    changed = result is None or inventory.activity_records.filter(updated_at__gt=result.calculated_at).exists()
    if not changed:
        return {"recalculated": False, "result_id": result.pk}
    details = _calculate(inventory, actor=actor)
    return {"recalculated": True, **details}


def _issue_opinion(inventory, *, actor, **kwargs) -> dict:
    engagement = working_engagement(inventory)
    opinion = Opinion.objects.select_for_update().get(engagement=engagement)
    result = latest_result(inventory)
    if opinion.result_id != (result.pk if result else None):
        raise Conflict(
            _("The opinion refers to an earlier calculation of this inventory; record the opinion again."),
            code="condition_failed",
        )
    opinion.issued_by, opinion.issued_at = actor, timezone.now()
    opinion.save(update_fields=["issued_by", "issued_at", "updated_at"])
    source = engagement.status
    engagement.issue_opinion()
    engagement.save()
    permissions.end_verification(engagement)
    _log_engagement(engagement, name="issue_opinion", source=source, actor=actor,
                    details={"opinion_id": opinion.pk, "conclusion": opinion.conclusion})
    return {
        "engagement_id": engagement.pk,
        "opinion_id": opinion.pk,
        "conclusion": opinion.conclusion,
        "assurance_level": opinion.assurance_level,
        "materiality_threshold_percent": opinion.materiality_threshold_percent,
        "misstatement_percent": opinion.misstatement_percent,
        "result_id": opinion.result_id,
    }


EFFECTS = {
    "calculate": _calculate,
    "approve": _approve,
    "accept": _accept,
    "decline": _decline,
    "request_corrections": _request_corrections,
    "resubmit": _resubmit,
    "verify": _issue_opinion,
    "reject": _issue_opinion,
}


# --- After commit --------------------------------------------------------------------------------


def after_transition(*, entry_id, inventory_id, name, source, target, actor_id) -> None:
    """Runs once the transition is committed: tell the other apps (the notices and the labels
    follow through the outbox, recorded in the transition's transaction)."""
    _send(inventory_transitioned, inventory_id=inventory_id, name=name, source=source, target=target,
          actor_id=actor_id, entry_id=entry_id)
    if name == "certify":
        _send(inventory_certified, inventory_id=inventory_id, actor_id=actor_id)


def _send(signal, **kwargs) -> None:
    for receiver, response in signal.send_robust(sender=Inventory, **kwargs):
        if isinstance(response, Exception):
            logger.error("receiver %r of %s failed", receiver, kwargs, exc_info=response)

