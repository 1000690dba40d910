"""Header fields: invoice number and code, issue date, seller and buyer names and tax ids."""

from __future__ import annotations

import datetime
import re
import statistics
from dataclasses import dataclass

from .layout import TextLine
from .textutil import COMPANY_SUFFIX, compact, company_name, x_at

SEP = r"\s*[:：;；,，.。]?\s*[”“\"']?\s*"
DIGITISH = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "]": "1", "[": "1", "S": "5",
                          "B": "8", "Z": "2"})

NUMBER_LABEL = re.compile(r"发\s*票\s*[^代\s]\s*码" + SEP + r"([0-9OoIl](?:\s?[0-9OoIl]){7,21})")
NUMBER_NO = re.compile(r"\bN[oO0][.:：]?\s*([0-9]{8})\b")
CODE_LABEL = re.compile(r"发\s*票\s*代\s*码" + SEP + r"([0-9OoIl](?:\s?[0-9OoIl]){9,12})")
DATE_CN = re.compile(r"([0-9OIl\]]{4})\s*年\s*([0-9OIl\]]{1,2})\s*月\s*([0-9OIl\]]{1,2})(?![0-9])")
DATE_ISO = re.compile(r"(20\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")
DATE_LABEL = re.compile(r"开\s*票\s*日\s*期" + SEP)
NAME_LABEL = re.compile(r"(?<![目务品物])名[\s，,”“\"'·.。:：;]*称" + SEP + r"(\S(?:\s?\S)*)")
TAXID_LABEL = re.compile(r"(?:纳\s*税\s*人\s*识\s*别\s*号|统\s*一\s*社\s*会\s*信\s*用\s*代\s*码(?:\s*/\s*纳\s*税\s*人\s*识\s*别\s*号)?)"
                         + SEP + r"([0-9A-Za-z](?:\s?[0-9A-Za-z]){14,21})")
TAXID_BARE = re.compile(r"(?<![0-9A-Za-z])([0-9][0-9A-Z]{17})(?![0-9A-Za-z])")
BUYER_ROLE = re.compile(r"(购\s*买\s*方|购\s*方|买\s*方)\s*(信\s*息)?\s*$")
SELLER_ROLE = re.compile(r"(销\s*售\s*方|销\s*方|卖\s*方)\s*(信\s*息)?\s*$")
COMPANY_SEGMENT = re.compile(r"^[\u3400-\u9fffA-Za-z0-9（）()·&\s]{3,60}$")


@dataclass
class Found:
    value: str
    top: float
    x: float
    role: str | None  # "buyer", "seller" or None when only the layout tells


def _digits(text: str) -> str:
    return text.replace(" ", "").translate(DIGITISH)


def _tax_token(text: str) -> str:
    """The id from the characters after its label: OCR may split it or glue a stray letter on."""
    parts = text.upper().split(" ")
    joined = ""
    for part in parts:
        joined += part
        if len(joined) in (18, 20, 15) and (len(joined) == 18 or part is parts[-1]):
            return joined
    return joined if len(joined) <= 20 else joined[:18]


def invoice_number(lines: list[TextLine]) -> str | None:
    for line in lines:
        match = NUMBER_LABEL.search(line.text)
        if match:
            digits = _digits(match.group(1))
            for length in (20, 8):
                if len(digits) >= length and digits[:length].isdigit():
                    return digits[:length]
    for line in lines:
        match = NUMBER_NO.search(line.text)
        if match:
            return match.group(1)
    for line in lines[:8]:  # a 数电票 number is the only 20-digit run at the top
        match = re.search(r"(?<!\d)(\d{20})(?!\d)", line.text)
        if match:
            return match.group(1)
    return None


def invoice_code(lines: list[TextLine]) -> str | None:
    for line in lines:
        match = CODE_LABEL.search(line.text)
        if match:
            digits = _digits(match.group(1))
            for length in (12, 10):
                if len(digits) >= length and digits[:length].isdigit():
                    return digits[:length]
    return None


def _date(match: re.Match) -> datetime.date | None:
    try:
        year, month, day = (int(_digits(group)) for group in match.groups())
        return datetime.date(year, month, day)
    except ValueError:
        return None


def issue_date(lines: list[TextLine]) -> datetime.date | None:
    """The date after 开票日期, else the first date printed near the top."""
    for line in lines:
        label = DATE_LABEL.search(line.text)
        if label:
            rest = line.text[label.end():]
            for pattern in (DATE_CN, DATE_ISO):
                match = pattern.search(rest)
                if match and _date(match):
                    return _date(match)
    for line in lines[:12]:
        for pattern in (DATE_CN, DATE_ISO):
            match = pattern.search(line.text)
            if match and _date(match):
                return _date(match)
    return None


def _role(line: TextLine, start: int) -> str | None:
    before = line.text[max(0, start - 12):start]
    before = re.sub(r"[:：]\s*$", "", before)
    if SELLER_ROLE.search(before):
        return "seller"
    if BUYER_ROLE.search(before):
        return "buyer"
    return None


def _assign(found: list[Found], height: float) -> dict[str, str]:
    """Buyer and seller among the occurrences: an explicit role wins; otherwise the first in
    reading order is the buyer (left column of the 数电票, upper block of the VAT invoice)."""
    result: dict[str, str] = {}
    for item in found:
        if item.role and item.role not in result:
            result[item.role] = item.value
    rest = [item for item in found if not item.role]
    rest.sort(key=lambda item: item.top)
    if len(rest) >= 2 and abs(rest[0].top - rest[1].top) < 1.5 * height:
        rest[:2] = sorted(rest[:2], key=lambda item: item.x)
    for item in rest:
        for role in ("buyer", "seller"):
            if role not in result:
                result[role] = item.value
                break
    return result


def _typical_height(lines: list[TextLine]) -> float:
    heights = [word.height for line in lines for word in line.words]
    return statistics.median(heights) if heights else 10.0


def parties(lines: list[TextLine], table_top: float | None = None) -> dict[str, str]:
    """buyer_name, buyer_tax_id, seller_name, seller_tax_id (raw tax ids, validated later).

    ``table_top``: where the goods table starts; a party printed below it is the seller (the
    VAT special invoice puts the seller block under the table)."""
    height = _typical_height(lines)
    names: list[Found] = []
    ids: list[Found] = []
    for line in lines:
        for match in NAME_LABEL.finditer(line.text):
            value = company_name(match.group(1))
            if len(value) >= 2 and not value.startswith(("规格", "单位")):
                names.append(Found(value, line.top, x_at(line, match.start()), _role(line, match.start())))
        for match in TAXID_LABEL.finditer(line.text):
            ids.append(Found(_tax_token(match.group(1)), line.top, x_at(line, match.start()),
                             _role(line, match.start())))
    if len(names) < 2:  # labels unreadable: fall back to company-like segments
        known = {item.value for item in names}
        for line in lines:
            for segment in line.segments:
                text = re.sub(r"^.*?名\s*称" + SEP, "", segment.text)
                text = re.sub(r"^.{0,4}[”“\"':：]", "", text)  # a label OCR could not read: 得”苏州…
                value = company_name(text)
                if (value not in known and COMPANY_SEGMENT.match(value) and COMPANY_SUFFIX.search(value)
                        and len(value) >= 6 and "发票" not in value):
                    names.append(Found(value, line.top, segment.x0, None))
                    known.add(value)
    if len(ids) < 2:
        known = {item.value for item in ids}
        for line in lines:
            for match in TAXID_BARE.finditer(line.text):
                value = match.group(1)
                if value not in known and sum(char.isdigit() for char in value) >= 6:
                    ids.append(Found(value, line.top, x_at(line, match.start()), None))
                    known.add(value)
    if table_top is not None:
        for item in names + ids:
            if item.role is None and item.top > table_top:
                item.role = "seller"
    result = {}
    for role, value in _assign(names, height).items():
        result[f"{role}_name"] = value
    for role, value in _assign(ids, height).items():
        result[f"{role}_tax_id"] = value
    return result


def is_invoice_text(lines: list[TextLine]) -> bool:
    text = compact("".join(line.text for line in lines))
    return "发票" in text or "税额" in text or "价税合计" in text
