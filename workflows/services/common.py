"""Shared by the workflow services: finding and locking the inventory a step works on."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from inventories.choices import InventoryStatus
from inventories.models import Inventory
from inventories.selectors import inventories_visible_to

from .. import access
from carbon_portal.core.errors import InvalidInput, NotFound, PermissionDenied, Conflict
from ..models import Engagement

REVIEW_STATES = (InventoryStatus.VERIFYING, InventoryStatus.CORRECTIONS_REQUESTED)


def lock_inventory(*, inventory_id, actor) -> Inventory:
    """The inventory, locked for the rest of the transaction (SELECT ... FOR UPDATE of its row
    only), if `actor` may see it; else NotFound, whether or not it exists."""
    if not inventories_visible_to(actor).filter(pk=inventory_id).exists():
        raise NotFound(_("No such inventory."))
    return (Inventory.objects.select_for_update(of=("self",))
            .select_related("enterprise__industry").get(pk=inventory_id))


def lock_working_engagement(*, engagement_id, actor):
    """The engagement, visible to `actor`, with its inventory locked; the actor must be the
    verifier working on it, and the inventory under review."""
    from ..selectors import engagements_visible_to

    inventory_id = engagements_visible_to(actor).filter(pk=engagement_id).values_list("inventory_id", flat=True).first()
    if inventory_id is None:
        raise NotFound(_("No such engagement."))
    inventory = lock_inventory(inventory_id=inventory_id, actor=actor)
    engagement = Engagement.objects.select_for_update().get(pk=engagement_id)
    if not access.holds(actor, access.VERIFY, inventory) or not engagement.is_working:
        raise PermissionDenied(_("Only the verifier body working on this engagement does this."))
    if inventory.status not in REVIEW_STATES:
        raise Conflict(_("This is done while the inventory is being verified, not while it is "
                                     "%(state)s.") % {"state": inventory.get_status_display()}, code="wrong_state")
    return engagement, inventory


def parse_decimal(value, field) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        number = None
    if number is None or not number.is_finite():
        raise InvalidInput(_("%(field)s is not a decimal number.") % {"field": field})
    return number


def parse_ids(values, field) -> list[int]:
    try:
        return [int(value) for value in values]
    except (TypeError, ValueError):
        raise InvalidInput(_("%(field)s must be a list of ids.") % {"field": field}) from None
