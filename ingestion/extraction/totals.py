"""Totals: 合计 (amount and tax), 价税合计 (小写 figure and the uppercase 大写 words)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .amounts import parse_chinese_uppercase
from .layout import TextLine
from .lines import _is_total_line, _kind, _nearest, _number, money_value
from .textutil import compact, tokens

# What OCR makes of the uppercase digits and units.
UPPERCASE_OCR = str.maketrans({"什": "仟", "千": "仟", "任": "仟", "百": "佰", "伯": "佰", "个": "佰", "十": "拾", "元": "圆",
                               "园": "圆", "国": "圆", "染": "柒", "桨": "柒", "参": "叁", "武": "贰", "式": "贰",
                               "戒": "贰", "玫": "玖", "久": "玖", "萬": "万", "喜": "壹", "壶": "壹", "肄": "肆",
                               "律": "肆", "津": "肆", "建": "肆", "衡": "角", "正": "整"})


@dataclass
class Totals:
    total_amount: Decimal | None = None
    total_tax: Decimal | None = None
    total_with_tax: Decimal | None = None
    uppercase: Decimal | None = None
    with_tax_text: str | None = None  # the 小写 figure as read, for the OCR check in ``matches``


def matches(text: str, value: Decimal) -> bool:
    """Whether an OCR'd figure can be `value`: the same digits, the point and separators
    aside, allowing junk before it (¥ read as y/ya) and at most one unreadable (non-digit)
    character in place of a digit (yz94613.57 for ¥294613.57)."""
    want = format(value, "f").replace(".", "").lstrip("-")
    got = re.sub(r"[.,，\s]", "", text)
    if len(got) < len(want):
        return False
    prefix, got = got[: len(got) - len(want)], got[len(got) - len(want):]
    if any(char.isdigit() for char in prefix) or len(prefix) > 3:
        return False
    slips = 0
    for read, digit in zip(got, want):
        if read == digit:
            continue
        if read.isdigit():
            return False
        slips += 1
    return slips <= 1


MONEY = re.compile(r"(?<![\d.])-?\d[\d,]*\.\d{2}(?!\d)")


def parse_totals(lines: list[TextLine], columns: dict[str, float]) -> Totals:
    totals = Totals()
    for line in lines:
        if _is_total_line(line) and totals.total_amount is None:
            numbers = [token for token in tokens(line) if _kind(token) in ("number", "stars") or MONEY.search(token.text)]
            values = [Decimal(0) if _kind(token) == "stars" else money_value(token.text) for token in numbers]
            values = [value for value in values if value is not None]
            if len(values) >= 2:
                totals.total_amount, totals.total_tax = values[-2], values[-1]
            elif len(values) == 1:
                if _nearest(numbers[0], columns, ("amount", "tax")) == "tax":
                    totals.total_tax = values[0]
                else:
                    totals.total_amount = values[0]
        text = compact(line.text)
        if "价税合计" in text or "小写" in text or "大写" in text:
            words = re.search(r"大写[)）]?(.*?)(?:[(（]?小写|$)", text)
            if words and totals.uppercase is None:
                spelled = re.sub(r"[(（]?[^\u3400-\u9fff]*[\d,]+\.\d{2}.*$", "", words.group(1))
                totals.uppercase = parse_chinese_uppercase(spelled.translate(UPPERCASE_OCR))
            tail = text[words.start(1):] if words else text  # the words hold no digits
            figures = MONEY.findall(tail.replace("，", ","))
            if figures and totals.total_with_tax is None:
                totals.total_with_tax = _number(figures[-1])
            readings = [word for word in line.text.split() if sum(char.isdigit() for char in word) >= 4]
            if readings and totals.with_tax_text is None:
                totals.with_tax_text = readings[-1]
    return totals
