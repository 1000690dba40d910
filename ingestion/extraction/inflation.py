"""How much a PDF's compressed streams inflate to, checked before any parser reads them: a
150 KB file whose content stream inflates to 50 MB is a decompression bomb, refused here in a
fraction of a second instead of keeping a parser busy for minutes.

Only FlateDecode streams are inflated (nearly all of them); the output is counted and thrown
away, and each stream stops at its limit, so the check costs at most the limits' worth of
zlib. Other filters are left to the limits of the box the parsers run in (ingestion/sandbox.py).
"""

from __future__ import annotations

import re
import zlib

from .errors import ExtractionError
from .filetypes import MAX_PIXELS

MiB = 1024 * 1024
CONTENT_LIMIT = 16 * MiB  # a page's content stream, an object or xref stream, a form
FONT_LIMIT = 64 * MiB  # an embedded font program (a whole CJK font is ~20 MB)
IMAGE_LIMIT = 4 * MAX_PIXELS + MiB  # an image: at most its pixels, RGBA
TOTAL_LIMIT = 512 * MiB
CHUNK = 1 * MiB

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_FONT = re.compile(rb"/Length[23]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)\b")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")


def _limit_of(head: bytes) -> int:
    if _IMAGE.search(head):
        return IMAGE_LIMIT
    if _FONT.search(head):
        return FONT_LIMIT
    return CONTENT_LIMIT


def _inflated_size(data: bytes, start: int, end: int, limit: int) -> int:
    """Bytes the deflate data at data[start:end] inflates to, counting up to ``limit + 1``."""
    inflater = zlib.decompressobj()
    size, position = 0, start
    pending = b""
    try:
        while size <= limit:
            if not pending:
                if position >= end or inflater.eof:
                    break
                pending, position = data[position:min(end, position + CHUNK)], position + CHUNK
            size += len(inflater.decompress(pending, CHUNK))
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass  # damaged or not deflate: the parsers judge it
    return size


def check_pdf_inflation(data: bytes) -> None:
    """ExtractionError ``too_large`` if a stream (or all of them) inflates past its limit."""
    total, after = 0, 0
    for match in _STREAM.finditer(data):
        if match.start() < after:
            continue  # the word inside a stream's data
        head_start = max(after, match.start() - 4096)
        head = data[head_start:match.start()]
        obj = head.rfind(b"obj")
        head = head[obj:] if obj >= 0 else head
        start = match.end()
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        after = end
        if not _FLATE.search(head):
            continue
        limit = _limit_of(head)
        size = _inflated_size(data, start, end, limit)
        total += size
        if size > limit:
            raise ExtractionError(
                f"the PDF holds a compressed stream that inflates to more than {limit // MiB} MiB "
                f"({end - start} bytes in the file): a decompression bomb, not an invoice", "too_large")
        if total > TOTAL_LIMIT:
            raise ExtractionError(f"the PDF's streams inflate to more than {TOTAL_LIMIT // MiB} MiB", "too_large")
