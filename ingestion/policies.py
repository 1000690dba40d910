"""Who may add data collected here to an inventory: `inventories.policies`, with the reason
said when the answer is no."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from inventories.policies import can_edit_activity, is_officer_of


class ActivityLocked(Exception):
    """The inventory's state does not allow changes to its activity data (HTTP 409)."""


def ensure_can_edit_activity(user, inventory) -> None:
    if not is_officer_of(user, inventory.enterprise_id):
        raise PermissionDenied(_("Only a carbon officer of the enterprise may change its activity data."))
    if not can_edit_activity(user, inventory):
        raise ActivityLocked(_("The inventory is %(status)s: its activity data cannot be changed now.")
                             % {"status": inventory.get_status_display()})
