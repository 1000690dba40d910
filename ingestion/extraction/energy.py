"""Energy type of an invoice line from its description (and unit)."""

from __future__ import annotations

import re

ENERGY_TYPES = ("electricity", "natural_gas", "heat", "steam", "diesel", "gasoline", "raw_coal", "lpg",
                "fuel_oil", "water", "other")

# First match wins: specific names before the general ones they contain.
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lpg", ("液化石油气", "液化气", "lpg")),
    ("natural_gas", ("天然气", "lng", "cng", "管道燃气", "管道气", "燃气", "民用气", "工业用气")),
    ("steam", ("蒸汽", "蒸气", "汽费")),
    ("heat", ("热力", "热水", "供暖", "采暖", "供热", "热费", "热量", "暖气")),
    ("diesel", ("柴油",)),
    ("gasoline", ("汽油",)),
    ("fuel_oil", ("燃料油", "重油", "渣油")),
    ("raw_coal", ("原煤", "动力煤", "烟煤", "无烟煤", "褐煤", "煤炭", "电煤", "混煤", "末煤", "块煤", "洗煤")),
    ("water", ("自来水", "水费", "供水", "*水冰雪*", "生活用水", "工业用水")),
    ("electricity", ("电费", "供电", "电力", "电能", "电量", "售电", "*电*")),
)
NOT_ENERGY_WORDS = ("基本电费", "容量费", "容量电费", "需量", "力调", "功率因数", "污水", "服务费", "运费", "运输",
                    "维修", "安装", "检测", "租赁", "设备")
NOT_ENERGY_UNITS = {"kVA", "kW", "MVA", "月", "次", "项", "台", "个", "套", "年"}


def classify(description: str, unit: str | None = None) -> str:
    """One of ENERGY_TYPES. A line priced per kVA/kW or per month (a capacity or service charge)
    is ``other`` even when its description names the energy."""
    text = description.lower().replace(" ", "")
    if unit in NOT_ENERGY_UNITS or any(word in text for word in NOT_ENERGY_WORDS):
        return "other"
    for energy_type, words in KEYWORDS:
        if any(word in text for word in words):
            return energy_type
    return "other"


# 税收分类简称 printed between asterisks in front of the item name (*供电*电费).
CATEGORIES = ("供电", "电力", "燃气", "天然气", "热力", "蒸汽", "汽油", "柴油", "成品油", "燃料油", "煤炭", "液化石油气",
              "水冰雪", "自来水")


def fix_category(description: str) -> str:
    """Repair an OCR'd category prefix: a lost second asterisk (*汽油592号 -> *汽油*92号) or one
    wrong character in a known category (*访化石油气* -> *液化石油气*)."""
    lead = re.match(r"^[^*（]{1,2}(?=\*(" + "|".join(CATEGORIES) + r")\*)", description)
    if lead:  # a speck read before the category: x*汽油*92号
        description = description[lead.end():]
    if not description.startswith("*"):
        return description
    body = description[1:]
    if "*" in body:
        category, rest = body.split("*", 1)
        if category not in CATEGORIES:
            close = [known for known in CATEGORIES if len(known) == len(category) and len(known) >= 3
                     and sum(a == b for a, b in zip(known, category)) == len(known) - 1]
            if len(close) == 1:
                return f"*{close[0]}*{rest}"
        return description
    for known in sorted(CATEGORIES, key=len, reverse=True):
        if body.startswith(known) and len(body) > len(known) + 1:
            return f"*{known}*{body[len(known) + 1:]}"
    return description
