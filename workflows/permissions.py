"""Roles -> django-guardian object permissions.

Each organisation role is a Django group ("portal:enterprise:<id>:officer",
"portal:verifier_body:<id>", "portal:administrators"); memberships keep users in their groups
(see `receivers`). Object permissions go to these groups, so a colleague who joins later has
the same rights as the others:

| when | to whom | permissions |
|---|---|---|
| an inventory is created | its enterprise's officers | view, prepare (on the inventory) |
| an inventory is created | its enterprise's reviewers | view, review |
| an engagement is proposed | the verifier body | view (inventory), decide (engagement) |
| the body accepts | the verifier body | verify (inventory); decide is withdrawn |
| the body declines | the verifier body | everything above is withdrawn |
| the opinion is issued | the verifier body | verify is withdrawn; view stays, for its records |
| always | platform administrators | view and certify on every inventory (model-wide) |
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Membership, Role
from inventories.models import Inventory
from carbon_portal.core.data_generation import data_changed

from .access import CERTIFY, DECIDE_ENGAGEMENT, PREPARE, REVIEW, VERIFY, VIEW

GROUP_PREFIX = "portal:"
ADMINISTRATORS_GROUP = "portal:administrators"

# Permissions on inventories that workflows adds (view_inventory is Django's own).
INVENTORY_PERMISSIONS = {
    PREPARE: _("Can prepare the inventory (collect data, calculate, submit, answer findings)"),
    REVIEW: _("Can review the inventory (approve or return)"),
    VERIFY: _("Can verify the inventory (sample, raise findings, give the opinion)"),
    CERTIFY: _("Can certify a verified inventory"),
}
ENTERPRISE_ROLE_PERMISSIONS = {Role.OFFICER: (VIEW, PREPARE), Role.REVIEWER: (VIEW, REVIEW)}
ADMINISTRATOR_PERMISSIONS = (VIEW, CERTIFY)


def ensure_inventory_permissions() -> dict[str, Permission]:
    """The Permission rows of inventories that the lifecycle uses, created if missing."""
    content_type = ContentType.objects.get_for_model(Inventory)
    codenames = {VIEW, *INVENTORY_PERMISSIONS}
    found = {p.codename: p for p in Permission.objects.filter(content_type=content_type, codename__in=codenames)}
    for codename, name in INVENTORY_PERMISSIONS.items():
        if codename not in found:
            found[codename], _created = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": str(name)[:255]})
    if VIEW not in found:
        found[VIEW], _created = Permission.objects.get_or_create(
            content_type=content_type, codename=VIEW, defaults={"name": "Can view inventory"})
    return found


def _engagement_permission(codename: str) -> Permission:
    from .models import Engagement

    content_type = ContentType.objects.get_for_model(Engagement)
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename,
        defaults={"name": "Can accept or decline the engagement"})
    return permission


# --- Groups ----------------------------------------------------------------------------------


def enterprise_group_name(enterprise_id: int, role: str) -> str:
    return f"{GROUP_PREFIX}enterprise:{enterprise_id}:{role}"


def verifier_body_group_name(verifier_body_id: int) -> str:
    return f"{GROUP_PREFIX}verifier_body:{verifier_body_id}"


def membership_group_name(membership: Membership) -> str | None:
    if membership.role in ENTERPRISE_ROLE_PERMISSIONS:
        return enterprise_group_name(membership.enterprise_id, membership.role)
    if membership.role == Role.VERIFIER:
        return verifier_body_group_name(membership.verifier_body_id)
    if membership.role == Role.ADMIN:
        return ADMINISTRATORS_GROUP
    return None  # government users see by jurisdiction, not by object permission


def _group(name: str) -> Group:
    group, created = Group.objects.get_or_create(name=name)
    if created and name == ADMINISTRATORS_GROUP:
        permissions = ensure_inventory_permissions()
        group.permissions.add(*(permissions[codename] for codename in ADMINISTRATOR_PERMISSIONS))
    return group


def sync_user_groups(user) -> None:
    """Put the user in exactly the portal groups their memberships call for."""
    wanted = {name for name in map(membership_group_name, Membership.objects.filter(user=user)) if name}
    current = {group.name: group for group in user.groups.filter(name__startswith=GROUP_PREFIX)}
    stale = [group for name, group in current.items() if name not in wanted]
    if stale:
        user.groups.remove(*stale)
    missing = [_group(name) for name in wanted - set(current)]
    if missing:
        user.groups.add(*missing)


# --- Grants ----------------------------------------------------------------------------------


def _grant(model, group: Group, obj, permissions) -> None:
    model.objects.bulk_create(
        [model(group=group, permission=permission, content_object=obj) for permission in permissions],
        ignore_conflicts=True,
    )
    data_changed()


def _revoke(model, group_name: str, obj, permissions) -> None:
    model.objects.filter(group__name=group_name, content_object=obj, permission__in=permissions).delete()
    data_changed()


def grant_enterprise_permissions(*inventories) -> None:
    """Officers and reviewers of each inventory's enterprise get their permissions on it."""
    from .models import InventoryGroupObjectPermission

    permissions = ensure_inventory_permissions()
    groups = {}
    rows = []
    for inventory in inventories:
        for role, codenames in ENTERPRISE_ROLE_PERMISSIONS.items():
            key = (inventory.enterprise_id, role)
            if key not in groups:
                groups[key] = _group(enterprise_group_name(*key))
            rows += [InventoryGroupObjectPermission(group=groups[key], permission=permissions[codename],
                                                    content_object=inventory) for codename in codenames]
    InventoryGroupObjectPermission.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    data_changed()


def grant_proposal(engagement) -> None:
    """The proposed body may see the inventory and accept or decline."""
    from .models import EngagementGroupObjectPermission, InventoryGroupObjectPermission

    group = _group(verifier_body_group_name(engagement.verifier_body_id))
    _grant(InventoryGroupObjectPermission, group, engagement.inventory, [ensure_inventory_permissions()[VIEW]])
    _grant(EngagementGroupObjectPermission, group, engagement, [_engagement_permission(DECIDE_ENGAGEMENT)])


def grant_verification(engagement) -> None:
    """The body accepted: it verifies; the decision is made."""
    from .models import EngagementGroupObjectPermission, InventoryGroupObjectPermission

    group = _group(verifier_body_group_name(engagement.verifier_body_id))
    _grant(InventoryGroupObjectPermission, group, engagement.inventory, [ensure_inventory_permissions()[VERIFY]])
    _revoke(EngagementGroupObjectPermission, group.name, engagement, [_engagement_permission(DECIDE_ENGAGEMENT)])


def revoke_engagement(engagement) -> None:
    """The body declined: it keeps nothing on this inventory."""
    from .models import EngagementGroupObjectPermission, InventoryGroupObjectPermission

    name = verifier_body_group_name(engagement.verifier_body_id)
    permissions = ensure_inventory_permissions()
    _revoke(InventoryGroupObjectPermission, name, engagement.inventory, [permissions[VIEW], permissions[VERIFY]])
    _revoke(EngagementGroupObjectPermission, name, engagement, [_engagement_permission(DECIDE_ENGAGEMENT)])


def end_verification(engagement) -> None:
    """The opinion is issued: the body can no longer act, and keeps read access for its records."""
    from .models import InventoryGroupObjectPermission

    name = verifier_body_group_name(engagement.verifier_body_id)
    _revoke(InventoryGroupObjectPermission, name, engagement.inventory, [ensure_inventory_permissions()[VERIFY]])


def sync_all() -> None:
    """Rebuild groups and grants from the data (idempotent): for a database that had
    memberships or inventories before workflows was installed, and for `seed_demo`."""
    from django.contrib.auth import get_user_model

    from .choices import EngagementStatus
    from .models import Engagement

    permissions = ensure_inventory_permissions()
    _group(ADMINISTRATORS_GROUP).permissions.add(*(permissions[codename] for codename in ADMINISTRATOR_PERMISSIONS))
    user_ids = Membership.objects.values_list("user_id", flat=True).distinct()
    for user in get_user_model().objects.filter(pk__in=user_ids):
        sync_user_groups(user)
    grant_enterprise_permissions(*Inventory.objects.only("pk", "enterprise_id"))
    for engagement in Engagement.objects.exclude(proposed_at=None).select_related("inventory"):
        if engagement.status in (EngagementStatus.DECLINED, EngagementStatus.WITHDRAWN):
            revoke_engagement(engagement)
            continue
        grant_proposal(engagement)
        if engagement.status == EngagementStatus.PROPOSED:
            continue
        grant_verification(engagement)
        if engagement.status == EngagementStatus.OPINION_ISSUED:
            end_verification(engagement)
