"""Who may change an inventory's activity data, and when.

Data can be edited while it is being collected; from `submitted` on it is frozen, except the
records that an open finding points at while corrections are requested.
"""

from carbon_portal.accounts.models import Role

from .choices import InventoryStatus
from .models import Inventory

COLLECTING_STATES = (InventoryStatus.DRAFT, InventoryStatus.COLLECTING)


def is_officer_of(user, enterprise_id: int) -> bool:
    return user.is_authenticated and user.memberships.filter(role=Role.OFFICER, enterprise_id=enterprise_id).exists()


def can_edit_activity(user, inventory: Inventory, record=None) -> bool:
    """May `user` add activity data to `inventory` (or change `record` of it) now? While
    corrections are requested, only a record that an unresolved finding points at may be
    changed, and nothing added."""
    if not is_officer_of(user, inventory.enterprise_id):
        return False
    if inventory.status in COLLECTING_STATES:
        return True
    if inventory.status == InventoryStatus.CORRECTIONS_REQUESTED and record is not None:
        from workflows.selectors import record_is_flagged  # workflows depends on inventories, not back

        return record.inventory_id == inventory.pk and record_is_flagged(record)
    return False
