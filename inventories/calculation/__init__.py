"""Pure calculation engine (GB/T 32150 / GB/T 32151, GB/T 2589-2020): no Django here.

    from inventories.calculation import calculate, load_default_library
    result = calculate([{"category": "purchased_electricity", "quantity": "2400000", "unit": "kWh"}],
                       load_default_library(), period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    result.as_dict()
"""

from .contract import run_contract_input
from .decimals import CALC_CONTEXT, format_decimal, to_decimal
from .engine import calculate
from .errors import CalculationError
from .library import (
    DEFAULT_LIBRARY_PATH,
    DEFAULT_SUBJECTS,
    FactorLibrary,
    FactorValue,
    Selection,
    Subject,
    load_default_library,
    load_library,
)
from .lines import CATEGORIES, EXPORTED, ActivityLine, parse_line, parse_lines
from .results import InventoryResult, LineResult
from .units import UnitError, convert, parse_unit

__all__ = [
    "CALC_CONTEXT",
    "CATEGORIES",
    "DEFAULT_LIBRARY_PATH",
    "DEFAULT_SUBJECTS",
    "EXPORTED",
    "ActivityLine",
    "CalculationError",
    "FactorLibrary",
    "FactorValue",
    "InventoryResult",
    "LineResult",
    "Selection",
    "Subject",
    "UnitError",
    "calculate",
    "convert",
    "format_decimal",
    "load_default_library",
    "load_library",
    "parse_line",
    "parse_lines",
    "parse_unit",
    "run_contract_input",
    "to_decimal",
]
