"""From file bytes to positioned text: the PDF text layer where it is real, OCR elsewhere.

A PDF page is read from its text layer when it has enough real characters. A page with no
text (a scan) or whose text comes out as ``(cid:NNN)`` / private-use code points (a CJK font
without a Unicode map) is rendered with pypdfium2 at ~300 dpi and OCR'd. Images are OCR'd.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image

from . import filetypes, ocr
from .errors import ExtractionError
from .filetypes import MAX_PAGES, MAX_PIXELS
from .layout import PageText, Word, group_lines

RENDER_DPI = 300
MIN_REAL_CHARS = 10
MAX_BAD_SHARE = 0.1


def _is_bad_char(text: str) -> bool:
    return text.startswith("(cid:") or any("\ue000" <= char <= "\uf8ff" or char == "\ufffd" for char in text)


def text_layer(page) -> PageText | None:
    """The page's words from its text layer, or None when that layer is missing or unusable."""
    chars = [char for char in page.dedupe_chars().chars if char["text"].strip()]
    bad = sum(1 for char in chars if _is_bad_char(char["text"]))
    real = len(chars) - bad
    if real < MIN_REAL_CHARS or bad > MAX_BAD_SHARE * len(chars):
        return None
    words = [Word(char["text"], char["x0"], char["x1"], char["top"], char["bottom"])
             for char in chars if not _is_bad_char(char["text"]) and char.get("upright", True)]
    return PageText(group_lines(words), float(page.width), float(page.height), "text")


def _render(data: bytes, indexes: list[int]) -> list[Image.Image]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ExtractionError(f"the PDF cannot be rendered ({error})", "corrupt") from error
    rendered = []
    try:
        for index in indexes:
            page = document[index]
            width, height = page.get_size()  # points
            scale = RENDER_DPI / 72
            if width * height * scale * scale > MAX_PIXELS:  # a huge page: render coarser
                scale = (MAX_PIXELS / (width * height)) ** 0.5
            rendered.append(page.render(scale=scale, grayscale=False).to_pil())
            page.close()
    finally:
        document.close()
    return rendered


def read_pdf(data: bytes, force_ocr: bool = False, ocr_workers: int | None = None) -> list[PageText]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect as error:
        raise ExtractionError("the PDF is encrypted", "corrupt") from error
    except Exception as error:  # pdfminer raises many kinds on broken files
        raise ExtractionError(f"the PDF is corrupt or unreadable ({type(error).__name__})", "corrupt") from error
    try:
        try:
            count = len(pdf.pages)
        except Exception as error:
            raise ExtractionError(f"the PDF is corrupt or unreadable ({type(error).__name__})", "corrupt") from error
        if count == 0:
            raise ExtractionError("the PDF has no pages", "corrupt")
        if count > MAX_PAGES:
            raise ExtractionError(f"the PDF has {count} pages, the limit is {MAX_PAGES}", "too_many_pages")
        pages: list[PageText | None] = []
        for page in pdf.pages:
            try:
                pages.append(None if force_ocr else text_layer(page))
            except ExtractionError:
                raise
            except Exception as error:
                raise ExtractionError(f"the PDF is corrupt or unreadable ({type(error).__name__})", "corrupt") from error
    finally:
        pdf.close()
    missing = [index for index, page in enumerate(pages) if page is None]
    if missing:
        for index, page in zip(missing, ocr.ocr_images(_render(data, missing), ocr_workers)):
            pages[index] = page
    return pages  # type: ignore[return-value]


def open_image(data: bytes) -> list[Image.Image]:
    """The frames of an image file (TIFF may have several), refusing decompression bombs."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ExtractionError(
                    f"the image is {width}x{height} pixels, the limit is {MAX_PIXELS // 1_000_000} megapixels",
                    "too_many_pixels")
            frames = []
            for index in range(getattr(image, "n_frames", 1)):
                if index >= MAX_PAGES:
                    raise ExtractionError(f"the image has more than {MAX_PAGES} pages", "too_many_pages")
                image.seek(index)
                if image.size[0] * image.size[1] > MAX_PIXELS:
                    raise ExtractionError("an image page exceeds the pixel limit", "too_many_pixels")
                image.load()
                frames.append(image.copy())
            return frames
    except ExtractionError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ExtractionError(f"the image is too large ({error})", "too_many_pixels") from error
    except Exception as error:  # PIL raises OSError, SyntaxError, ValueError... on broken files
        raise ExtractionError(f"the image is corrupt or unreadable ({type(error).__name__})", "corrupt") from error


def read(data: bytes, kind: str, force_ocr: bool = False, ocr_workers: int | None = None) -> list[PageText]:
    """Pages of positioned text; ``force_ocr`` ignores PDF text layers; ``ocr_workers``: pages OCR'd at once."""
    if kind == filetypes.PDF:
        return read_pdf(data, force_ocr, ocr_workers)
    return ocr.ocr_images(open_image(data), ocr_workers)
