"""The permissions and conditions of the inventory lifecycle, each with the reason it gives.

django-fsm calls a permission as `permission(inventory, user)` and a condition as
`condition(inventory)`; both are plain callables here that can also say why they fail, so the
services answer 403/409 with a message a person understands.

Imported by `workflows.lifecycle`, hence while workflows' models load: workflows' own models are
read inside the functions.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inventories.double_counts import double_count_refusal

from . import access
from .signals import certification_check


class Requirement:
    """A check with the message shown when it fails."""

    def __init__(self, check, message):
        self.check = check
        self.message = message

    def __call__(self, *args) -> bool:
        return bool(self.check(*args))

    def __repr__(self):
        return f"<Requirement {self.check.__name__}>"


class Permit:
    """A transition's permission: every requirement about (inventory, user) must hold."""

    def __init__(self, *requirements: Requirement):
        self.requirements = requirements

    def __call__(self, inventory, user) -> bool:
        return self.denial(inventory, user) is None

    def denial(self, inventory, user):
        for requirement in self.requirements:
            if not requirement(inventory, user):
                return requirement.message
        return None


class Check:
    """A condition whose reason depends on the data: `explain(inventory)` returns why it fails,
    or None when it holds; `code` is the refusal's code (`condition_failed` unless given)."""

    def __init__(self, explain, code: str = "condition_failed"):
        self.explain = explain
        self.code = code

    def __call__(self, inventory) -> bool:
        return self.explain(inventory) is None

    def __repr__(self):
        return f"<Check {self.explain.__name__}>"


def failed_condition(conditions, inventory):
    """The reason the first unmet condition gives, or None when every condition holds."""
    unmet = unmet_condition(conditions, inventory)
    return unmet[0] if unmet else None


def unmet_condition(conditions, inventory):
    """(reason, code) of the first unmet condition, or None when every condition holds."""
    for condition in conditions or ():
        if isinstance(condition, Check):
            reason = condition.explain(inventory)
            if reason is not None:
                return reason, condition.code
        elif not condition(inventory):
            return getattr(condition, "message", _("A condition of this step is not met.")), "condition_failed"
    return None


# --- Who ---------------------------------------------------------------------------------------


def _holding(codename, message):
    return Requirement(lambda inventory, user: access.holds(user, codename, inventory), message)


def preparers(inventory) -> set[int]:
    """Who prepared the inventory as it stands: whoever last calculated it and whoever last
    sent it for review."""
    from .models import TransitionLog

    actor_ids = set()
    for name in ("calculate", "submit_review"):
        entry = (TransitionLog.objects.filter(inventory=inventory, entity="inventory", name=name)
                 .order_by("-sequence").values_list("actor_id", flat=True).first())
        if entry:
            actor_ids.add(entry)
    return actor_ids


def _is_not_preparer(inventory, user) -> bool:
    return user.pk not in preparers(inventory)


def proposed_engagement(inventory):
    from .choices import EngagementStatus

    return inventory.engagements.filter(status=EngagementStatus.PROPOSED).select_related("verifier_body").first()


def _decides_engagement(inventory, user) -> bool:
    engagement = proposed_engagement(inventory)
    return engagement is not None and access.holds(user, access.DECIDE_ENGAGEMENT, engagement)


may_prepare = Permit(_holding(access.PREPARE, _("Only the enterprise's carbon officers prepare this inventory.")))
may_review = Permit(
    _holding(access.REVIEW, _("Only the enterprise's reviewers approve or return this inventory.")),
    Requirement(_is_not_preparer, _("You prepared this inventory; another reviewer must decide (four-eyes rule).")),
)
may_decide_engagement = Permit(
    Requirement(_decides_engagement, _("Only the verifier body the inventory was proposed to can accept or decline.")),
)
may_verify = Permit(_holding(access.VERIFY, _("Only the verifier body that accepted the engagement verifies.")))
may_certify = Permit(
    Requirement(lambda inventory, user: access.holds_globally(user, access.CERTIFY),
                _("Only platform administrators certify inventories.")),
)


# --- When ----------------------------------------------------------------------------------------


def _has_activity_data(inventory) -> bool:
    return inventory.activity_records.exists()


def _has_result(inventory) -> bool:
    return inventory.results.exists()


def chosen_engagement(inventory):
    from .choices import EngagementStatus

    return inventory.engagements.filter(status=EngagementStatus.CHOSEN).select_related("verifier_body").first()


def _has_eligible_verifier(inventory) -> bool:
    engagement = chosen_engagement(inventory)
    return engagement is not None and engagement.verifier_body.is_accredited_for(
        inventory.enterprise.industry, on=timezone.localdate())


def _has_proposed_engagement(inventory) -> bool:
    return proposed_engagement(inventory) is not None


def _findings(inventory):
    from .models import Finding

    return Finding.objects.filter(inventory=inventory)


def _has_findings_awaiting_response(inventory) -> bool:
    return _findings(inventory).awaiting_response().exists()


def _no_finding_awaiting_response(inventory) -> bool:
    return not _findings(inventory).awaiting_response().exists()


def _no_unresolved_finding(inventory) -> bool:
    return not _findings(inventory).unresolved().exists()


def _working_opinion(inventory):
    from .choices import WORKING_ENGAGEMENT_STATES
    from .models import Opinion

    return Opinion.objects.filter(engagement__inventory=inventory,
                                  engagement__status__in=WORKING_ENGAGEMENT_STATES).first()


def _opinion_concludes(conclusion):
    def check(inventory) -> bool:
        opinion = _working_opinion(inventory)
        return opinion is not None and opinion.conclusion == conclusion

    check.__name__ = f"opinion_{conclusion}"
    return check


has_activity_data = Requirement(_has_activity_data, _("The inventory has no activity data to calculate."))
has_result = Requirement(_has_result, _("The inventory has not been calculated."))
has_eligible_verifier = Requirement(
    _has_eligible_verifier,
    _("Choose a verifier body whose accreditation covers the enterprise's industry before approving."),
)
has_proposed_engagement = Requirement(_has_proposed_engagement,
                                      _("No verifier body has been proposed for this inventory."))
has_findings_awaiting_response = Requirement(
    _has_findings_awaiting_response, _("Raise at least one open finding before requesting corrections."))
no_finding_awaiting_response = Requirement(
    _no_finding_awaiting_response, _("Respond to every open finding before resubmitting."))
no_unresolved_finding = Requirement(
    _no_unresolved_finding, _("Every finding must be closed before the inventory is verified."))
has_verified_opinion = Requirement(
    _opinion_concludes("verified"), _("Record an opinion that concludes 'verified' before verifying."))
has_rejected_opinion = Requirement(
    _opinion_concludes("rejected"), _("Record an opinion that concludes 'rejected' before rejecting."))


def _certification_problems(inventory):
    """What the receivers of `certification_check` (certificates) say stops labels from being
    issued."""
    problems = [problem for _receiver, answer in certification_check.send(sender=type(inventory), inventory=inventory)
                for problem in answer or ()]
    if not problems:
        return None
    return _("Labels cannot be issued for this inventory: %(problems)s.") % {"problems": "; ".join(problems)}


labels_can_be_issued = Check(_certification_problems)

# Possible double counting (inventories.double_counts) settled: checked before calculating and again
# before the calculated inventory goes to review, so that no path passes unsettled groups.
no_unresolved_double_count = Check(double_count_refusal, code="double_count_unresolved")
