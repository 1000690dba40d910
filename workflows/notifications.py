"""Who must act next after a step, and telling them: an in-portal notice and an e-mail.

Runs after commit (Celery task `workflows.tasks.notify`, in-process on the embedded default).
Messages are stored as the event's name and rendered in the reader's language when shown.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Role
from carbon_portal.core.data_generation import data_changed

from .choices import WORKING_ENGAGEMENT_STATES, AuditEntity, EngagementStatus
from .models import Engagement, Notification, TransitionLog

logger = logging.getLogger(__name__)

MESSAGES = {
    "open": _("%(actor)s opened %(inventory)s for data collection."),
    "calculate": _("%(actor)s calculated %(inventory)s; send it for review when it is complete."),
    "reopen": _("%(actor)s reopened data collection of %(inventory)s."),
    "submit_review": _("%(inventory)s awaits your review (prepared by %(actor)s): approve or return it."),
    "approve": _("%(inventory)s is proposed to your body for verification: accept or decline."),
    "propose": _("%(inventory)s is proposed to your body for verification: accept or decline."),
    "return": _("%(actor)s returned %(inventory)s for changes."),
    "accept": _("%(actor)s accepted to verify %(inventory)s."),
    "decline": _("%(actor)s declined to verify %(inventory)s: choose another verifier body."),
    "request_corrections": _("The verifier requests corrections to %(inventory)s: answer the open findings, "
                             "correct the records they point at and resubmit."),
    "resubmit": _("%(inventory)s was resubmitted after corrections: continue the verification."),
    "verify": _("%(inventory)s is verified and can be certified."),
    "reject": _("The verifier rejected %(inventory)s."),
    "certify": _("%(inventory)s is certified; its labels are being issued."),
}


def inventory_label(inventory) -> str:
    return f"{inventory.enterprise} {inventory.year}"


def message_for(notification) -> str:
    template = MESSAGES.get(notification.verb, _("%(inventory)s: %(actor)s did '%(event)s'."))
    actor = notification.actor.display_name or notification.actor.username if notification.actor else "-"
    inventory = inventory_label(notification.inventory) if notification.inventory else "-"
    return str(template) % {"actor": actor, "inventory": inventory, "event": notification.verb}


# --- Who acts next -----------------------------------------------------------------------------------


def _active_users():
    return get_user_model().objects.filter(is_active=True)


def _enterprise(role):
    def people(inventory):
        return _active_users().filter(memberships__role=role, memberships__enterprise_id=inventory.enterprise_id)

    return people


def _verifier_body(*states):
    def people(inventory):
        bodies = Engagement.objects.filter(inventory=inventory, status__in=states).values("verifier_body_id")
        return _active_users().filter(memberships__role=Role.VERIFIER, memberships__verifier_body_id__in=bodies)

    return people


def _administrators(inventory):
    return _active_users().filter(Q(is_superuser=True) | Q(memberships__role=Role.ADMIN))


officers, reviewers = _enterprise(Role.OFFICER), _enterprise(Role.REVIEWER)

NEXT_ACTORS = {
    "open": [officers],
    "calculate": [officers],
    "reopen": [officers],
    "submit_review": [reviewers],
    "approve": [_verifier_body(EngagementStatus.PROPOSED)],
    "propose": [_verifier_body(EngagementStatus.PROPOSED)],
    "return": [officers],
    "accept": [officers],
    "decline": [officers],
    "request_corrections": [officers],
    "resubmit": [_verifier_body(*WORKING_ENGAGEMENT_STATES)],
    "verify": [_administrators, officers],
    "reject": [officers, reviewers],
    "certify": [officers, reviewers],
}


def recipients_for(entry: TransitionLog) -> list:
    """The people who must act after `entry` (never its actor)."""
    if entry.entity not in (AuditEntity.INVENTORY, AuditEntity.ENGAGEMENT):
        return []
    people = {}
    for group in NEXT_ACTORS.get(entry.name, []):
        for user in group(entry.inventory).exclude(pk=entry.actor_id):
            people[user.pk] = user
    return list(people.values())


# --- Telling them ----------------------------------------------------------------------------------


def notify_about_entry(*, entry_id: int) -> list[Notification]:
    entry = TransitionLog.objects.select_related("inventory__enterprise", "actor").filter(pk=entry_id).first()
    if entry is None:
        return []
    recipients = recipients_for(entry)
    # Idempotent (an outbox redelivery): whoever already has the notice of this entry gets none again.
    already = set(Notification.objects.filter(inventory=entry.inventory, verb=entry.name, actor=entry.actor,
                                              created_at__gte=entry.created_at).values_list("recipient_id", flat=True))
    recipients = [user for user in recipients if user.pk not in already]
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, inventory=entry.inventory, verb=entry.name, actor=entry.actor,
                      comment=entry.comment) for user in recipients]
    )
    data_changed()
    _email([notification for notification in notifications if notification.recipient.email])
    return notifications


def inventory_url(inventory_id: int) -> str:
    """The portal page of the inventory, or its API resource before the portal pages exist."""
    for name in ("portal:inventory_detail", "site:inventory_detail", "api:inventory-detail"):
        try:
            path = reverse(name, args=[inventory_id])
        except NoReverseMatch:
            continue
        return settings.PORTAL_BASE_URL.rstrip("/") + path
    return settings.PORTAL_BASE_URL


def _email(notifications: list[Notification]) -> None:
    if not notifications:
        return
    messages = []
    for notification in notifications:
        text = notification.message
        body = [text]
        if notification.comment:
            body += ["", str(_("Comment: %(comment)s") % {"comment": notification.comment})]
        if notification.inventory_id:
            body += ["", inventory_url(notification.inventory_id)]
        messages.append(EmailMessage(subject=str(_("Carbon Portal: %(message)s") % {"message": text})[:200],
                                     body="\n".join(body), to=[notification.recipient.email]))
    try:
        get_connection().send_messages(messages)
    except Exception:  # the notices are stored; a mail outage is logged, not raised
        logger.exception("e-mail notifications could not be sent")
        return
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
