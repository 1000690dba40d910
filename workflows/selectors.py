"""Reads of the workflow, already scoped to the user. Every view and API endpoint uses these
(or `inventories.selectors.inventories_visible_to`), so another tenant's ids are simply not
found.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Role, VerifierBody
from inventories.models import ActivityRecord, Inventory
from inventories.selectors import inventories_visible_to

from . import access, rules
from .choices import ACTIVE_ENGAGEMENT_STATES, UNRESOLVED_FINDING_STATES, AuditEntity, FindingStatus
from carbon_portal.core.errors import NotFound
from .lifecycle import TRANSITION_LABELS, TRANSITION_METHODS, as_process, transition_from_state
from .models import Engagement, Finding, Notification, TransitionLog


# --- Inventories ---------------------------------------------------------------------------------


def inventory_for(user, inventory_id) -> Inventory:
    inventory = inventories_visible_to(user).select_related("enterprise__industry").filter(pk=inventory_id).first()
    if inventory is None:
        raise NotFound(_("No such inventory."))
    return inventory


@dataclass(frozen=True)
class TransitionOption:
    name: str
    label: str
    allowed: bool
    reason: str = ""  # why not, when not allowed


def transition_options(user, inventory) -> list[TransitionOption]:
    """The transitions from the inventory's current state that concern `user` (they hold the
    permission), each with whether its conditions are met now and, if not, why. A page shows
    these as its buttons."""
    options = []
    process = as_process(inventory)
    for name in TRANSITION_METHODS:
        fsm_transition = transition_from_state(process, name)
        if fsm_transition is None or not fsm_transition.permission(inventory, user):
            continue
        reason = rules.failed_condition(fsm_transition.conditions, inventory)
        options.append(TransitionOption(name, str(TRANSITION_LABELS[name]), reason is None, str(reason or "")))
    return options


def available_transitions(user, inventory) -> list[str]:
    """Names of the transitions `user` can take on the inventory right now."""
    return [option.name for option in transition_options(user, inventory) if option.allowed]


def audit_trail(inventory, *, entity: str | None = None) -> QuerySet[TransitionLog]:
    """The inventory's audit entries, oldest first (`entity="inventory"`: its transitions only)."""
    entries = TransitionLog.objects.filter(inventory=inventory).select_related("actor")
    return entries.filter(entity=entity) if entity else entries


def transition_history(inventory) -> QuerySet[TransitionLog]:
    return audit_trail(inventory, entity=AuditEntity.INVENTORY)


def eligible_verifier_bodies(inventory) -> QuerySet[VerifierBody]:
    """Bodies accredited today for the enterprise's industry: the choice an officer has."""
    today = timezone.localdate()
    return VerifierBody.objects.filter(scope=inventory.enterprise.industry_id, accredited_from__lte=today,
                                       accredited_until__gte=today)


def can_choose_verifier(user, inventory) -> bool:
    from .services.engagements import CHOOSING_STATES

    if not access.holds(user, access.PREPARE, inventory):
        return False
    if inventory.status in CHOOSING_STATES:
        return True
    return inventory.status == "submitted" and current_engagement(inventory) is None


# --- Engagements ---------------------------------------------------------------------------------


def engagements_visible_to(user) -> QuerySet[Engagement]:
    """Enterprise members: their enterprise's engagements. Verifiers: those proposed to their
    body (never a mere choice not yet approved). Administrators: all. Government: none."""
    engagements = Engagement.objects.select_related("inventory__enterprise", "verifier_body")
    if not user.is_authenticated:
        return engagements.none()
    if user.is_superuser or Role.ADMIN in user.roles:
        return engagements
    memberships = list(user.memberships.all())
    enterprise_ids = [m.enterprise_id for m in memberships if m.role in (Role.OFFICER, Role.REVIEWER)]
    body_ids = [m.verifier_body_id for m in memberships if m.role == Role.VERIFIER]
    visible = Q(inventory__enterprise_id__in=enterprise_ids) | Q(verifier_body_id__in=body_ids,
                                                                  proposed_at__isnull=False)
    return engagements.filter(visible)


def engagement_for(user, engagement_id) -> Engagement:
    engagement = engagements_visible_to(user).filter(pk=engagement_id).first()
    if engagement is None:
        raise NotFound(_("No such engagement."))
    return engagement


def engagement_detail(user, engagement_id) -> Engagement:
    """The engagement with its samples, findings and opinion loaded."""
    engagement = engagement_for(user, engagement_id)
    return (Engagement.objects.select_related("inventory__enterprise", "verifier_body", "opinion")
            .prefetch_related("samples__activity_record", _findings_prefetch())
            .get(pk=engagement.pk))


def current_engagement(inventory) -> Engagement | None:
    """The engagement that binds the inventory now (chosen, proposed, accepted or reviewing)."""
    return (Engagement.objects.filter(inventory=inventory, status__in=ACTIVE_ENGAGEMENT_STATES)
            .select_related("verifier_body").first())


def engagement_actions(user, engagement) -> set[str]:
    """What `user` can do on the engagement now: sample, raise_finding, record_opinion (the
    verifier at work) — accept and decline are inventory transitions."""
    inventory = engagement.inventory
    if not engagement.is_working or not access.holds(user, access.VERIFY, inventory):
        return set()
    actions = set()
    if inventory.status in ("verifying", "corrections_requested"):
        actions |= {"sample", "record_opinion"}
    if inventory.status == "verifying":
        actions.add("raise_finding")
    return actions


# --- Findings ------------------------------------------------------------------------------------


def _findings_prefetch():
    return Prefetch("findings", queryset=Finding.objects.prefetch_related("activity_records", "result_lines"))


def findings_visible_to(user) -> QuerySet[Finding]:
    """Findings of the engagements the user sees (government users see none)."""
    return (Finding.objects.filter(engagement__in=engagements_visible_to(user).values("pk"))
            .select_related("engagement__verifier_body", "inventory__enterprise"))


def finding_for(user, finding_id) -> Finding:
    finding = findings_visible_to(user).prefetch_related("activity_records", "result_lines") \
        .filter(pk=finding_id).first()
    if finding is None:
        raise NotFound(_("No such finding."))
    return finding


def finding_actions(user, finding) -> set[str]:
    """respond (enterprise officer), close and reopen (the verifier at work)."""
    inventory = finding.inventory
    if inventory.status not in ("verifying", "corrections_requested"):
        return set()
    actions = set()
    if finding.status == FindingStatus.OPEN and access.holds(user, access.PREPARE, inventory):
        actions.add("respond")
    if finding.engagement.is_working and access.holds(user, access.VERIFY, inventory):
        if finding.status != FindingStatus.CLOSED:
            actions.add("close")
        if finding.status != FindingStatus.OPEN:
            actions.add("reopen")
    return actions


def flagged_record_ids(inventory) -> set[int]:
    """Activity records that an unresolved finding points at."""
    return set(ActivityRecord.objects.filter(inventory=inventory, findings__status__in=UNRESOLVED_FINDING_STATES)
               .values_list("pk", flat=True))


def record_is_flagged(record) -> bool:
    return Finding.objects.filter(activity_records=record, status__in=UNRESOLVED_FINDING_STATES).exists()


def with_flags(records: QuerySet[ActivityRecord]) -> QuerySet[ActivityRecord]:
    """Annotate `flagged` (an unresolved finding points at the record) in the same query."""
    unresolved = Finding.objects.filter(activity_records=OuterRef("pk"), status__in=UNRESOLVED_FINDING_STATES)
    return records.annotate(flagged=Exists(unresolved))


# --- Notifications ---------------------------------------------------------------------------------


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    notices = Notification.objects.filter(recipient=user).select_related("inventory__enterprise", "actor")
    return notices.filter(read_at=None) if unread_only else notices


def unread_notification_count(user) -> int:
    return notifications_for(user, unread_only=True).count()


def visible_opinion(user, engagement):
    """The opinion as `user` may read it: the verifier body (and administrators) see the draft;
    everyone else only the issued opinion."""
    opinion = getattr(engagement, "opinion", None) if _has_opinion(engagement) else None
    if opinion is None or opinion.is_issued:
        return opinion
    if user.is_superuser or Role.ADMIN in user.roles:
        return opinion
    body_ids = {m.verifier_body_id for m in user.memberships.all() if m.role == Role.VERIFIER}
    return opinion if engagement.verifier_body_id in body_ids else None


def _has_opinion(engagement) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        engagement.opinion
    except ObjectDoesNotExist:
        return False
    return True
