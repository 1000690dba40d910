"""The role portals under /portal/ (namespace "site"), one module per portal."""

from .dashboard import dashboard
from .notifications import notification_list, notification_read, notifications_read_all
from .officer import (
    activity_add,
    activity_edit,
    activity_remove,
    choose_verifier,
    finding_respond,
    inventory_create,
    inventory_detail,
    inventory_list,
    inventory_transition,
)
from .reviewer import review_queue
from .verifier import (
    engagement_list,
    engagement_transition,
    finding_close,
    finding_raise,
    finding_reopen,
    opinion,
    record_evidence,
    sample,
    sample_check,
    workbench,
)

__all__ = [
    "activity_add", "activity_edit", "activity_remove", "choose_verifier", "dashboard", "engagement_list", "engagement_transition",
    "finding_close", "finding_raise", "finding_reopen", "finding_respond", "inventory_create", "inventory_detail",
    "inventory_list", "inventory_transition", "notification_list", "notification_read", "notifications_read_all",
    "opinion", "record_evidence", "review_queue", "sample", "sample_check", "workbench",
]
