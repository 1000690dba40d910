"""Who may do what with labels and documents."""

from carbon_portal.accounts.models import Role
from inventories.policies import PRODUCTS_EDITABLE_STATES, is_officer_of

# Footprint inputs do not change the calculation, so they stay editable until internal review.
FOOTPRINT_EDITABLE_STATES = PRODUCTS_EDITABLE_STATES


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or Role.ADMIN in user.roles))


def is_government(user) -> bool:
    return bool(user and user.is_authenticated and Role.GOVERNMENT in user.roles)


def is_verifier_of_body(user, verifier_body_id) -> bool:
    return bool(user and user.is_authenticated and verifier_body_id and user.memberships.filter(
        role=Role.VERIFIER, verifier_body_id=verifier_body_id).exists())


def can_change_label_status(user, label) -> bool:
    """Suspend, resume, revoke: a platform administrator or a verifier of the label's verifier body."""
    return is_admin(user) or is_verifier_of_body(user, label.verifier_body_id)


def can_reissue_labels(user) -> bool:
    return is_admin(user)


def can_edit_footprint_inputs(user, inventory) -> bool:
    """The enterprise's officer, until the inventory goes to review (then they are verified with it)."""
    return is_officer_of(user, inventory.enterprise_id) and inventory.status in FOOTPRINT_EDITABLE_STATES


def can_manage_baselines(user) -> bool:
    return is_admin(user) or is_government(user)
