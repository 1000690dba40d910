"""The user's own notices: marking them read."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carbon_portal.core.data_generation import data_changed

from carbon_portal.core.errors import NotFound
from ..models import Notification


def mark_notification_read(*, notification_id, user) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first() \
        if user.is_authenticated else None
    if notification is None:
        raise NotFound(_("No such notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_notifications_read(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())
    data_changed()
    return marked
