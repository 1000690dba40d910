"""File type by content (magic bytes, never the name) and the size limits."""

from __future__ import annotations

from .errors import ExtractionError

MAX_BYTES = 20 * 1024 * 1024  # an invoice PDF or photo is well under this
MAX_PAGES = 20
MAX_PIXELS = 40_000_000  # per image or rendered page (decompression-bomb guard)

PDF, PNG, JPEG, TIFF = "pdf", "png", "jpeg", "tiff"
IMAGE_TYPES = (PNG, JPEG, TIFF)


def sniff(data: bytes) -> str | None:
    """'pdf', 'png', 'jpeg', 'tiff' from the first bytes, or None."""
    head = data[:1024]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    # PDF readers accept the header anywhere in the first kilobyte.
    if b"%PDF-" in head:
        return PDF
    return None


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
    if kind is None:
        raise ExtractionError(f"the file{name} is not a PDF, PNG, JPEG or TIFF (judged by its content)",
                              "unsupported_type")
    return kind
