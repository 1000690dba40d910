"""Words with positions, grouped into visual lines and column segments.

The text layer (pdfplumber characters) and OCR (Tesseract words) both end up as a
:class:`PageText`, so the field and line-item parsers do not care where text came from.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

# A gap wider than this many line heights separates two columns (segments); a narrower one
# between two Latin/digit runs is a space; between CJK characters it is nothing.
COLUMN_GAP = 1.2
SPACE_GAP = 0.15

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    conf: float = 100.0

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Segment:
    """A run of words on one line with no column gap inside."""

    words: list[Word]
    text: str

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def conf(self) -> float:
        return min(word.conf for word in self.words)


@dataclass
class TextLine:
    words: list[Word]
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Segments joined by two spaces (a column gap); words inside by '' or ' '."""
        return "  ".join(segment.text for segment in self.segments)

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)


@dataclass
class PageText:
    lines: list[TextLine]
    width: float
    height: float
    method: str  # "text" or "ocr"
    mean_conf: float = 100.0

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _joiner(left: Word, right: Word, height: float, space_gap: float = SPACE_GAP) -> str | None:
    """'' or ' ' to join two words of one segment, None for a column gap."""
    gap = right.x0 - left.x1
    if gap > COLUMN_GAP * height:
        return None
    if _CJK.search(left.text[-1:]) or _CJK.search(right.text[:1]):
        return ""
    return " " if gap > space_gap * height else ""


def _segments(words: list[Word], space_gap: float) -> list[Segment]:
    height = statistics.median(word.height for word in words)
    segments: list[Segment] = []
    current = [words[0]]
    text = words[0].text
    for left, right in itertools.pairwise(words):
        join = _joiner(left, right, height, space_gap)
        if join is None:
            segments.append(Segment(current, text))
            current, text = [right], right.text
        else:
            current.append(right)
            text += join + right.text
    segments.append(Segment(current, text))
    return segments


def group_lines(words: list[Word], space_gap: float = SPACE_GAP) -> list[TextLine]:
    """Cluster words into lines by their vertical middles, then order and segment each line.

    Words of ordinary height make the lines; tall ones (a title in a bigger font, a rule
    read as "|") join the line nearest their middle afterwards, so they cannot split a line.
    """
    words = [word for word in words if word.text.strip()]
    if not words:
        return []
    typical = statistics.median(word.height for word in words)
    normal = [word for word in words if word.height <= typical * 1.6]
    tall = [word for word in words if word.height > typical * 1.6]
    lines: list[list[Word]] = []
    middles: list[float] = []
    for word in sorted(normal, key=lambda w: (w.middle, w.x0)):
        if lines and abs(word.middle - middles[-1]) <= 0.5 * typical:
            lines[-1].append(word)
            middles[-1] = statistics.median(w.middle for w in lines[-1])
        else:
            lines.append([word])
            middles.append(word.middle)
    for word in tall:
        near = [i for i, middle in enumerate(middles) if word.top <= middle <= word.bottom]
        if near:
            best = min(near, key=lambda i: abs(middles[i] - word.middle))
            lines[best].append(word)
        else:
            lines.append([word])
            middles.append(word.middle)
    order = sorted(range(len(lines)), key=lambda i: middles[i])
    result = []
    for index in order:
        members = sorted(lines[index], key=lambda w: w.x0)
        result.append(TextLine(members, _segments(members, space_gap)))
    return result
