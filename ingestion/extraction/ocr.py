"""Tesseract OCR of page images: orientation, clean-up, recognition, one page per task.

Tesseract runs as a subprocess with ``OMP_THREAD_LIMIT=1`` (its own OpenMP threads slow it
down on small machines), which it inherits from the process (set on start-up by
carbon_portal/celery.py, which every Django process loads); pages run in parallel in a small
thread pool instead, ``workers`` at once (settings.INVOICE_OCR_WORKERS, passed by the caller).
"""

from __future__ import annotations

import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytesseract
from PIL import Image

from . import images
from .errors import ExtractionError
from .layout import PageText, Word, group_lines

LANG = "chi_sim"  # chi_sim reads digits and Latin letters well; adding eng garbles CJK labels
# psm 6: one uniform block (keeps table rows whole); no second pass for inverted text (slow, never useful here).
CONFIG = "--oem 1 --psm 6 -c tessedit_do_invert=0"
TIMEOUT = 60  # seconds per Tesseract call
ANCHORS = ("发票", "名称", "合计", "金额", "税额", "日期", "识别号", "价税", "单价", "数量")
_RULE_ONLY = re.compile(r"^[|_\-—–~=丨]+$")  # a table rule read as text


def workers(configured: int | None = None) -> int:
    """Pages OCR'd at once: ``configured`` (INVOICE_OCR_WORKERS), else min(2, cores)."""
    if configured is not None:
        return max(1, configured)
    return max(1, min(2, os.cpu_count() or 1))


def _tesseract_missing(error: Exception) -> ExtractionError:
    return ExtractionError(f"OCR is not available on this machine ({error})", "ocr_unavailable")


def orientation(grey: Image.Image) -> int:
    """Degrees (counter-clockwise) that turn the page upright, from Tesseract OSD (--psm 0)."""
    small = grey.reduce(2) if max(grey.size) > 2000 else grey
    try:
        osd = pytesseract.image_to_osd(small, config="--psm 0", timeout=TIMEOUT)
    except pytesseract.TesseractNotFoundError as error:
        raise _tesseract_missing(error) from error
    except (pytesseract.TesseractError, RuntimeError):
        return -1  # too few characters to tell
    match = re.search(r"Rotate:\s*(\d+)", osd)
    return (360 - int(match.group(1))) % 360 if match else -1


def recognise(image: Image.Image) -> list[Word]:
    """Words with boxes (in the image's pixels) and confidences."""
    try:
        with tempfile.NamedTemporaryFile(suffix=".pgm") as handle:
            image.convert("L").save(handle, "PPM")  # uncompressed: PNG encoding costs ~0.2 s a page
            handle.flush()
            data = pytesseract.image_to_data(handle.name, lang=LANG, config=CONFIG, timeout=TIMEOUT,
                                             output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError as error:
        raise _tesseract_missing(error) from error
    except RuntimeError as error:  # pytesseract's timeout
        raise ExtractionError(f"OCR took too long ({error})", "ocr_timeout") from error
    words = []
    for text, left, top, width, height, conf in zip(data["text"], data["left"], data["top"], data["width"],
                                                     data["height"], data["conf"]):
        text = text.strip()
        conf = float(conf)
        if not text or conf < 0 or _RULE_ONLY.match(text):
            continue
        words.append(Word(text, left, left + width, top, top + height, conf))
    return words


def _quality(words: list[Word]) -> tuple[int, float]:
    text = "".join(word.text for word in words)
    anchors = sum(1 for anchor in ANCHORS if anchor in text)
    mean = sum(word.conf for word in words) / len(words) if words else 0.0
    return anchors, mean


def _page(words: list[Word], image: Image.Image) -> PageText:
    mean = sum(word.conf for word in words) / len(words) if words else 0.0
    return PageText(group_lines(words), image.width, image.height, "ocr", mean)


def ocr_image(image: Image.Image) -> PageText:
    """OCR one page: turn it upright (OSD when the text runs sideways; a second try upside
    down when the first reading finds no invoice words), deskew, clean, recognise."""
    grey = images.rescale(images.to_grey(image))
    turned = 0
    if images.looks_sideways(images.small_ink(grey)):
        turned = orientation(grey)
        if turned not in (90, 270):  # OSD unsure or contradicting: the upside-down retry covers 270
            turned = 90
    prepared = images.prepare(grey, turned)
    words = recognise(prepared)
    anchors, mean = _quality(words)
    if anchors < 3:
        flipped = prepared.transpose(Image.ROTATE_180)
        other = recognise(flipped)
        if _quality(other) > (anchors, mean):
            return _page(other, flipped)
    return _page(words, prepared)


def ocr_images(pages: list[Image.Image], ocr_workers: int | None = None) -> list[PageText]:
    """OCR pages in parallel (threads: the work happens in Tesseract subprocesses)."""
    count = workers(ocr_workers)
    if len(pages) == 1 or count == 1:
        return [ocr_image(page) for page in pages]
    with ThreadPoolExecutor(max_workers=min(count, len(pages))) as pool:
        return list(pool.map(ocr_image, pages))
