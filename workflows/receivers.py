"""Keeps permissions in step with the data: memberships -> groups, new inventories -> grants;
and takes part in the writes of activity data: which records may be corrected while
corrections are requested (`inventories.signals.correctable_records`), and the audit entry of
a correction under verification (`inventories.signals.activity_corrected`) and of every removal
(`inventories.signals.activity_removed`), in their transactions.

Connected in `WorkflowsConfig.ready`. Signals are used here, and only here, because the
inventory, its activity data and the membership are written by other apps' services, which
must not depend on workflows.
"""

from django.db.models.signals import post_delete, post_migrate, post_save

from carbon_portal.accounts.models import Membership
from carbon_portal.core import outbox
from inventories.choices import InventoryStatus
from inventories.models import ActivityRecord, Inventory
from inventories.signals import activity_corrected, activity_removed, correctable_records

from .notifications import notify_about_entry
from .signals import NOTIFY_TOPIC


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


def _correctable_records(sender, inventory, **kwargs) -> set[int]:
    from .selectors import flagged_record_ids

    return flagged_record_ids(inventory)


def _activity_corrected(sender, record, inventory, actor, before, after, **kwargs):
    if inventory.status == InventoryStatus.CORRECTIONS_REQUESTED:
        from .choices import AuditEntity
        from .services.audit import append_entry

        append_entry(entity=AuditEntity.ACTIVITY_RECORD, object_id=record.pk, inventory_id=inventory.pk,
                     name="correct", actor=actor, details={"before": before, "after": after})


def _activity_removed(sender, record_id, inventory, actor, reason, removed, **kwargs):
    """Every removal is kept in the audit trail, whatever the state: the line, who and why."""
    from .choices import AuditEntity
    from .services.audit import append_entry

    append_entry(entity=AuditEntity.ACTIVITY_RECORD, object_id=record_id, inventory_id=inventory.pk,
                 name="remove", actor=actor, comment=reason, details=removed)


def connect(app_config) -> None:
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="workflows.membership_saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="workflows.membership_deleted")
    post_save.connect(_inventory_saved, sender=Inventory, dispatch_uid="workflows.inventory_created")
    correctable_records.connect(_correctable_records, sender=Inventory, dispatch_uid="workflows.correctable_records")
    activity_corrected.connect(_activity_corrected, sender=ActivityRecord, dispatch_uid="workflows.activity_corrected")
    activity_removed.connect(_activity_removed, sender=ActivityRecord, dispatch_uid="workflows.activity_removed")
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="workflows.permissions")
    outbox.register(NOTIFY_TOPIC)(_notify)


def _notify(payload: dict) -> None:
    """Outbox handler: the notices of one audit entry (notifications.py keeps it idempotent)."""
    notify_about_entry(entry_id=payload["entry_id"])
