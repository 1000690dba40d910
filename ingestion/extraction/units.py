"""Normalised units (CONTRACTS §3): kWh, MWh, m3, GJ, t, L, kg; non-energy units kVA, kW..."""

from __future__ import annotations

import re
from decimal import Decimal

# printed unit (lower case, no spaces) -> (normalised unit, factor to multiply the quantity by)
UNITS: dict[str, tuple[str, Decimal]] = {}


def _add(unit: str, factor: str, *names: str) -> None:
    for name in names:
        UNITS[name.lower()] = (unit, Decimal(factor))


_add("kWh", "1", "千瓦时", "千瓦小时", "度", "kwh", "kw·h", "kw.h", "kw*h", "kw-h", "千瓦·时")
_add("MWh", "1", "兆瓦时", "mwh", "mw·h", "千千瓦时")
_add("MWh", "10", "万千瓦时", "万度")
_add("m3", "1", "立方米", "立方", "方", "m3", "m³", "m^3", "立米", "标准立方米", "标方", "标立方米", "nm3", "nm³")
_add("m3", "100", "百立方米", "百方")
_add("m3", "1000", "千立方米", "千方")
_add("m3", "10000", "万立方米", "万方")
_add("GJ", "1", "吉焦", "gj", "吉焦耳")
_add("GJ", "0.001", "兆焦", "mj")
_add("t", "1", "吨", "t", "公吨")
_add("L", "1", "升", "l", "公升")
_add("L", "1000", "千升", "kl")
_add("kg", "1", "公斤", "千克", "kg")
_add("kVA", "1", "千伏安", "kva", "kv·a", "kv.a")
_add("kW", "1", "千瓦", "kw")
_add("MVA", "1", "兆伏安", "mva")

# Characters OCR reads instead of those of a unit (千 -> 于/干, 升 -> 逢...).
OCR_LOOKALIKES = str.maketrans({"于": "千", "干": "千", "二": "千", "手": "千", "午": "千", "壬": "千", "逢": "升",
                                "廾": "升", "开": "升", "屯": "吨", "盹": "吨", "纯": "吨", "庋": "度", "席": "度",
                                "庶": "度", "吉": "吉", "古": "吉", "焦": "焦", "公": "公", "斤": "斤"})

ENERGY_UNITS = {"kWh", "MWh", "m3", "GJ", "t", "L", "kg"}

_SPACE = re.compile(r"\s+")


def normalise_unit(printed: str | None) -> tuple[str | None, Decimal]:
    """(normalised unit, quantity factor). Unknown units come back as printed, factor 1."""
    if printed is None:
        return None, Decimal(1)
    key = _SPACE.sub("", printed).lower().replace("（", "(").replace("）", ")")
    if key in UNITS:
        return UNITS[key]
    if key.translate(OCR_LOOKALIKES) in UNITS:
        return UNITS[key.translate(OCR_LOOKALIKES)]
    if len(key) >= 3 and key[1:].translate(OCR_LOOKALIKES) in UNITS:  # a speck glued on the front
        return UNITS[key[1:].translate(OCR_LOOKALIKES)]
    return (printed.strip() or None), Decimal(1)


def is_known_unit(printed: str) -> bool:
    return normalise_unit(printed)[0] in {unit for unit, _ in UNITS.values()}
