"""What an uploaded file is, judged by its content (magic bytes, parsing), never its name;
and the limits: size, pages, pixels. Every refusal is a ValidationError a person can read."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import filetypes, sandbox

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
    pages, sizes = _boxed("ingestion.evidence.content:pdf_page_sizes", data, settings.EVIDENCE_MAX_PAGES)
    if pages is None:
        raise ValidationError(_("The PDF cannot be read: it is damaged or protected by a password."))
    if pages == 0:
        raise ValidationError(_("The PDF has no pages."))
    if pages > settings.EVIDENCE_MAX_PAGES:
        raise ValidationError(_("The PDF has %(pages)d pages; the limit is %(limit)d.")
                              % {"pages": pages, "limit": settings.EVIDENCE_MAX_PAGES})
    for index, (width, height) in enumerate(sizes):
        _check_pixels(width * RENDER_SCALE, height * RENDER_SCALE, _("Page %(page)d") % {"page": index + 1})
    return pages


def _image_pages(data: bytes) -> int:
    frames = _boxed("ingestion.evidence.content:image_frame_sizes", data, settings.EVIDENCE_MAX_PAGES,
                    settings.EVIDENCE_MAX_PIXELS)
    if frames is None:
        raise ValidationError(_("The image cannot be read: it is damaged or not a supported format."))
    if len(frames) > settings.EVIDENCE_MAX_PAGES:
        raise ValidationError(_("The image has %(pages)d pages; the limit is %(limit)d.")
                              % {"pages": len(frames), "limit": settings.EVIDENCE_MAX_PAGES})
    for frame, size in enumerate(frames):
        _check_pixels(*size, _("Page %(page)d") % {"page": frame + 1})
    return len(frames)


def _boxed(target: str, *args):
    """Parse in the box (ingestion/sandbox.py): a file that needs too much is a ValidationError."""
    try:
        return sandbox.run(target, *args)
    except sandbox.ResourceLimit as error:
        raise ValidationError(str(error), code=f"resources_{error.code}") from None
    except ExtractionTooLarge as error:
        raise ValidationError(_("The PDF holds compressed data that inflates far beyond an invoice's size "
                                "(a decompression bomb); it is refused.")) from error


# In the box: pure functions (no settings, no translations), their answers judged above. --------------
class ExtractionTooLarge(ValueError):
    pass


def pdf_page_sizes(data: bytes, max_pages: int) -> tuple[int | None, list[tuple[float, float]]]:
    """(pages, [(width, height) in points] of the first ``max_pages`` + 1), or (None, []) if unreadable."""
    import pypdfium2

    from ..extraction.errors import ExtractionError
    from ..extraction.inflation import check_pdf_inflation

    try:
        check_pdf_inflation(data)
    except ExtractionError as error:
        raise ExtractionTooLarge(str(error)) from None
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return None, []
    try:
        pages = len(document)
        return pages, [document.get_page_size(index) for index in range(min(pages, max_pages + 1))]
    finally:
        document.close()


def image_frame_sizes(data: bytes, max_frames: int, max_pixels: int) -> list[tuple[int, int]] | None:
    """[(width, height)] of each frame, decoded (a damaged file fails then), or None if unreadable.
    Stops past ``max_frames``, and before decoding a frame larger than ``max_pixels``."""
    from PIL import Image, UnidentifiedImageError

    sizes = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            for frame in range(getattr(image, "n_frames", 1)):
                image.seek(frame)
                sizes.append(image.size)
                if len(sizes) > max_frames or image.size[0] * image.size[1] > max_pixels:
                    break
                image.load()  # decodes: a damaged file fails here, after the pixel check
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return sizes


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
