from .audit import AuditChainHead, TransitionLog
from .engagements import Engagement, Opinion, SampledRecord
from .findings import Finding
from ..lifecycle import InventoryProcess  # noqa: I001 - the lifecycle's proxy model registers with the app
from .notifications import Notification
from .permissions import (
    EngagementGroupObjectPermission,
    EngagementUserObjectPermission,
    InventoryGroupObjectPermission,
    InventoryUserObjectPermission,
)

__all__ = [
    "AuditChainHead",
    "Engagement",
    "EngagementGroupObjectPermission",
    "EngagementUserObjectPermission",
    "Finding",
    "InventoryProcess",
    "InventoryGroupObjectPermission",
    "InventoryUserObjectPermission",
    "Notification",
    "Opinion",
    "SampledRecord",
    "TransitionLog",
]
