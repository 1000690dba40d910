"""Small text helpers shared by the parsers: compact forms, canonical names, token positions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import TextLine

CJK_CHARS = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
_SPACE_BETWEEN = re.compile(rf"(?<=[{CJK_CHARS}*])\s+|\s+(?=[{CJK_CHARS}*])")
_EDGE_JUNK = re.compile(r"^[\s|:：;；,，.。、\"'“”‘’`~_\-—]+|[\s|:：;；,，.。、\"'“”‘’`~_\-—]+$")
COMPANY_SUFFIX = re.compile(r"(有限责任公司|股份有限公司|有限公司|分公司|公司|集团|厂|中心|研究院|研究所|医院|学校|大学|合作社|事务所|商行"
                            r"|经营部|门市部|加油站|供电局|管理处|热电厂)")


def compact(text: str) -> str:
    """Text without any whitespace (labels such as '名　　称' become '名称')."""
    return re.sub(r"\s+", "", text)


def canonical(text: str) -> str:
    """A description or name in canonical form: no spaces next to CJK characters, full-width
    brackets (OCR reads （ as ( ), no junk at the edges."""
    for old, new in (("(", "（"), (")", "）"), ("【", "（"), ("】", "）"), ("〈", "（"), ("〉", "）"), ("《", "（"),
                     ("》", "）"), ("〔", "（"), ("〕", "）")):
        text = text.replace(old, new)
    text = re.sub(r"（+", "（", re.sub(r"）+", "）", text))
    text = _SPACE_BETWEEN.sub("", text)
    return _EDGE_JUNK.sub("", text).strip()


def close_bracket(text: str) -> str:
    """OCR often drops the closing bracket at the end of a cell: put it back."""
    if text.count("（") == text.count("）") + 1 and text.rfind("（") > text.rfind("）"):
        return text + "）"
    return text


def company_name(text: str) -> str:
    """A company name cut after its legal-form suffix (drops what OCR glued on behind it)."""
    text = close_bracket(canonical(text))
    last = None
    for match in COMPANY_SUFFIX.finditer(text):
        last = match
    if last and last.end() < len(text):
        tail = text[last.end():]
        if not tail.startswith("（"):  # keep a bracketed qualifier after the suffix
            text = text[:last.end()]
    return text


EDGE_PUNCT = re.compile(r"^[.,:;'`，、：；]+|[.,:;'`，、：；]+$")


@dataclass
class Token:
    text: str
    x0: float
    x1: float
    segment: int  # index of the segment in its line

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


def tokens(line: TextLine) -> list[Token]:
    """The space-separated tokens of a line with their (interpolated) x positions."""
    result = []
    for index, segment in enumerate(line.segments):
        text = segment.text
        width = (segment.x1 - segment.x0) / max(len(text), 1)
        for match in re.finditer(r"[^\s。”“\"]+", text):
            word = match.group()
            if re.search(r"\d", word):  # OCR glues specks onto figures: 14169.31. / ,126400
                word = EDGE_PUNCT.sub("", word) or word
            result.append(Token(word, segment.x0 + match.start() * width, segment.x0 + match.end() * width, index))
    return result


def x_at(line: TextLine, offset: int) -> float:
    """The x position of character `offset` of ``line.text``."""
    position = 0
    for segment in line.segments:
        end = position + len(segment.text)
        if offset <= end:
            width = (segment.x1 - segment.x0) / max(len(segment.text), 1)
            return segment.x0 + (offset - position) * width
        position = end + 2
    return line.segments[-1].x1 if line.segments else 0.0
