import datetime

import pytest

from ingestion.models import InvoiceDraft, QualityIssue
from ingestion.readings.services import ingest_readings
from inventories.models import ActivityRecord, Inventory, Meter

from .files import pdf
from .helpers import CST, interval_series
from .invoice_data import EXTRACTION


@pytest.fixture
def inventory_a(demo):
    inventory = Inventory.objects.get(enterprise__memberships__user__username="officer_a", year=2025)
    Inventory.objects.filter(pk=inventory.pk).update(status="collecting")
    return inventory


@pytest.fixture
def officer(client, demo):
    client.force_login(demo_user("officer_a"))
    return client


def demo_user(username):
    from carbon_portal.accounts.models import User

    return User.objects.get(username=username)


def test_the_officer_uploads_checks_beside_the_image_corrects_and_confirms(
        officer, inventory_a, extractor, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        answer = officer.post(f"/portal/ingestion/inventories/{inventory_a.pk}/",
                              {"file": SimpleUploadedFile("invoice.pdf", pdf())})
    draft = InvoiceDraft.objects.get()
    assert answer.status_code == 302 and answer.url.endswith(f"/invoices/{draft.pk}/")
    page = officer.get(answer.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/portal/ingestion/evidence/{draft.evidence_id}/pages/1.png" in html
    assert EXTRACTION["invoice_number"] in html and 'value="120000"' in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html  # no external assets
    image = officer.get(f"/portal/ingestion/evidence/{draft.evidence_id}/pages/1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

    form = {key: EXTRACTION[key] or "" for key in ("invoice_number", "issue_date", "seller_name", "seller_tax_id",
                                                   "buyer_name", "total_amount", "total_tax", "total_with_tax")}
    form.update({"lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "1", "lines-MIN_NUM_FORMS": "0",
                 "lines-MAX_NUM_FORMS": "200", "lines-0-description": "电费", "lines-0-energy_type": "electricity",
                 "lines-0-quantity": "125000", "lines-0-unit": "kWh", "lines-1-description": "",
                 "action": "confirm"})
    confirmed = officer.post(answer.url, form)
    assert confirmed.status_code == 302
    record = ActivityRecord.objects.get(evidence_id=draft.evidence_id)
    assert (record.quantity, record.origin) == (125000, "invoice")
    original = officer.get(f"/portal/ingestion/evidence/{draft.evidence_id}/file")
    assert original.content.startswith(b"%PDF") and "attachment" in original["Content-Disposition"]


def test_a_wrong_correction_is_shown_and_nothing_is_stored(officer, inventory_a, extractor,
                                                          django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        answer = officer.post(f"/portal/ingestion/inventories/{inventory_a.pk}/",
                              {"file": SimpleUploadedFile("invoice.pdf", pdf())})
    page = officer.post(answer.url, {"invoice_number": "", "seller_tax_id": "123", "lines-TOTAL_FORMS": "0",
                                     "lines-INITIAL_FORMS": "0", "action": "confirm"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "invoice_number: Required." in html and "seller_tax_id" in html
    assert not ActivityRecord.objects.filter(origin="invoice").exists()


def test_other_enterprises_pages_are_not_found(client, demo, inventory_a):
    client.force_login(demo_user("officer_b"))
    assert client.get(f"/portal/ingestion/inventories/{inventory_a.pk}/").status_code == 404
    assert client.get("/portal/ingestion/meters/A-ELEC-01/").status_code == 404


def test_meter_pages_show_the_quality_issues_and_the_officer_acknowledges_them(officer, demo):
    rows = interval_series("A-STEAM-01", datetime.datetime(2025, 3, 1, tzinfo=CST), 1)
    ingest_readings(rows=rows[:40] + rows[52:], scope=Meter.objects.all())
    assert officer.get("/portal/ingestion/").status_code == 200
    listing = officer.get("/portal/ingestion/meters/").content.decode()
    assert "A-STEAM-01" in listing
    page = officer.get("/portal/ingestion/meters/A-STEAM-01/").content.decode()
    assert "Gap in the readings" in page and "without readings since" in page
    issue = QualityIssue.objects.get()
    officer.post("/portal/ingestion/meters/A-STEAM-01/acknowledge/", {"issue": [issue.pk]})
    issue.refresh_from_db()
    assert issue.acknowledged_at is not None


def test_the_import_page_reports_refused_rows(officer, inventory_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_imports import GOOD_AND_BAD

    page = officer.post("/portal/ingestion/imports/", {
        "kind": "activity", "inventory": inventory_a.pk, "file": SimpleUploadedFile("a.csv", GOOD_AND_BAD.encode())})
    html = page.content.decode()
    assert page.status_code == 200
    assert "7 rows: 3 imported, 0 already there, 4 refused." in html
    assert "unobtainium" in html
    fatal = officer.post("/portal/ingestion/imports/", {
        "kind": "activity", "inventory": inventory_a.pk, "file": SimpleUploadedFile("b.csv", b"x,y\n1,2\n")})
    assert "Nothing was imported." in fatal.content.decode()
    assert officer.get("/portal/ingestion/templates/activity.xlsx").status_code == 200
