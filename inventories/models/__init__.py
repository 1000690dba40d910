from .facilities import EmissionSource, Facility, Meter
from .factors import FactorSet, FactorValue
from .inventories import ActivityRecord, Inventory, InventoryProduct
from .results import CalculationResult, ResultLine

__all__ = [
    "ActivityRecord",
    "CalculationResult",
    "EmissionSource",
    "Facility",
    "FactorSet",
    "FactorValue",
    "Inventory",
    "InventoryProduct",
    "Meter",
    "ResultLine",
]
