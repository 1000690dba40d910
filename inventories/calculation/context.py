"""What every line calculation needs: the library, the period, and the record of library values used."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .errors import CalculationError, line_error
from .library import FactorLibrary, FactorValue, Selection
from .trace import LineTrace
from .units import Unit, UnitError, convert, parse_unit


@dataclass
class CalcContext:
    library: FactorLibrary
    period_start: date
    period_end: date
    region: str = ""
    used: dict = field(default_factory=dict)  # FactorValue.key -> FactorValue, in order of first use

    @property
    def year(self) -> int:
        """The year factors are chosen for: the year the period starts in."""
        return self.period_start.year

    def select(self, index: int, subject: str, parameter: str, *, programme: str = "", region: str = "") -> Selection:
        try:
            selection = self.library.select(
                subject, parameter, programme=programme or None, region=region or None, year=self.year,
                period=(self.period_start, self.period_end),
            )
        except CalculationError as error:
            raise line_error(index, str(error)) from None
        self.use(selection.factor)
        return selection

    def use(self, factor: FactorValue) -> None:
        self.used.setdefault(factor.key, factor)

    def factors_used(self) -> tuple[dict, ...]:
        return tuple(factor.as_dict() for factor in self.used.values())


def line_unit(index: int, text: str, what: str) -> Unit:
    try:
        return parse_unit(text)
    except UnitError:
        raise line_error(index, f"unknown {what} unit {text!r}") from None


def resolve_factor(
    ctx: CalcContext,
    trace: LineTrace,
    index: int,
    *,
    name: str,
    line_value: Decimal | None,
    line_unit_text: str,
    default_unit: str | None,
    target_unit: str,
    subject: str,
    parameter: str | None = None,
    programme: str = "",
    region: str = "",
) -> Decimal:
    """A factor in ``target_unit``: the line's value if it has one, else the library's.

    The choice, the original value and unit, and the converted value go into the trace.
    """
    if line_value is not None:
        unit_text = line_unit_text
        if not unit_text:
            if default_unit is None:
                raise line_error(index, f"{name}_unit is required with {name}")
            unit_text = default_unit
            if parse_unit(default_unit).dimension != ("fraction", None):
                trace.conversions.append(f"{name}_unit not given; {default_unit} assumed")
        unit = line_unit(index, unit_text, name)
        try:
            used = convert(line_value, unit, target_unit)
        except UnitError:
            raise line_error(index, f"cannot use {name} in {unit_text!r} (needs {target_unit} or an equivalent)") \
                from None
        trace.from_line(name, line_value, unit_text, used, target_unit)
        return used
    selection = ctx.select(index, subject, parameter or name, programme=programme, region=region)
    factor = selection.factor
    try:
        used = convert(factor.value, factor.unit, target_unit)
    except UnitError:
        raise line_error(index, f"library {parameter or name} of {subject} is in {factor.unit!r}, "
                                f"not convertible to {target_unit}") from None
    trace.from_library(name, selection, used, target_unit)
    return used
