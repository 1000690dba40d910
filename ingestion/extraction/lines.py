"""Line items of the goods/services table: description, unit, quantity, price, amount, rate, tax.

The table starts at the header row (项目名称 / 货物或应税劳务、服务名称 ... 金额 ... 税额) and ends at
合计. A row is read from the right, the order every Chinese VAT invoice prints:
``description [spec] [unit] [quantity] [unit price] amount rate tax``. A text-only line
inside the table continues the description above it (long names wrap).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from inventories.calculation.units import UnitError, conversion_factor, parse_unit

from .amounts import parse_decimal
from .energy import classify, fix_category
from .layout import TextLine
from .result import InvoiceLine
from .textutil import Token, canonical, close_bracket, compact, tokens, x_at

HEADER_WORDS = {"name": ("名称",), "spec": ("规格",), "unit": ("单位",), "quantity": ("数量",),
                "unit_price": ("单价",), "amount": ("金额",), "tax_rate": ("税率", "征收率"), "tax": ("税额",)}
KNOWN_RATES = {Decimal(r) for r in ("0", "0.01", "0.015", "0.03", "0.05", "0.06", "0.09", "0.1", "0.11", "0.13",
                                     "0.16", "0.17")}
RATE = re.compile(r"^(\d{1,3}(?:\.\d{1,2})?)\s*[%％]$")
ZERO_RATE_WORDS = ("免税", "不征税", "不征收", "出口退税", "零税率")
STARS = re.compile(r"^[*＊]{2,}$")
MONEY_PREFIX = re.compile(r"^[¥￥Y羊]+")
JUNK_BEFORE_MONEY = re.compile(r"^[^\d\-]{1,2}(?=-?\d[\d,]*\.\d{2}$)")  # 了7485.40, 半¥33893.59


@dataclass
class Table:
    header: int | None
    end: int
    columns: dict[str, float]


def _is_total_line(line: TextLine) -> bool:
    text = compact(line.text)
    return bool(re.match(r"^[^\d]{0,3}合[^\w]{0,2}计", text)) and "价税" not in text


def _columns(line: TextLine) -> dict[str, float]:
    columns = {}
    text = line.text
    for name, words in HEADER_WORDS.items():
        for word in words:
            pattern = r"\s*".join(word)
            match = re.search(pattern, text)
            if match:
                columns[name] = (x_at(line, match.start()) + x_at(line, match.end())) / 2
                break
    return columns


def find_table(lines: list[TextLine]) -> Table | None:
    header = None
    for index, line in enumerate(lines):
        text = compact(line.text)
        hits = sum(1 for words in HEADER_WORDS.values() if any(word in text for word in words))
        if hits >= 3:
            header = index
            break
    start = header + 1 if header is not None else 0
    end = None
    for index in range(start, len(lines)):
        if _is_total_line(lines[index]) or "价税合计" in compact(lines[index].text):
            end = index
            break
    if header is None and end is None:
        return None
    if end is None:
        end = len(lines)
    return Table(header, end, _columns(lines[header]) if header is not None else {})


def _number(text: str) -> Decimal | None:
    text = JUNK_BEFORE_MONEY.sub("", MONEY_PREFIX.sub("", text))
    # OCR sometimes reads the decimal point as a comma: 108994,72
    if re.fullmatch(r"-?\d+,\d{2}", text):
        text = text.replace(",", ".")
    return parse_decimal(text)


def money_value(text: str) -> Decimal | None:
    """An amount or tax: always printed with two decimals, so digits without a point are
    an OCR slip that lost it (10899472 -> 108994.72). Leading junk before ¥ is dropped."""
    match = re.search(r"-?\d[\d,]*(?:[.,]\d{1,2})?$", MONEY_PREFIX.sub("", text))
    if not match:
        return None
    value = _number(match.group())
    if value is None:
        return None
    if "." not in match.group() and "," not in match.group()[-3:] and len(match.group().lstrip("-")) >= 3:
        value = value / 100
    return value


def _kind(token: Token) -> str:
    text = token.text
    if RATE.match(text) or text in ZERO_RATE_WORDS:
        return "rate"
    if STARS.match(text):
        return "stars"
    if _number(text) is not None:
        return "number"
    return "text"


def _rate(text: str) -> Decimal | None:
    if text in ZERO_RATE_WORDS:
        return Decimal(0)
    match = RATE.match(text)
    return Decimal(match.group(1)) / 100 if match else None


@dataclass
class RawLine:
    description: str
    printed_unit: str | None
    quantity: Decimal | None
    unit_price: Decimal | None
    amount: Decimal | None
    tax_rate: Decimal | None
    tax: Decimal | None
    rate_text: str | None = None


def parse_row(line: TextLine, columns: dict[str, float]) -> RawLine | None:
    """One item row, or None when the line has no amount (a continuation or noise)."""
    toks = [token for token in tokens(line) if re.search(r"[\w%％*＊]", token.text)]  # drop lone OCR specks
    if not toks or _is_total_line(line):
        return None
    kinds = [_kind(token) for token in toks]
    first_number = kinds.index("number") if "number" in kinds else len(kinds)
    # Short text among the figures is an OCR speck (a rule read as 了, a stray letter).
    keep = [i < first_number or kinds[i] != "text" or len(toks[i].text) > 2 for i in range(len(toks))]
    toks = [token for token, kept in zip(toks, keep) if kept]
    kinds = [kind for kind, kept in zip(kinds, keep) if kept]
    k = len(toks)
    while k > 1 and kinds[k - 1] in ("number", "rate", "stars"):
        k -= 1
    head, tail, tail_kinds = toks[:k], toks[k:], kinds[k:]
    if not tail or "number" not in tail_kinds:
        return None
    rate_text = tax = None
    rate = None
    if "rate" in tail_kinds:
        r = len(tail_kinds) - 1 - tail_kinds[::-1].index("rate")
        rate_text = tail[r].text
        rate = _rate(rate_text)
        after = tail[r + 1:]
        before = [token for token, kind in zip(tail[:r], tail_kinds[:r]) if kind == "number"]
        if after:
            tax = Decimal(0) if STARS.match(after[0].text) else money_value(after[0].text)
    elif "stars" in tail_kinds:  # 免税 printed as *** in both rate and tax
        before = [token for token, kind in zip(tail, tail_kinds) if kind == "number"]
        rate, tax = Decimal(0), Decimal(0)
    else:
        numbers = [token for token, kind in zip(tail, tail_kinds) if kind == "number"]
        if "tax" in columns and len(numbers) >= 2 and _nearest(numbers[-1], columns, ("amount", "tax")) == "tax":
            tax = money_value(numbers[-1].text)
            numbers = numbers[:-1]
        if ("tax_rate" in columns and len(numbers) >= 2 and tax is not None
                and _nearest(numbers[-1], columns, ("amount", "tax_rate", "tax")) == "tax_rate"):
            rate_text = numbers[-1].text  # a rate whose % sign OCR lost or misread (13% -> 139)
            rate = Decimal(re.sub(r"\D", "", rate_text)[:2] or "0") / 100
            numbers = numbers[:-1]
        before = numbers
    if not before:
        return None
    amount = money_value(before[-1].text)
    rest = before[:-1]
    quantity = unit_price = None
    if len(rest) >= 2:
        quantity, unit_price = _number(rest[-2].text), _number(rest[-1].text)
    elif len(rest) == 1:
        if columns and _nearest(rest[0], columns, ("quantity", "unit_price")) == "unit_price":
            unit_price = _number(rest[0].text)
        else:
            quantity = _number(rest[0].text)
    if len(tail) == len(toks):  # no description at all
        return None
    description_tokens, unit = _head(head, columns)
    description = fix_category(canonical(" ".join(token.text for token in description_tokens)))
    if not description:
        return None
    return RawLine(description, unit, quantity, unit_price, amount, rate, tax, rate_text)


def _nearest(token: Token, columns: dict[str, float], names: tuple[str, ...]) -> str | None:
    present = [name for name in names if name in columns]
    if not present:
        return None
    return min(present, key=lambda name: abs(columns[name] - token.center))


def _head(head: list[Token], columns: dict[str, float]) -> tuple[list[Token], str | None]:
    """Split the text before the numbers into description tokens and the unit."""
    unit = None
    if len(head) > 1:
        last = head[-1]
        in_unit_column = "unit" in columns and _nearest(last, columns, ("name", "spec", "unit")) == "unit"
        if is_known_unit(last.text) or (in_unit_column and last.segment != head[0].segment and len(last.text) <= 5):
            unit = last.text
            head = head[:-1]
    description = [head[0]]
    for token in head[1:]:
        if token.segment == head[0].segment or not columns or "spec" not in columns or \
                _nearest(token, columns, ("name", "spec")) == "name":
            description.append(token)
        # else: the 规格型号 column, not part of the contract's line
    return description, unit


def _is_continuation(line: TextLine, columns: dict[str, float], page_width: float) -> bool:
    toks = tokens(line)
    if not toks or any(_kind(token) in ("number", "rate") for token in toks):
        return False
    limit = columns.get("spec", columns.get("unit", page_width * 0.35))
    return toks[0].x0 < limit and toks[-1].x1 < limit + (limit - toks[0].x0) * 0.2


def parse_lines(lines: list[TextLine], page_width: float) -> tuple[list[RawLine], Table | None]:
    table = find_table(lines)
    if table is None:
        return [], None
    start = table.header + 1 if table.header is not None else 0
    rows: list[RawLine] = []
    for line in lines[start:table.end]:
        row = parse_row(line, table.columns)
        if row is not None:
            if table.header is None and row.tax_rate is None:
                continue  # without a header only rows with a rate count as items
            rows.append(row)
        elif rows and _is_continuation(line, table.columns, page_width):
            rows[-1].description = canonical(rows[-1].description + line.segments[0].text)
    return rows, table


def finish(raw: RawLine) -> tuple[InvoiceLine, list[str]]:
    """Normalise the unit, classify the energy, repair an OCR'd rate; warnings for the line."""
    notes = []
    unit, factor = normalise_unit(raw.printed_unit)
    quantity, unit_price = raw.quantity, raw.unit_price
    if factor != 1:
        quantity = quantity * factor if quantity is not None else None
        unit_price = unit_price / factor if unit_price is not None else None
    rate = raw.tax_rate
    if rate is not None and rate not in KNOWN_RATES:
        implied = _implied_rate(raw.amount, raw.tax)
        if implied is not None:
            rate = implied
        else:
            notes.append(f"unusual tax rate {raw.rate_text}")
    elif rate is None and raw.tax is not None:
        rate = _implied_rate(raw.amount, raw.tax)
    description = close_bracket(raw.description)
    line = InvoiceLine(description, classify(description, unit), quantity, unit, unit_price, raw.amount,
                       rate, raw.tax)
    return line, notes


def _implied_rate(amount: Decimal | None, tax: Decimal | None) -> Decimal | None:
    if not amount or tax is None:
        return None
    for rate in sorted(KNOWN_RATES):
        if abs(amount * rate - tax) <= Decimal("0.01") + abs(amount) * Decimal("0.0005"):
            return rate
    return None


# --- Units ------------------------------------------------------------------------------------
# A printed unit is read with the engine's table of units (inventories/calculation/units.py) and
# written as one of the normalised units of docs/interfaces.md §3, the quantity scaled to it:
# engine unit -> normalised unit (万千瓦时 is 10^4 kWh, written 10 MWh).
NORMALISED_UNITS = {"kWh": "kWh", "MWh": "MWh", "10^4 kWh": "MWh",
                    "m3": "m3", "Nm3": "m3", "10^2 Nm3": "m3", "10^3 Nm3": "m3", "10^4 Nm3": "m3",
                    "GJ": "GJ", "MJ": "GJ", "t": "t", "kg": "kg", "L": "L", "kL": "L",
                    "kVA": "kVA", "kW": "kW", "MVA": "MVA"}
# Characters OCR reads instead of those of a unit (千 -> 于/干, 升 -> 逢...).
OCR_LOOKALIKES = str.maketrans({"于": "千", "干": "千", "二": "千", "手": "千", "午": "千", "壬": "千", "逢": "升",
                                "廾": "升", "开": "升", "屯": "吨", "盹": "吨", "纯": "吨", "庋": "度", "席": "度",
                                "庶": "度", "古": "吉"})
_SPACE = re.compile(r"\s+")


def normalise_unit(printed: str | None) -> tuple[str | None, Decimal]:
    """(normalised unit, quantity factor). Unknown units come back as printed, factor 1."""
    if printed is None:
        return None, Decimal(1)
    key = _SPACE.sub("", printed)
    readings = [key, key.translate(OCR_LOOKALIKES)]
    if len(key) >= 3:
        readings.append(key[1:].translate(OCR_LOOKALIKES))  # a speck glued on the front
    for reading in readings:
        normalised = _normalised(reading)
        if normalised is not None:
            return normalised
    return (printed.strip() or None), Decimal(1)


def is_known_unit(printed: str) -> bool:
    return normalise_unit(printed)[0] in NORMALISED_UNITS.values()


def _normalised(text: str) -> tuple[str, Decimal] | None:
    try:
        unit = parse_unit(text)
    except UnitError:
        return None
    target = NORMALISED_UNITS.get(unit.symbol)
    if target is None:  # a ratio (元/度) or a unit no invoice line is written in
        return None
    factor = conversion_factor(unit, target)
    return target, Decimal(int(factor)) if factor == factor.to_integral_value() else factor  # 10, not 1E+1
