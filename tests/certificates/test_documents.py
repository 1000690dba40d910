"""Documents rendered after commit: certificate PDF with a QR code of the resolution URL, the
GB/T 32150 report (DOCX) and the verification statement, stored with their SHA-256."""

import hashlib
import io

import pypdfium2
import pytest
from django.test import Client
from docx import Document as DocxDocument
from pyzbar.pyzbar import decode

from certificates.models import Document
from certificates.services import revoke_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(issue, inventory_a):
    labels = issue(inventory_a, render=True)
    return next(label for label in labels if label.kind == "enterprise")


def pdf_text_and_qr(content: bytes) -> tuple[str, list[str]]:
    pdf = pypdfium2.PdfDocument(content)
    page = pdf[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=3).to_pil()
    return text, [symbol.data.decode() for symbol in decode(image)]


def test_documents_are_rendered_after_commit_and_stored_with_their_hash(rendered):
    kinds = sorted(Document.objects.filter(inventory=rendered.inventory).values_list("kind", flat=True))
    assert kinds == ["certificate", "inventory_report", "verification_statement"]
    for document in Document.objects.all():
        content = document.file.read()
        assert hashlib.sha256(content).hexdigest() == document.sha256 and len(content) == document.size


def test_certificate_qr_code_decodes_to_the_resolution_url(rendered):
    document = Document.objects.get(label=rendered, kind="certificate")
    text, codes = pdf_text_and_qr(document.file.read())
    assert codes == [f"http://portal.test/id/{rendered.identifier}"]
    assert "工业企业碳效标识证书" in text and "中碳 1级" in text  # Chinese text is real text, not boxes
    assert "杭州青山建材有限公司" in text


def test_report_follows_the_gbt_32150_structure(rendered):
    document = Document.objects.get(inventory=rendered.inventory, kind="inventory_report")
    docx = DocxDocument(io.BytesIO(document.file.read()))
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    for number in range(1, 10):
        assert any(heading.startswith(f"{number} ") for heading in headings), number
    text = "\n".join(cell.text for table in docx.tables for row in table.rows for cell in row.cells)
    assert "0.5306" in text  # electricity factor from the snapshot, with its source
    assert "MEE" in text or "生态环境部" in text
    assert "5070.134083" in text


def test_statement_names_the_verifier(rendered):
    document = Document.objects.get(inventory=rendered.inventory, kind="verification_statement")
    text, _codes = pdf_text_and_qr(document.file.read())
    assert "中碳认证核查中心" in text and "CNAS-GHG-DEMO-001" in text


def test_downloads_are_scoped(rendered, users):
    certificate = Document.objects.get(label=rendered)
    report = Document.objects.get(inventory=rendered.inventory, kind="inventory_report")
    public = Client()
    assert public.get(f"/id/{rendered.identifier}/certificate.pdf").status_code == 200
    assert public.get(f"/api/v1/documents/{report.pk}/download").status_code in (401, 403)
    officer_b = Client()
    officer_b.force_login(users["officer_b"])
    assert officer_b.get(f"/api/v1/documents/{report.pk}/download").status_code == 404
    officer_a = Client()
    officer_a.force_login(users["officer_a"])
    response = officer_a.get(f"/api/v1/documents/{report.pk}/download")
    assert response.status_code == 200 and response["X-Content-SHA256"] == report.sha256
    assert {item["kind"] for item in officer_a.get("/api/v1/documents").json()} == {
        "certificate", "inventory_report", "verification_statement"}
    revoke_label(label=rendered, actor=users["admin"], reason="Revoked for the test")
    assert public.get(f"/id/{rendered.identifier}/certificate.pdf").status_code == 404
    assert officer_a.get(f"/api/v1/documents/{certificate.pk}/download").status_code == 200


def test_product_label_certificate(issue, inventory_a):
    from decimal import Decimal

    from inventories.models import InventoryProduct

    InventoryProduct.objects.create(inventory=inventory_a, name="平板玻璃 Flat glass", declared_unit="t",
                                    output=Decimal("40000"))
    labels = issue(inventory_a, render=True)
    product_label = next(label for label in labels if label.kind == "product")
    text, codes = pdf_text_and_qr(Document.objects.get(label=product_label).file.read())
    assert "产品碳足迹标识证书" in text and "平板玻璃" in text
    assert product_label.figures["footprint_per_unit_tco2e"] in text  # 5070.134083 / 40000 t
    assert codes == [f"http://portal.test/id/{product_label.identifier}"]


def test_rendering_leaves_pillow_strict_about_truncated_images():
    """WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES = True on import; ingestion relies on False."""
    from PIL import ImageFile

    import certificates.documents.pdf  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
