from .devices import DeviceKey
from .evidence import Evidence, InvoiceDraft
from .imports import ImportBatch
from .readings import DailyRollup, MonthlyRollup, QualityIssue, Reading

__all__ = [
    "DailyRollup",
    "DeviceKey",
    "Evidence",
    "ImportBatch",
    "InvoiceDraft",
    "MonthlyRollup",
    "QualityIssue",
    "Reading",
]
