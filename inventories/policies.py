"""Who may change an inventory's activity data, and when.

Data can be edited while it is being collected; from `submitted` on it is frozen, except the
records that an open finding points at while corrections are requested. Which records those
are, workflows answers through the `inventories.signals.correctable_records` signal.

`can_edit_activity` is the question pages ask; `ensure_can_edit_activity` is the same rule
with the reason: `PermissionDenied` for someone who is not a carbon officer of the enterprise,
`Conflict` (code `data_frozen`) when the inventory's state does not allow the change.
"""

from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Role
from carbon_portal.core.errors import Conflict, PermissionDenied

from .choices import InventoryStatus
from .models import Inventory
from .signals import correctable_record_ids

COLLECTING_STATES = (InventoryStatus.DRAFT, InventoryStatus.COLLECTING)
# The products of the year (output, value) and their upstream inputs do not change the site's
# calculation, only how it is shared among products: they stay open until the internal review,
# and are frozen with the inventory from then on.
PRODUCTS_EDITABLE_STATES = (*COLLECTING_STATES, InventoryStatus.CALCULATED)


def is_officer_of(user, enterprise_id: int) -> bool:
    return user.is_authenticated and user.memberships.filter(role=Role.OFFICER, enterprise_id=enterprise_id).exists()


def can_edit_activity(user, inventory: Inventory, record=None) -> bool:
    """May `user` add activity data to `inventory` (or change `record` of it) now? While
    corrections are requested, only a record that an unresolved finding points at may be
    changed, and nothing added."""
    return is_officer_of(user, inventory.enterprise_id) and state_allows_edit(inventory, record)


def state_allows_edit(inventory: Inventory, record=None) -> bool:
    """Does the inventory's state allow adding data (no `record`) or changing `record`?"""
    if inventory.status in COLLECTING_STATES:
        return True
    if inventory.status == InventoryStatus.CORRECTIONS_REQUESTED and record is not None:
        return record.inventory_id == inventory.pk and record.pk in correctable_record_ids(inventory)
    return False


def ensure_can_edit_activity(user, inventory: Inventory, record=None) -> None:
    """`can_edit_activity`, raising with the reason when the answer is no."""
    if not is_officer_of(user, inventory.enterprise_id):
        raise PermissionDenied(_("Only the enterprise's carbon officers change its activity data."))
    if not state_allows_edit(inventory, record):
        raise Conflict(edit_refusal(inventory), code="data_frozen")


def products_editable(inventory: Inventory) -> bool:
    return inventory.status in PRODUCTS_EDITABLE_STATES


def products_refusal(inventory: Inventory) -> str:
    """Why the inventory's products and their inputs cannot be changed now."""
    return str(_("The inventory's products are frozen while it is %(state)s: they can be changed until it goes to "
                 "internal review.") % {"state": inventory.get_status_display()})


def edit_refusal(inventory: Inventory) -> str:
    """Why the inventory's activity data cannot be changed now (for a refusal or a page)."""
    if inventory.status == InventoryStatus.CORRECTIONS_REQUESTED:
        return str(_("While corrections are requested, only the records that an open finding points at can be "
                     "changed, and none added."))
    return str(_("The inventory's data is frozen while it is %(state)s.") % {"state": inventory.get_status_display()})
