"""Decimal parsing of printed numbers and the uppercase Chinese amount (大写金额)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
DIGITS = "零壹贰叁肆伍陆柒捌玖"
# Common variants and OCR look-alikes of the uppercase digits.
DIGIT_VALUES = {char: index for index, char in enumerate(DIGITS)}
DIGIT_VALUES.update({"〇": 0, "O": 0, "o": 0, "贰": 2, "弍": 2, "参": 3, "叄": 3, "陸": 6, "玖": 9})
SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8}

_NUMBER = re.compile(r"^[-−]?\d+(?:\.\d+)?$")


def money(value: Decimal) -> Decimal:
    """Round to the cent, half up (the rounding of Chinese invoices)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_decimal(text: str) -> Decimal | None:
    """A printed number (``¥1,234.50``, ``-12``, ``3260.5``) as a Decimal, or None."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    cleaned = cleaned.replace("−", "-").replace(" ", "")
    if not _NUMBER.match(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the regex excludes it
        return None


def plain(value: Decimal) -> str:
    """A decimal string without exponent and without trailing zeros after the point."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _format_section(number: int) -> str:
    """0 < number < 10000 in uppercase, with inner zeros (壹仟零伍)."""
    out = []
    zero = False
    for unit, name in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = number // unit % 10
        if digit:
            if zero and out:
                out.append("零")
            out.append(DIGITS[digit] + name)
            zero = False
        else:
            zero = True
    return "".join(out)


def to_chinese_uppercase(value: Decimal) -> str:
    """Format an amount the way invoices print 价税合计（大写）: 捌仟捌佰壹拾肆圆整."""
    value = money(value)
    sign = "负" if value < 0 else ""
    value = abs(value)
    integer = int(value)
    cents = int((value - integer) * 100)
    parts = []
    if integer:
        sections = []
        n = integer
        while n:
            sections.append(n % 10000)
            n //= 10000
        names = ["", "万", "亿", "万"]
        text = ""
        need_zero = False
        for index in range(len(sections) - 1, -1, -1):
            section = sections[index]
            if section == 0:
                need_zero = bool(text)
                continue
            if text and (need_zero or section < 1000):
                text += "零"
            text += _format_section(section) + names[index]
            need_zero = False
        parts.append(text + "圆")
    jiao, fen = divmod(cents, 10)
    if not cents:
        parts.append("整")
    else:
        if jiao:
            parts.append(DIGITS[jiao] + "角")
        elif integer:
            parts.append("零")
        if fen:
            parts.append(DIGITS[fen] + "分")
        else:
            parts.append("整")
    return sign + ("".join(parts) if integer or cents else "零圆整")


def _parse_integer(text: str) -> int | None:
    total = 0
    section = 0
    digit = None
    for char in text:
        if char in DIGIT_VALUES:
            digit = DIGIT_VALUES[char]
        elif char in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        elif char in BIG_UNITS:
            section += digit or 0
            unit = BIG_UNITS[char]
            if unit == 10**4 and total >= 10**8 and section == 0:
                continue
            total = (total + section) * unit if unit > 10**4 else total + section * unit
            section = 0
            digit = None
        else:
            return None
    return total + section + (digit or 0)


_UPPER = re.compile(r"(负)?([零壹贰叁肆伍陆柒捌玖拾佰仟万萬亿〇]*)[圆元]?(?:([零壹贰叁肆伍陆柒捌玖])角)?"
                    r"(?:零?([零壹贰叁肆伍陆柒捌玖])分)?[整正]?")


def parse_chinese_uppercase(text: str) -> Decimal | None:
    """Parse 捌仟捌佰壹拾肆圆整 / 壹拾叁万玖仟陆佰肆拾圆壹角柒分 into a Decimal (None if unreadable)."""
    text = re.sub(r"[\s⊗ⓧ⊕×Xx（）()]", "", text)
    if not text or not re.search(r"[圆元角分整]", text):
        return None
    match = _UPPER.fullmatch(text)
    if not match:
        return None
    sign, integer_text, jiao, fen = match.groups()
    integer = _parse_integer(integer_text) if integer_text else 0
    if integer is None or not (integer_text or jiao or fen):
        return None
    value = Decimal(integer)
    if jiao:
        value += Decimal(DIGIT_VALUES[jiao]) / 10
    if fen:
        value += Decimal(DIGIT_VALUES[fen]) / 100
    value = money(value)
    return -value if sign else value
