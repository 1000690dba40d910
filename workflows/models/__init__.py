from .audit import AuditChainHead, TransitionLog
from .engagements import Engagement, Opinion, SampledRecord
from .findings import Finding
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
    "InventoryGroupObjectPermission",
    "InventoryUserObjectPermission",
    "Notification",
    "Opinion",
    "SampledRecord",
    "TransitionLog",
]
