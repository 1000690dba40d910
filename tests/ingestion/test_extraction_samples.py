"""Every committed sample against its ground truth (tests/ingestion/samples/*.json)."""

import json
from functools import cache
from pathlib import Path

import pytest

from ingestion.extraction import extract_invoice

SAMPLES = Path(__file__).parent / "samples"
MANIFEST = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
TEXT = [entry["file"] for entry in MANIFEST if entry["kind"] == "text"]
OCR = [entry["file"] for entry in MANIFEST if entry["kind"] != "text"]


@cache
def extracted(name: str) -> dict:
    return extract_invoice(SAMPLES / name).as_dict()


def truth(name: str) -> dict:
    return json.loads((SAMPLES / name).with_suffix(".json").read_text(encoding="utf-8"))


def field_scores(expected: dict, got: dict) -> tuple[int, int, list[str]]:
    """(right, total, differences) over the contract's fields (not method/confidence/warnings)."""
    right = total = 0
    wrong = []
    for key, value in expected.items():
        if key in ("method", "warnings"):
            continue
        if key == "lines":
            for index, line in enumerate(value):
                other = got["lines"][index] if index < len(got["lines"]) else {}
                for field, want in line.items():
                    total += 1
                    if other.get(field) == want:
                        right += 1
                    else:
                        wrong.append(f"lines[{index}].{field}: {other.get(field)!r} != {want!r}")
            continue
        total += 1
        if got.get(key) == value:
            right += 1
        else:
            wrong.append(f"{key}: {got.get(key)!r} != {value!r}")
    if len(got["lines"]) != len(value := expected["lines"]):
        wrong.append(f"{len(got['lines'])} lines, expected {len(value)}")
    return right, total, wrong


@pytest.mark.parametrize("name", TEXT)
def test_text_pdf_every_field_right(name):
    got = extracted(name)
    expected = truth(name)
    assert got["method"] == "text"
    assert got["warnings"] == []
    assert got["confidence"] == 1.0
    got_without = {key: value for key, value in got.items() if key != "confidence"}
    assert got_without == expected


def test_text_pdfs_cover_the_required_kinds():
    kinds = {line["energy_type"] for name in TEXT for line in truth(name)["lines"]}
    assert {"electricity", "natural_gas", "heat", "steam", "diesel", "raw_coal", "other"} <= kinds
    units = {line["unit"] for name in TEXT for line in truth(name)["lines"]}
    assert {"kWh", "m3", "GJ", "t", "L", "kVA"} <= units
    assert any("invoice_code" in truth(name) for name in TEXT)  # a VAT special invoice
    assert any(len(truth(name)["invoice_number"]) == 20 for name in TEXT)  # a 数电票


@pytest.mark.slow
def test_cid_font_pdf_falls_back_to_ocr():
    import pdfplumber

    with pdfplumber.open(SAMPLES / "cid_fuel_cid.pdf") as pdf:
        assert "(cid:" in pdf.pages[0].extract_text()  # the premise: the text layer is unusable
    got = extracted("cid_fuel_cid.pdf")
    assert got["method"] == "ocr"
    assert got["invoice_number"] == truth("cid_fuel_cid.pdf")["invoice_number"]
    assert got["total_with_tax"] == truth("cid_fuel_cid.pdf")["total_with_tax"]


@pytest.mark.slow
@pytest.mark.parametrize("name", OCR)
def test_ocr_sample_reads_most_fields(name):
    got = extracted(name)
    assert got["method"] == "ocr"
    assert 0 <= got["confidence"] <= 1
    right, total, wrong = field_scores(truth(name), got)
    assert right / total >= 0.85, wrong


@pytest.mark.slow
def test_ocr_samples_reach_the_accuracy_target():
    right = total = 0
    wrong = []
    for name in OCR:
        r, t, w = field_scores(truth(name), extracted(name))
        right, total = right + r, total + t
        wrong += [f"{name}: {item}" for item in w]
    assert right / total >= 0.95, wrong


@pytest.mark.slow
def test_png_named_pdf_is_read_as_png(tmp_path):
    source = SAMPLES / "scan_heat_steam_rot90.png"
    renamed = tmp_path / "invoice.pdf"
    renamed.write_bytes(source.read_bytes())
    got = extract_invoice(renamed).as_dict()
    assert got["method"] == "ocr"
    assert got["invoice_number"] == truth(source.name)["invoice_number"]


def test_bytes_and_file_objects_are_accepted():
    data = (SAMPLES / "text_diesel_digital.pdf").read_bytes()
    assert extract_invoice(data).as_dict() == extracted("text_diesel_digital.pdf")
    with open(SAMPLES / "text_diesel_digital.pdf", "rb") as handle:
        assert extract_invoice(handle).invoice_number == "25442000000013372409"


@pytest.mark.slow
def test_pages_are_ocred_in_parallel_and_kept_in_order():
    import os

    import pypdfium2 as pdfium

    from ingestion.extraction import ocr

    pages = []
    for name in ("image_electricity.pdf", "image_coal.pdf"):
        document = pdfium.PdfDocument(str(SAMPLES / name))
        pages.append(document[0].render(scale=200 / 72).to_pil())
        document.close()
    electricity, coal = ocr.ocr_images(pages, ocr_workers=2)
    assert "25322000000041827365" in electricity.text
    assert "58204716" in coal.text
    assert os.environ["OMP_THREAD_LIMIT"] == "1"  # carbon_portal/celery.py; Tesseract inherits it


@pytest.mark.slow
def test_text_layer_without_the_fields_falls_back_to_ocr():
    """A PDF whose only text is a caption above a picture of the invoice."""
    import base64
    import io

    import pypdfium2 as pdfium
    from weasyprint import HTML

    document = pdfium.PdfDocument(str(SAMPLES / "image_electricity.pdf"))
    picture = document[0].render(scale=200 / 72).to_pil()
    document.close()
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    src = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    html = (f"<html><head><style>@page {{ size: 250mm 170mm; margin: 5mm }} body {{ font-family: 'Noto Sans CJK SC' }}"
            f"</style></head><body><p>扫描件：电子发票（增值税专用发票）第一页</p><img src='{src}' style='width: 235mm'>"
            f"</body></html>")
    got = extract_invoice(HTML(string=html).write_pdf()).as_dict()
    assert got["method"] == "ocr"
    assert got["invoice_number"] == "25322000000041827365"
    assert len(got["lines"]) == 4
