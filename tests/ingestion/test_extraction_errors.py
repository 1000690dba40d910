"""Files that are not invoices, corrupt, of another type, or too large."""

import io
from pathlib import Path

import pytest
from PIL import Image

from ingestion.extraction import ExtractionError, extract_invoice, filetypes

SAMPLES = Path(__file__).parent / "samples"


def error_code(source, **kwargs) -> str:
    with pytest.raises(ExtractionError) as error:
        extract_invoice(source, **kwargs)
    assert str(error.value) and "\n" not in str(error.value)
    return error.value.code


def test_letter_pdf_is_not_an_invoice():
    assert error_code(SAMPLES / "letter.pdf") == "not_an_invoice"


@pytest.mark.slow
def test_blank_image_is_not_an_invoice():
    buffer = io.BytesIO()
    Image.new("L", (1200, 800), 255).save(buffer, "PNG")
    assert error_code(buffer.getvalue()) == "not_an_invoice"


def test_text_file_named_pdf_is_refused(tmp_path):
    fake = tmp_path / "invoice.pdf"
    fake.write_text("发票号码 25322000000041827365\n合计 100.00\n", encoding="utf-8")
    assert error_code(fake) == "unsupported_type"


@pytest.mark.parametrize("data", [b"GIF89a" + b"\0" * 100, b"PK\x03\x04zipzip", b"RIFF\0\0\0\0WEBPVP8 "])
def test_other_formats_are_refused(data):
    assert error_code(data) == "unsupported_type"


def test_truncated_pdf_is_corrupt():
    data = (SAMPLES / "text_diesel_digital.pdf").read_bytes()
    assert error_code(data[:3000]) == "corrupt"


def test_garbage_after_pdf_header_is_corrupt():
    assert error_code(b"%PDF-1.7\n" + bytes(range(256)) * 40) == "corrupt"


def test_truncated_png_is_corrupt():
    data = (SAMPLES / "scan_heat_steam_rot90.png").read_bytes()
    assert error_code(data[:2000]) == "corrupt"


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert error_code(empty) == "empty"


def test_missing_file(tmp_path):
    assert error_code(tmp_path / "nope.pdf") == "not_found"


def test_too_large_file(tmp_path, monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_BYTES", 10_000)
    source = SAMPLES / "text_diesel_digital.pdf"
    assert error_code(source) == "too_large"
    assert error_code(source.read_bytes()) == "too_large"


def test_too_many_pixels():
    buffer = io.BytesIO()
    Image.new("1", (9000, 6000), 1).save(buffer, "PNG")  # 54 megapixels, a few kilobytes
    assert error_code(buffer.getvalue()) == "too_many_pixels"


def test_too_many_pages():
    from weasyprint import HTML

    pages = "".join(f"<p style='page-break-after: always'>{n}</p>" for n in range(filetypes.MAX_PAGES + 1))
    assert error_code(HTML(string=f"<html><body>{pages}</body></html>").write_pdf()) == "too_many_pages"


def test_type_is_judged_by_content_not_name():
    data = (SAMPLES / "text_diesel_digital.pdf").read_bytes()
    assert extract_invoice(data, filename="photo.jpg").invoice_number == "25442000000013372409"
