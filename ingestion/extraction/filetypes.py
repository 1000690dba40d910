"""The size limits of an invoice file, and its type by content (``ingestion/filetypes.py``)."""

from __future__ import annotations

from ..filetypes import IMAGE_TYPES, PDF, sniff
from .errors import ExtractionError

__all__ = ["MAX_BYTES", "MAX_PAGES", "MAX_PIXELS", "PDF", "check"]

MAX_BYTES = 20 * 1024 * 1024  # an invoice PDF or photo is well under this
MAX_PAGES = 20
MAX_PIXELS = 40_000_000  # per image or rendered page (decompression-bomb guard)
INVOICE_TYPES = (PDF, *IMAGE_TYPES)


def check(data: bytes, filename: str | None = None) -> str:
    """The file's type, or ExtractionError if it is empty, too large or not a supported type."""
    name = f" {filename}" if filename else ""
    if not data:
        raise ExtractionError(f"the file{name} is empty", "empty")
    if len(data) > MAX_BYTES:
        raise ExtractionError(
            f"the file{name} is too large: {len(data) / 1048576:.1f} MiB, the limit is {MAX_BYTES // 1048576} MiB",
            "too_large")
    kind = sniff(data)
    if kind not in INVOICE_TYPES:
        raise ExtractionError(f"the file{name} is not a PDF, PNG, JPEG or TIFF (judged by its content)",
                              "unsupported_type")
    return kind
