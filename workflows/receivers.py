"""Keeps permissions in step with the data: memberships -> groups, new inventories -> grants.

Connected in `WorkflowsConfig.ready`. Signals are used here, and only here, because the
inventory and the membership are created by other apps' services, which must not depend on
workflows.
"""

from django.db.models.signals import post_delete, post_migrate, post_save

from carbon_portal.accounts.models import Membership


def _membership_changed(sender, instance, **kwargs):
    from .permissions import sync_user_groups

    sync_user_groups(instance.user)


def _inventory_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .permissions import grant_enterprise_permissions

        grant_enterprise_permissions(instance)


def _migrated(sender, using="default", **kwargs):
    from .permissions import ensure_inventory_permissions

    ensure_inventory_permissions()


def connect(app_config) -> None:
    from inventories.models import Inventory

    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="workflows.membership_saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="workflows.membership_deleted")
    post_save.connect(_inventory_saved, sender=Inventory, dispatch_uid="workflows.inventory_created")
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="workflows.permissions")
