"""HTML to PDF with WeasyPrint, offline: only data: URLs are fetched; CJK text is set in the
Noto CJK fonts installed with fonts-noto-cjk (found by fontconfig name, never downloaded)."""

import threading

from django.template.loader import render_to_string
from PIL import ImageFile

_truncated_images = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import HTML  # noqa: E402 - importing WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES = True
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

# ...for the whole process, which would let damaged uploads pass ingestion's checks in a worker
# that also renders documents. Our documents embed no raster images: restore Pillow's default.
ImageFile.LOAD_TRUNCATED_IMAGES = _truncated_images

FONT_STACK = '"Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'
_local = threading.local()


class OfflineFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)


def _font_config() -> FontConfiguration:
    """One font configuration per thread: loading the CJK fonts once saves ~0.1 s per document."""
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, {**context, "font_stack": FONT_STACK})
    return HTML(string=html, url_fetcher=OfflineFetcher(), base_url=None).write_pdf(font_config=_font_config())
