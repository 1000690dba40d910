"""Units: parsing of the spellings people and invoices use, and exact Decimal conversion.

A unit is a simple unit (``t``, ``kWh``, ``10^4 Nm3``) or a ratio of two (``GJ/t``, ``tC/TJ``,
``kgCO2/kWh``). Each simple unit has a dimension and a size in that dimension's reference unit:

=========  =========  ======================================================
dimension  reference  other spellings
=========  =========  ======================================================
mass       t          kg, g, kt, 10^4 t, 吨, 公斤
volume     m3         Nm3, L, kL, cm3, 10^2/10^3/10^4 Nm3, 10^4 m3, 万立方米, 百方, 10^8 m3
energy     GJ         kJ, MJ, TJ, PJ (family "J"); Wh, kWh, MWh, GWh, 10^4 kWh (family "Wh")
carbon     tC         kgC, gC
co2        tCO2       kgCO2, gCO2, ktCO2 (CO2e spellings alike)
coal       tce        kgce, gce, 10^4 tce
fraction   1          %, "" (dimensionless)
power      kW         千瓦 (a demand charge on an electricity invoice, never an activity)
apparent   kVA        MVA, 千伏安 (apparent power: a capacity charge, never an activity)
=========  =========  ======================================================

The Chinese spellings are those of invoices and statistics forms; the invoice extraction reads
its units through this table too (ingestion/extraction/lines.py).

Gas volumes are normal cubic metres: ``m3`` and ``Nm3`` are the same unit here, and converting
natural gas in m3 to 10^4 Nm3 says so in the trace (see ``engine``). Mass <-> volume needs a
density and is done by ``to_base_quantity``, which records the step.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass
from functools import cached_property, lru_cache
from decimal import Decimal

from .decimals import CALC_CONTEXT, plain
from .errors import CalculationError


class UnitError(CalculationError):
    """A unit that is not known or cannot be converted to the one needed."""


class _HashedOnce:
    """Units key the conversion caches on every line of an inventory: hash each one once."""

    def __hash__(self):
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return hash(astuple(self))


@dataclass(frozen=True)
class SimpleUnit(_HashedOnce):
    symbol: str  # canonical spelling, used in formulas
    dimension: str
    scale: Decimal  # size in the dimension's reference unit
    family: str = ""  # energy only: "J" or "Wh"

    __hash__ = _HashedOnce.__hash__


@dataclass(frozen=True)
class Unit(_HashedOnce):
    text: str  # as given
    numerator: SimpleUnit
    denominator: SimpleUnit | None = None

    __hash__ = _HashedOnce.__hash__

    @property
    def symbol(self) -> str:
        if self.denominator is None:
            return self.numerator.symbol
        return f"{self.numerator.symbol}/{self.denominator.symbol}"

    @property
    def dimension(self) -> tuple[str, str | None]:
        return (self.numerator.dimension, self.denominator.dimension if self.denominator else None)

    def __str__(self) -> str:
        return self.symbol


def _units(dimension: str, spec: dict[str, tuple[str, ...]], family: str = "") -> dict[str, SimpleUnit]:
    table = {}
    for symbol_and_scale, aliases in spec.items():
        symbol, scale = symbol_and_scale.split("=")
        unit = SimpleUnit(symbol, dimension, Decimal(scale), family)
        for alias in (symbol, *aliases):
            table[_key(alias)] = unit
    return table


def _key(text: str) -> str:
    text = text.strip()
    for old, new in (("10⁴", "10^4"), ("10⁸", "10^8"), ("³", "3"), ("₂", "2"), ("×", ""), ("·", ""), ("＾", "^"),
                     ("**", "^")):
        text = text.replace(old, new)
    text = re.sub(r"\s+", "", text).lower()
    text = re.sub(r"^(10\^?4|1e4|10000|万)(?=[a-z])", "10^4", text)
    text = re.sub(r"^(10\^?8|1e8|亿)(?=[a-z])", "10^8", text)
    return text


_SIMPLE: dict[str, SimpleUnit] = {
    **_units("mass", {
        "t=1": ("tonne", "tonnes", "ton", "tons", "吨", "公吨"),
        "kg=0.001": ("公斤", "千克"),
        "g=0.000001": ("克",),
        "kt=1000": ("千吨",),
        "10^4 t=10000": ("万吨",),
    }),
    **_units("volume", {
        "m3=1": ("立方米", "立方", "立米", "方", "m^3", "cbm"),
        "Nm3=1": ("标准立方米", "标立方米", "标方"),
        "L=0.001": ("l", "litre", "liter", "litres", "liters", "升", "公升"),
        "kL=1": ("千升",),
        "cm3=0.000001": ("ml", "毫升"),
        "10^2 Nm3=100": ("10^2 m3", "百立方米", "百方"),
        "10^3 Nm3=1000": ("10^3 m3", "千立方米", "千方"),
        "10^4 Nm3=10000": ("10^4 m3", "万立方米", "万标准立方米", "万方", "万标方"),
        "10^8 Nm3=100000000": ("10^8 m3", "亿立方米", "亿方"),
    }),
    **_units("energy", {
        "kJ=0.000001": ("千焦",),
        "MJ=0.001": ("兆焦",),
        "GJ=1": ("吉焦", "吉焦耳"),
        "TJ=1000": ("太焦",),
        "PJ=1000000": (),
    }, family="J"),
    **_units("energy", {
        "Wh=0.0000036": (),
        "kWh=0.0036": ("千瓦时", "千瓦小时", "度", "kw·h", "kw.h", "kw*h", "kw-h", "kwh"),
        "MWh=3.6": ("兆瓦时", "千千瓦时", "mw·h"),
        "GWh=3600": ("吉瓦时",),
        "10^4 kWh=36": ("万千瓦时", "万度"),
    }, family="Wh"),
    **_units("carbon", {
        "tC=1": ("吨碳",),
        "kgC=0.001": (),
        "gC=0.000001": (),
    }),
    **_units("co2", {
        "tCO2=1": ("tCO2e", "tCO2eq", "tCO2-eq", "吨二氧化碳", "吨CO2"),
        "kgCO2=0.001": ("kgCO2e", "kgCO2eq", "kgCO2-eq", "千克二氧化碳", "千克CO2"),
        "gCO2=0.000001": ("gCO2e", "gCO2eq"),
        "ktCO2=1000": ("ktCO2e",),
    }),
    **_units("coal", {
        "tce=1": ("吨标准煤", "吨标煤"),
        "kgce=0.001": ("千克标准煤", "公斤标准煤", "千克标煤"),
        "gce=0.000001": (),
        "10^4 tce=10000": ("万吨标准煤",),
    }),
    **_units("fraction", {
        "1=1": ("", "fraction", "ratio", "-"),
        "%=0.01": ("percent", "pct"),
    }),
    **_units("power", {
        "kW=1": ("千瓦",),
    }),
    **_units("apparent power", {
        "kVA=1": ("千伏安", "kv.a"),
        "MVA=1000": ("兆伏安",),
    }),
}


def parse_unit(text: str) -> Unit:
    """Parse ``"GJ/10^4 Nm3"``, ``"kgCO2/kWh"``, ``"万立方米"`` ...; UnitError if unknown."""
    if not isinstance(text, str):
        raise UnitError(f"unit {text!r} is not text")
    return _parse_unit(text)


@lru_cache(maxsize=4096)  # an inventory repeats a handful of spellings thousands of times
def _parse_unit(text: str) -> Unit:
    parts = text.split("/")
    if len(parts) > 2:
        raise UnitError(f"unknown unit {text!r}")
    simple = [_SIMPLE.get(_key(part)) for part in parts]
    if any(unit is None for unit in simple) or (len(parts) == 2 and not parts[1].strip()):
        raise UnitError(f"unknown unit {text!r}")
    return Unit(text, simple[0], simple[1] if len(simple) == 2 else None)


def is_known_unit(text: str) -> bool:
    try:
        parse_unit(text)
    except UnitError:
        return False
    return True


def conversion_factor(source: Unit | str, target: Unit | str) -> Decimal:
    """The number of ``target`` in one ``source``; UnitError if the dimensions differ."""
    source = parse_unit(source) if isinstance(source, str) else source
    target = parse_unit(target) if isinstance(target, str) else target
    return _conversion_factor(source, target)


@lru_cache(maxsize=4096)
def _conversion_factor(source: Unit, target: Unit) -> Decimal:
    if source.dimension != target.dimension:
        raise UnitError(f"cannot convert {source.text!r} to {target.text!r}")
    ctx = CALC_CONTEXT
    numerator = ctx.multiply(source.numerator.scale, target.denominator.scale if target.denominator else Decimal(1))
    denominator = ctx.multiply(target.numerator.scale, source.denominator.scale if source.denominator else Decimal(1))
    return ctx.divide(numerator, denominator)


def convert(value: Decimal, source: Unit | str, target: Unit | str) -> Decimal:
    """``value`` in ``source`` expressed in ``target``: ``convert(2400000, "kWh", "MWh") == 2400``."""
    return CALC_CONTEXT.multiply(Decimal(value), conversion_factor(source, target))


def same_unit_text(a: str, b: str) -> bool:
    """Two spellings of an unknown unit (e.g. "head") that are the same after normalisation."""
    return _key(a) == _key(b)


@dataclass(frozen=True)
class Density:
    value: Decimal
    unit: Unit
    origin: str  # "line" or "library"


def to_base_quantity(
    quantity: Decimal, unit: Unit, base: Unit, density: Density | None = None, *, gas: bool = False
) -> tuple[Decimal, list[str]]:
    """Express a quantity in the base unit of its subject; return it with the conversion steps.

    Same dimension: a plain conversion. Mass <-> volume: through ``density`` (kg/L, t/m3 ...),
    else UnitError. ``gas`` notes that m3 are read as normal cubic metres.
    """
    if unit.dimension == base.dimension:
        if unit.symbol == base.symbol:
            return Decimal(quantity), []
        value = convert(quantity, unit, base)
        step = f"{plain(quantity)} {unit.symbol} = {plain(value)} {base.symbol}"
        if gas and unit.numerator.symbol == "m3" and base.numerator.symbol.endswith("Nm3"):
            step += " (m3 read as normal cubic metres, Nm3)"
        return value, [step]
    kinds = {unit.dimension, base.dimension}
    if kinds != {("mass", None), ("volume", None)}:
        raise UnitError(f"cannot convert {unit.text!r} to {base.text!r}")
    if density is None:
        raise UnitError(f"cannot convert {unit.text!r} to {base.text!r} without a density")
    if density.unit.dimension != ("mass", "volume"):
        raise UnitError(f"density unit {density.unit.text!r} is not a mass per volume")
    ctx = CALC_CONTEXT
    t_per_m3 = convert(density.value, density.unit, "t/m3")
    if unit.dimension == ("volume", None):
        tonnes = ctx.multiply(convert(quantity, unit, "m3"), t_per_m3)
        value = convert(tonnes, "t", base)
    else:
        cubic_metres = ctx.divide(convert(quantity, unit, "t"), t_per_m3)
        value = convert(cubic_metres, "m3", base)
    step = (
        f"{plain(quantity)} {unit.symbol} × density {plain(density.value)} {density.unit.symbol} "
        f"({density.origin}) = {plain(value)} {base.symbol}"
    )
    return value, [step]
