"""What an uploaded file is, judged by its content (magic bytes, parsing), never its name;
and the limits: size, pages, pixels. Every refusal is a ValidationError a person can read."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import filetypes

# A page is rendered at this scale for the confirmation page and for OCR (about 200 dpi).
RENDER_SCALE = 200 / 72

PDF, PNG, JPEG, TIFF, XLSX, CSV = (
    "application/pdf", "image/png", "image/jpeg", "image/tiff",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv",
)
ZIP = "application/zip"
IMAGE_TYPES = (PNG, JPEG, TIFF)
# The media type of each kind the content sniffer (ingestion/filetypes.py) tells.
MEDIA_TYPES = {filetypes.PDF: PDF, filetypes.PNG: PNG, filetypes.JPEG: JPEG, filetypes.TIFF: TIFF,
               filetypes.XLSX: XLSX, filetypes.ZIP: ZIP}


@dataclass(frozen=True)
class FileInfo:
    content_type: str
    pages: int = 1


def sniff(data: bytes) -> str | None:
    """The media type of ``data`` judged by its content, or None."""
    return MEDIA_TYPES.get(filetypes.sniff(data))


def check_size(data: bytes) -> None:
    if not data:
        raise ValidationError(_("The file is empty."))
    limit = settings.EVIDENCE_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(_("The file is too large: %(size).1f MiB, the limit is %(limit).1f MiB.")
                              % {"size": len(data) / 1048576, "limit": limit / 1048576})


def inspect_invoice(data: bytes) -> FileInfo:
    """A PDF, PNG, JPEG or TIFF within the limits, that can be read; else ValidationError."""
    check_size(data)
    content_type = sniff(data)
    if content_type == PDF:
        return FileInfo(PDF, _pdf_pages(data))
    if content_type in IMAGE_TYPES:
        return FileInfo(content_type, _image_pages(data))
    raise ValidationError(_("The file is not a PDF, PNG, JPEG or TIFF (judged by its content, not its name)."))


def inspect_spreadsheet(data: bytes) -> FileInfo:
    """An XLSX workbook or a CSV text within the size limit; else ValidationError."""
    check_size(data)
    content_type = sniff(data)
    if content_type == XLSX:
        _check_unpacked_size(data)
        return FileInfo(XLSX)
    if content_type is None and _looks_like_text(data):
        return FileInfo(CSV)
    raise ValidationError(_("The file is neither an Excel workbook (.xlsx) nor a CSV text "
                            "(judged by its content, not its name)."))


def _pdf_pages(data: bytes) -> int:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise ValidationError(_("The PDF cannot be read: it is damaged or protected by a password.")) from None
    try:
        pages = len(document)
        if pages == 0:
            raise ValidationError(_("The PDF has no pages."))
        if pages > settings.EVIDENCE_MAX_PAGES:
            raise ValidationError(_("The PDF has %(pages)d pages; the limit is %(limit)d.")
                                  % {"pages": pages, "limit": settings.EVIDENCE_MAX_PAGES})
        for index in range(pages):
            width, height = document.get_page_size(index)
            _check_pixels(width * RENDER_SCALE, height * RENDER_SCALE, _("Page %(page)d") % {"page": index + 1})
        return pages
    finally:
        document.close()


def _image_pages(data: bytes) -> int:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
            if frames > settings.EVIDENCE_MAX_PAGES:
                raise ValidationError(_("The image has %(pages)d pages; the limit is %(limit)d.")
                                      % {"pages": frames, "limit": settings.EVIDENCE_MAX_PAGES})
            for frame in range(frames):
                image.seek(frame)
                _check_pixels(*image.size, _("Page %(page)d") % {"page": frame + 1})
                image.load()  # decodes: a damaged file fails here, after the pixel check
            return frames
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The image cannot be read: it is damaged or not a supported format.")) from None


def _check_pixels(width: float, height: float, what: str) -> None:
    if width * height > settings.EVIDENCE_MAX_PIXELS:
        raise ValidationError(_("%(what)s is too large: %(pixels).0f million pixels, the limit is %(limit).0f million.")
                              % {"what": what, "pixels": width * height / 1e6,
                                 "limit": settings.EVIDENCE_MAX_PIXELS / 1e6})


def _check_unpacked_size(data: bytes) -> None:
    """A workbook is a zip: refuse one that unpacks to more than ten times the upload limit."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > 10 * settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(_("The workbook unpacks to %(size).0f MiB; the limit is %(limit).0f MiB.")
                              % {"size": unpacked / 1048576, "limit": 10 * settings.EVIDENCE_MAX_BYTES / 1048576})


def _looks_like_text(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            if encoding == "utf-8" and error.start >= len(sample) - 3:  # a character cut at the sample's end
                return True
    return False
