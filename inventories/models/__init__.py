from .double_counts import DoubleCountDecision, DoubleCountDecisionRecord
from .facilities import EmissionSource, Facility, Meter
from .factors import FactorSet, FactorValue
from .inventories import ActivityRecord, Inventory, InventoryProduct
from .products import Product
from .results import CalculationResult, ResultLine

__all__ = [
    "ActivityRecord",
    "CalculationResult",
    "DoubleCountDecision",
    "DoubleCountDecisionRecord",
    "EmissionSource",
    "Facility",
    "FactorSet",
    "FactorValue",
    "Inventory",
    "InventoryProduct",
    "Meter",
    "Product",
    "ResultLine",
]
