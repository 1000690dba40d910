"""What every line calculation needs: the library, the period, and the record of library values used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

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
    selections: dict = field(default_factory=dict)  # the library's choices, made once per inventory
    resolved: dict = field(default_factory=dict)  # resolve_factor's results, made once per inventory
    factor_tables: dict = field(default_factory=dict)  # shared_factors: one dict per distinct table
    plans: dict = field(default_factory=dict)  # plan: one per calculator and line shape
    _available: set | None = None

    @property
    def year(self) -> int:
        """The year factors are chosen for: the year the period starts in."""
        return self.period_start.year

    def select(self, index: int, subject: str, parameter: str, *, programme: str = "", region: str = "") -> Selection:
        key = (subject, parameter, programme, region)
        selection = self.selections.get(key)
        if selection is None:
            selection = self.selections[key] = self._select(index, subject, parameter, programme, region)
        self.use(selection.factor)
        return selection

    def _select(self, index: int, subject: str, parameter: str, programme: str, region: str) -> Selection:
        try:
            selection = self.library.select(
                subject, parameter, programme=programme or None, region=region or None, year=self.year,
                period=(self.period_start, self.period_end),
            )
        except CalculationError as error:
            raise line_error(index, str(error)) from None
        return selection

    def library_has(self, subject: str, parameter: str) -> bool:
        if self._available is None:
            self._available = {(value.subject, value.parameter) for value in self.library.values}
        return (subject, parameter) in self._available

    def use(self, factor: FactorValue) -> None:
        self.used.setdefault(factor.key, factor)

    def plan(self, line, make_plan: Callable[[Any, CalcContext], Callable]) -> Callable:
        """The calculation of lines shaped like ``line``, made once per inventory by ``make_plan``
        (which resolves units and factors and raises the shape's errors, naming ``line``): an
        inventory repeats a few shapes thousands of times with different quantities."""
        key = (make_plan, line.shape)
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans[key] = make_plan(line, self)
        return plan

    def shared_factors(self, factors: dict) -> dict:
        """``factors``, or an equal table seen on an earlier line: thousands of lines share a few
        tables, and a stored result keeps each distinct table once."""
        key = tuple((name, tuple(entry.items())) for name, entry in factors.items())
        try:
            return self.factor_tables.setdefault(key, factors)
        except TypeError:  # an unhashable value: the table stays the line's own
            return factors

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

    The choice, the original value and unit, and the converted value go into the trace. An
    inventory repeats the same few factors on thousands of lines, so each is resolved once per
    calculation and its trace entry shared.
    """
    key = (name, line_value, line_unit_text, default_unit, target_unit, subject, parameter, programme, region)
    resolved = ctx.resolved.get(key)
    if resolved is None:
        scratch = LineTrace(ctx.library)
        used = _resolve_factor(ctx, scratch, index, name=name, line_value=line_value, line_unit_text=line_unit_text,
                               default_unit=default_unit, target_unit=target_unit, subject=subject,
                               parameter=parameter, programme=programme, region=region)
        resolved = ctx.resolved[key] = (used, scratch)
    used, scratch = resolved
    trace.merge(scratch)
    if scratch.library_factors:
        for factor in scratch.library_factors:
            ctx.use(factor)
    return used


def _resolve_factor(
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
    parameter: str | None,
    programme: str,
    region: str,
) -> Decimal:
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
