"""Who may change an inventory's activity data, and when.

Data can be edited while it is being collected; from `submitted` on it is frozen, except the
records that an open finding points at while corrections are requested (workflows extends
`editable_records` for that state).
"""

from carbon_portal.accounts.models import Role

from .choices import InventoryStatus
from .models import Inventory

COLLECTING_STATES = (InventoryStatus.DRAFT, InventoryStatus.COLLECTING)


def is_officer_of(user, enterprise_id: int) -> bool:
    return user.is_authenticated and user.memberships.filter(role=Role.OFFICER, enterprise_id=enterprise_id).exists()


def can_edit_activity(user, inventory: Inventory, record=None) -> bool:
    """May `user` add activity data to `inventory` (or change `record` of it) now?"""
    if not is_officer_of(user, inventory.enterprise_id):
        return False
    return inventory.status in COLLECTING_STATES
