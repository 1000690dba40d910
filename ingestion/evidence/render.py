"""The image of one page of an evidence file, as PNG, for the officer to read beside the
extracted fields. PDF pages are rendered with pdfium; images are turned upright (EXIF) and
re-encoded, which also drops their metadata. The rendering runs in the box of ingestion/sandbox.py."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError

from .. import sandbox
from .content import PDF

PREVIEW_SCALE = 150 / 72  # 150 dpi: sharp enough to read an invoice, small enough to send
MAX_EDGE = 2400


class PageNotFound(LookupError):
    pass


def page_png(data: bytes, content_type: str, page: int) -> bytes:
    """PNG of page `page` (1-based). PageNotFound; ValidationError for a file that needs more
    than the box allows."""
    try:
        return sandbox.run("ingestion.evidence.render:render_png", data, content_type, page)
    except sandbox.ResourceLimit as error:
        raise ValidationError(str(error), code=f"resources_{error.code}") from None


def render_png(data: bytes, content_type: str, page: int) -> bytes:
    """In the box: the PNG of the page."""
    image = _pdf_page(data, page) if content_type == PDF else _image_page(data, page)
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=False)
    return output.getvalue()


def _pdf_page(data: bytes, page: int):
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        if not 1 <= page <= len(document):
            raise PageNotFound(page)
        return document[page - 1].render(scale=PREVIEW_SCALE).to_pil()
    finally:
        document.close()


def _image_page(data: bytes, page: int):
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        if not 1 <= page <= getattr(image, "n_frames", 1):
            raise PageNotFound(page)
        image.seek(page - 1)
        upright = ImageOps.exif_transpose(image)
        return upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright.copy()
