"""Status changes of a label: suspend, resume (from suspended), revoke (final); each with a
reason, by a platform administrator or a verifier of the body that verified it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carbon_portal.core.errors import Conflict, InvalidInput, PermissionDenied

from ..models import Label, LabelEvent
from ..policies import can_change_label_status
from ..resolution import invalidate


class LabelTransitionError(Conflict):
    """The label is not in a state the change starts from (409)."""


TRANSITIONS = {
    # action: (allowed from, to)
    LabelEvent.Action.SUSPENDED: ((Label.Status.ACTIVE,), Label.Status.SUSPENDED),
    LabelEvent.Action.RESUMED: ((Label.Status.SUSPENDED,), Label.Status.ACTIVE),
    LabelEvent.Action.REVOKED: ((Label.Status.ACTIVE, Label.Status.SUSPENDED), Label.Status.REVOKED),
}


def _change(label: Label, action: str, *, actor, reason: str) -> Label:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("A reason is required."), code="reason_required")
    if not can_change_label_status(actor, label):
        raise PermissionDenied(_("Only an administrator or the verifier body of the label may change its status."))
    label = Label.objects.select_for_update().get(pk=label.pk)
    allowed_from, to_status = TRANSITIONS[action]
    if label.status not in allowed_from:
        raise LabelTransitionError(_("A label that is %(status)s cannot be %(action)s.")
                                   % {"status": label.get_status_display(), "action": LabelEvent.Action(action).label})
    if action == LabelEvent.Action.RESUMED and label.effective_status() == Label.EXPIRED:
        raise LabelTransitionError(_("An expired label cannot be resumed."))
    LabelEvent.objects.create(label=label, action=action, from_status=label.status, to_status=to_status,
                              reason=reason, actor=actor)
    label.status = to_status
    label.status_reason = reason if to_status != Label.Status.ACTIVE else ""
    label.status_changed_at = timezone.now()
    label.save(update_fields=["status", "status_reason", "status_changed_at"])
    invalidate(label)
    return label


@transaction.atomic
def suspend_label(*, label: Label, actor, reason: str) -> Label:
    return _change(label, LabelEvent.Action.SUSPENDED, actor=actor, reason=reason)


@transaction.atomic
def resume_label(*, label: Label, actor, reason: str) -> Label:
    return _change(label, LabelEvent.Action.RESUMED, actor=actor, reason=reason)


@transaction.atomic
def revoke_label(*, label: Label, actor, reason: str) -> Label:
    return _change(label, LabelEvent.Action.REVOKED, actor=actor, reason=reason)
