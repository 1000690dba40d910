"""What an uploaded file is, by its content (magic bytes), never its name: the one sniffer of
evidence uploads, spreadsheet imports and invoice extraction. Pure Python (no Django), and light
to import: the web processes load it, not the OCR stack of ``ingestion.extraction``."""

from __future__ import annotations

import io
import zipfile

PDF, PNG, JPEG, TIFF, XLSX, ZIP = "pdf", "png", "jpeg", "tiff", "xlsx", "zip"
IMAGE_TYPES = (PNG, JPEG, TIFF)


def sniff(data: bytes) -> str | None:
    """'pdf', 'png', 'jpeg', 'tiff', 'xlsx' or 'zip' (any other zip archive) from the content, or None."""
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
    if head.startswith(b"PK\x03\x04"):
        return XLSX if _is_xlsx(data) else ZIP
    return None


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names
