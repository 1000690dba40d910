"""Activity lines: the line form of docs/interfaces.md §3 and its validation.

``parse_line`` checks what can be checked without a factor library (category, numbers, signs,
which keys belong to which category); units and fuels are checked against the library by the
engine. Every error names the line: ``line 0: quantity must not be negative``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .decimals import to_decimal
from .errors import CalculationError, line_error

FUEL_COMBUSTION = "fuel_combustion"
PROCESS = "process"
PURCHASED_ELECTRICITY = "purchased_electricity"
PURCHASED_HEAT = "purchased_heat"
EXPORTED_ELECTRICITY = "exported_electricity"
EXPORTED_HEAT = "exported_heat"

CATEGORIES = (FUEL_COMBUSTION, PROCESS, PURCHASED_ELECTRICITY, PURCHASED_HEAT, EXPORTED_ELECTRICITY, EXPORTED_HEAT)
EXPORTED = frozenset({EXPORTED_ELECTRICITY, EXPORTED_HEAT})
ELECTRICITY = frozenset({PURCHASED_ELECTRICITY, EXPORTED_ELECTRICITY})
HEAT = frozenset({PURCHASED_HEAT, EXPORTED_HEAT})

# Optional numbers a line may carry, with their unit key, and the categories they apply to.
_FUEL_ONLY = frozenset({FUEL_COMBUSTION})
_PARAMETERS = {
    "ncv": ("ncv_unit", _FUEL_ONLY),
    "carbon_content": ("carbon_content_unit", _FUEL_ONLY),
    "oxidation_rate": ("oxidation_rate_unit", _FUEL_ONLY),
    "density": ("density_unit", _FUEL_ONLY),
    "standard_coal": ("standard_coal_unit", _FUEL_ONLY),
    "emission_factor": ("emission_factor_unit", frozenset(CATEGORIES)),
}
_TEXT_KEYS = {
    "fuel": _FUEL_ONLY,
    "region": ELECTRICITY,
    "programme": ELECTRICITY,
}


_NOT_SHAPE = frozenset({"index", "quantity", "description"})


def sign(category: str) -> int:
    """+1, or -1 for the exported categories, which are subtracted from the total."""
    return -1 if category in EXPORTED else 1


@dataclass(frozen=True)
class ActivityLine:
    index: int
    category: str
    quantity: Decimal
    unit: str
    fuel: str = ""
    description: str = ""
    ncv: Decimal | None = None
    ncv_unit: str = ""
    carbon_content: Decimal | None = None
    carbon_content_unit: str = ""
    oxidation_rate: Decimal | None = None
    oxidation_rate_unit: str = ""
    emission_factor: Decimal | None = None
    emission_factor_unit: str = ""
    density: Decimal | None = None
    density_unit: str = ""
    standard_coal: Decimal | None = None
    standard_coal_unit: str = ""
    region: str = ""
    programme: str = ""

    @property
    def sign(self) -> int:
        return sign(self.category)

    @property
    def shape(self) -> tuple:
        """What the line is apart from its position, quantity and description: lines of one shape
        are calculated alike (see ``CalcContext.plan``)."""
        return tuple(value for key, value in self.__dict__.items() if key not in _NOT_SHAPE)

    def repeated(self, index: int, quantity: Decimal) -> ActivityLine:
        """This line's shape at another position with another (validated) quantity; a copy of the
        fields, cheaper than ``dataclasses.replace``, which rebuilds the line through ``__init__``."""
        line = object.__new__(ActivityLine)
        line.__dict__.update(self.__dict__, index=index, quantity=quantity)
        return line

    def as_dict(self) -> dict:
        """The docs/interfaces.md §3 line form (only the keys that are set), numbers as strings."""
        data = {"category": self.category, "quantity": str(self.quantity), "unit": self.unit}
        for key in ("fuel", "description", "region", "programme"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        for key, (unit_key, _) in _PARAMETERS.items():
            if getattr(self, key) is not None:
                data[key] = str(getattr(self, key))
                if getattr(self, unit_key):
                    data[unit_key] = getattr(self, unit_key)
        return data


def _text(data: dict, key: str, index: int) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise line_error(index, f"{key} must be text")
    return value.strip()


def parse_line(data: dict, index: int) -> ActivityLine:
    """Validate one line of docs/interfaces.md §3 (``{"category": ..., "quantity": "350000", "unit": "m3", ...}``).

    Unknown keys are ignored (callers may attach their own ids); keys that do not belong to the
    category (``ncv`` on an electricity line) are errors.
    """
    if not isinstance(data, dict):
        raise line_error(index, "must be an object")
    category = data.get("category")
    if category not in CATEGORIES:
        if category in (None, ""):
            raise line_error(index, "category is required")
        raise line_error(index, f"unknown category {category!r} (one of {', '.join(CATEGORIES)})")

    quantity = _quantity(data, index)
    unit = _text(data, "unit", index)
    if not unit:
        raise line_error(index, "unit is required")

    fields = {"index": index, "category": category, "quantity": quantity, "unit": unit,
              "description": _text(data, "description", index)}
    for key, categories in _TEXT_KEYS.items():
        value = _text(data, key, index)
        if value and category not in categories:
            raise line_error(index, f"{key} does not apply to {category}")
        fields[key] = value
    if category == FUEL_COMBUSTION and not fields["fuel"]:
        raise line_error(index, "fuel is required for fuel_combustion")

    if category == PROCESS and data.get("emission_factor") in (None, ""):
        raise line_error(index, "emission_factor is required for process lines")
    for key, (unit_key, categories) in _PARAMETERS.items():
        raw = data.get(key)
        unit_text = _text(data, unit_key, index)
        if raw in (None, ""):
            if unit_text:
                raise line_error(index, f"{unit_key} given without {key}")
            continue
        if category not in categories:
            raise line_error(index, f"{key} does not apply to {category}")
        try:
            value = to_decimal(raw, key)
        except CalculationError as error:
            raise line_error(index, str(error)) from None
        if value < 0:
            raise line_error(index, f"{key} must not be negative")
        if key in ("ncv", "density") and value == 0:
            raise line_error(index, f"{key} must be positive")
        fields[key] = value
        fields[unit_key] = unit_text
    return ActivityLine(**fields)


def _quantity(data: dict, index: int) -> Decimal:
    if data.get("quantity") in (None, ""):
        raise line_error(index, "quantity is required")
    try:
        quantity = to_decimal(data["quantity"], "quantity")
    except CalculationError as error:
        raise line_error(index, str(error)) from None
    if quantity < 0:
        raise line_error(index, "quantity must not be negative")
    return quantity


def parse_lines(items) -> list[ActivityLine]:
    """Parse a list of line dicts (``ActivityLine`` objects pass through); CalculationError if empty.

    An inventory repeats a few line shapes (category, fuel, unit, parameters) thousands of times
    with different quantities: each shape is validated once, each quantity on its own line.
    """
    if not isinstance(items, (list, tuple)) or not items:
        raise CalculationError("lines must be a non-empty list")
    parsed, parsed_shapes = [], {}
    for position, item in enumerate(items):
        if isinstance(item, ActivityLine):
            parsed.append(item)
            continue
        shape = _shape(item)
        template = parsed_shapes.get(shape) if shape is not None else None
        if template is None:
            line = parse_line(item, position)
            if shape is not None:
                parsed_shapes[shape] = line
        else:
            line = template.repeated(position, _quantity(item, position))
        parsed.append(line)
    return parsed


def _shape(data) -> tuple | None:
    """What a line is apart from its quantity, as a hashable key; None if it has no such key."""
    if not isinstance(data, dict):
        return None
    shape = tuple((key, type(value), value) for key, value in data.items() if key != "quantity")
    try:
        hash(shape)
    except TypeError:
        return None
    return shape
