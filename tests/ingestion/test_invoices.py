import copy
from pathlib import Path
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from carbon_portal.accounts.models import User
from ingestion.models import InvoiceDraft
from inventories.models import ActivityRecord, Inventory

from .files import jpeg, pdf, png
from .invoice_data import EXTRACTION, SELLER

@pytest.fixture
def inventory_a(demo):
    return Inventory.objects.get(enterprise__memberships__user__username="officer_a", year=2025)


@pytest.fixture
def collecting(inventory_a):
    Inventory.objects.filter(pk=inventory_a.pk).update(status="collecting")
    inventory_a.refresh_from_db()
    return inventory_a


def client_of(username):
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def upload(client, inventory, data, name="invoice.pdf", capture=None):
    """POST the file; the extraction task runs when the test's transaction would commit."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    with capture(execute=True):
        answer = client.post(f"/api/v1/inventories/{inventory.pk}/evidence",
                             {"file": SimpleUploadedFile(name, data)}, format="multipart")
    if answer.status_code in (200, 201, 202):
        answer.posted = answer.json()
        detail = client.get(f"/api/v1/inventories/{inventory.pk}/evidence/{answer.posted['id']}")
        answer.data = detail.json()
        answer.json = lambda: answer.data
    return answer


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_upload_is_answered_with_the_extraction_to_confirm(demo, extractor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    inventory = Inventory.objects.get(enterprise__memberships__user__username="officer_a", year=2025)
    Inventory.objects.filter(pk=inventory.pk).update(status="collecting")
    answer = client_of("officer_a").post(f"/api/v1/inventories/{inventory.pk}/evidence",
                                         {"file": SimpleUploadedFile("invoice.pdf", pdf())}, format="multipart")
    assert answer.status_code == 201
    assert answer.json()["status"] == "extracted"
    assert answer.json()["extraction"]["invoice_number"] == EXTRACTION["invoice_number"]


def test_upload_answers_with_the_extraction_then_the_confirmation_makes_the_record(
        collecting, extractor, django_capture_on_commit_callbacks):
    officer = client_of("officer_a")
    before = ActivityRecord.objects.filter(inventory=collecting).count()
    answer = upload(officer, collecting, pdf(), capture=django_capture_on_commit_callbacks)
    assert answer.status_code == 202  # the task runs at commit: in this test, after the answer
    body = answer.json()
    assert body["status"] == "extracted"
    assert body["extraction"]["lines"][0]["quantity"] == "120000"
    assert body["evidence"]["pages"] == 1 and body["evidence"]["page_images"][0].endswith("/pages/1")
    assert ActivityRecord.objects.filter(inventory=collecting).count() == before  # nothing until confirmed

    lines = copy.deepcopy(EXTRACTION["lines"])
    lines[0]["quantity"] = "121000"  # the officer corrects a misread quantity
    confirmed = officer.post(body["confirm_url"], {"lines": lines}, format="json")
    assert confirmed.status_code == 201, confirmed.json()
    record = ActivityRecord.objects.get(pk__in=confirmed.json()["activity_records"])
    assert (record.category, record.quantity, record.unit, record.origin) == (
        "purchased_electricity", Decimal("121000"), "kWh", "invoice")
    assert record.evidence_id == body["evidence"]["id"]
    assert "25332000000012345678" in record.description
    assert ActivityRecord.objects.filter(inventory=collecting).count() == before + 1  # the kVA line is not energy
    assert officer.post(body["confirm_url"], {}, format="json").status_code == 400  # confirmed once


def test_the_same_invoice_from_another_file_is_flagged_and_not_counted_twice(
        collecting, extractor, django_capture_on_commit_callbacks):
    officer = client_of("officer_a")
    first = upload(officer, collecting, pdf(), capture=django_capture_on_commit_callbacks).json()
    assert officer.post(first["confirm_url"], {}, format="json").status_code == 201
    count = ActivityRecord.objects.count()
    scan = upload(officer, collecting, jpeg(), "scan.jpg", capture=django_capture_on_commit_callbacks).json()
    assert scan["duplicate_of"] == {"id": first["id"], "inventory": collecting.pk, "status": "confirmed"}
    refused = officer.post(scan["confirm_url"], {}, format="json")
    assert refused.status_code == 400
    assert "confirmed already" in refused.json()["detail"]
    assert ActivityRecord.objects.count() == count


def test_the_same_file_twice_is_the_same_draft(collecting, extractor, django_capture_on_commit_callbacks):
    officer = client_of("officer_a")
    data = png()
    first = upload(officer, collecting, data, "a.png", capture=django_capture_on_commit_callbacks)
    again = upload(officer, collecting, data, "a-copy.png", capture=django_capture_on_commit_callbacks)
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"] and again.posted["already_uploaded"]
    assert InvoiceDraft.objects.count() == 1


def test_when_extraction_fails_the_officer_types_the_fields(collecting, extractor,
                                                            django_capture_on_commit_callbacks):
    from ingestion.extraction import ExtractionError

    extractor["result"] = ExtractionError("the file is not an invoice", "not_an_invoice")
    officer = client_of("officer_a")
    body = upload(officer, collecting, png(), capture=django_capture_on_commit_callbacks).json()
    assert (body["status"], body["error"]) == ("failed", "the file is not an invoice")
    fields = {key: EXTRACTION[key] for key in ("invoice_number", "issue_date", "seller_tax_id")}
    fields["lines"] = [{"description": "天然气", "energy_type": "natural_gas", "quantity": "3500", "unit": "m3"}]
    confirmed = officer.post(body["confirm_url"], fields, format="json")
    assert confirmed.status_code == 201, confirmed.json()
    record = ActivityRecord.objects.get(pk__in=confirmed.json()["activity_records"])
    assert (record.category, record.fuel, record.quantity) == ("fuel_combustion", "natural_gas", Decimal("3500"))


@pytest.mark.parametrize(("lines", "expected"), [
    ([{"energy_type": "steam", "quantity": "50", "unit": "GJ"}], [("purchased_heat", "", "GJ")]),
    ([{"energy_type": "heat", "quantity": "50", "unit": "GJ"}], [("purchased_heat", "", "GJ")]),
    ([{"energy_type": "electricity", "quantity": "1.5", "unit": "MWh"}], [("purchased_electricity", "", "MWh")]),
    ([{"energy_type": "diesel", "quantity": "2", "unit": "t"}, {"energy_type": "water", "quantity": "9", "unit": "m3"}],
     [("fuel_combustion", "diesel", "t")]),
    ([{"energy_type": "raw_coal", "quantity": "30", "unit": "t"}], [("fuel_combustion", "raw_coal", "t")]),
    ([{"energy_type": "lpg", "quantity": "1", "unit": "t"}], [("fuel_combustion", "lpg", "t")]),
    ([{"energy_type": "gasoline", "quantity": "1", "unit": "t"}], [("fuel_combustion", "gasoline", "t")]),
    ([{"energy_type": "fuel_oil", "quantity": "1", "unit": "t"}], [("fuel_combustion", "fuel_oil", "t")]),
])
def test_energy_types_become_activity_lines(collecting, extractor, django_capture_on_commit_callbacks, lines,
                                            expected):
    extractor["result"] = {**EXTRACTION, "lines": [{"description": "x", **line} for line in lines]}
    officer = client_of("officer_a")
    body = upload(officer, collecting, png(), capture=django_capture_on_commit_callbacks).json()
    confirmed = officer.post(body["confirm_url"], {}, format="json")
    assert confirmed.status_code == 201, confirmed.json()
    records = ActivityRecord.objects.filter(pk__in=confirmed.json()["activity_records"]).order_by("id")
    assert [(r.category, r.fuel, r.unit) for r in records] == expected


@pytest.mark.parametrize(("corrections", "field"), [
    ({"seller_tax_id": SELLER[:-1] + ("0" if SELLER[-1] != "0" else "1")}, "seller_tax_id"),
    ({"invoice_number": ""}, "invoice_number"),
    ({"issue_date": "2025-02-30"}, "issue_date"),
    ({"lines": [{"energy_type": "electricity", "quantity": "-5", "unit": "kWh"}]}, "lines[0].quantity"),
    ({"lines": [{"energy_type": "electricity", "quantity": "5", "unit": "t"}]}, "lines[0]"),
    ({"lines": [{"energy_type": "plutonium", "quantity": "5", "unit": "kg"}]}, "lines[0].energy_type"),
    ({"lines": [{"energy_type": "water", "quantity": "5", "unit": "m3"}]}, "lines"),
    ({"lines": []}, "lines"),
])
def test_bad_corrections_are_refused_naming_the_field(collecting, extractor, django_capture_on_commit_callbacks,
                                                     corrections, field):
    officer = client_of("officer_a")
    body = upload(officer, collecting, png(), capture=django_capture_on_commit_callbacks).json()
    count = ActivityRecord.objects.count()
    answer = officer.post(body["confirm_url"], corrections, format="json")
    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert ActivityRecord.objects.count() == count
    assert InvoiceDraft.objects.get().status == "extracted"


def test_permissions(collecting, extractor, django_capture_on_commit_callbacks):
    assert upload(client_of("officer_b"), collecting, png(), capture=django_capture_on_commit_callbacks
                  ).status_code == 404  # another tenant's inventory
    assert upload(client_of("reviewer_a"), collecting, png(), capture=django_capture_on_commit_callbacks
                  ).status_code == 403
    body = upload(client_of("officer_a"), collecting, png(), capture=django_capture_on_commit_callbacks).json()
    assert client_of("officer_b").get(f"/api/v1/evidence/{body['evidence']['id']}/pages/1").status_code == 404
    page = client_of("reviewer_a").get(f"/api/v1/evidence/{body['evidence']['id']}/pages/1")
    assert page.status_code == 200 and page["Content-Type"] == "image/png"
    Inventory.objects.filter(pk=collecting.pk).update(status="submitted")
    locked = client_of("officer_a").post(body["confirm_url"], {}, format="json")
    assert locked.status_code == 409
    assert InvoiceDraft.objects.get().status == "extracted"


def test_an_unacceptable_file_is_a_clear_400(collecting, extractor, django_capture_on_commit_callbacks):
    answer = upload(client_of("officer_a"), collecting, b"hello", "invoice.pdf",
                    capture=django_capture_on_commit_callbacks)
    assert answer.status_code == 400
    assert "not a PDF, PNG, JPEG or TIFF" in answer.json()["detail"]
    assert not InvoiceDraft.objects.exists()
    missing = client_of("officer_a").post(f"/api/v1/inventories/{collecting.pk}/evidence", {}, format="multipart")
    assert missing.status_code == 400


def test_discarding_a_draft(collecting, extractor, django_capture_on_commit_callbacks):
    officer = client_of("officer_a")
    data = png()
    body = upload(officer, collecting, data, capture=django_capture_on_commit_callbacks).json()
    answer = officer.post(f"/api/v1/inventories/{collecting.pk}/evidence/{body['id']}/discard")
    assert answer.json()["status"] == "discarded"
    again = upload(officer, collecting, data, capture=django_capture_on_commit_callbacks)
    assert again.status_code == 202 and again.json()["id"] != body["id"]  # the same file may come back


SAMPLES = Path(__file__).parent / "samples"


@pytest.mark.skipif(not (SAMPLES / "text_electricity_digital.pdf").exists(), reason="the invoice samples are missing")
def test_a_real_invoice_through_the_real_extractor(collecting, django_capture_on_commit_callbacks):
    data = (SAMPLES / "text_electricity_digital.pdf").read_bytes()
    officer = client_of("officer_a")
    body = upload(officer, collecting, data, capture=django_capture_on_commit_callbacks).json()
    assert body["status"] == "extracted", body["error"]
    assert body["extraction"]["invoice_number"] == "25322000000041827365"
    # The sample is issued to another company than the demo enterprise: refused, then confirmed
    # with a reason (tests/ingestion/test_invoice_guardrails.py).
    assert officer.post(body["confirm_url"], {}, format="json").json()["code"] == "buyer_mismatch"
    confirmed = officer.post(body["confirm_url"], {"override_reason": "a sample"}, format="json")
    assert confirmed.status_code == 201, confirmed.json()
    records = ActivityRecord.objects.filter(pk__in=confirmed.json()["activity_records"]).order_by("id")
    assert [(r.category, r.quantity, r.unit) for r in records] == [
        ("purchased_electricity", Decimal(q), "kWh") for q in ("126400", "98250", "143760")]
    # The same invoice in another file (here: the PDF with a trailing comment) is not counted again.
    again = upload(officer, collecting, data + b"\n% a copy\n", "copy.pdf",
                   capture=django_capture_on_commit_callbacks).json()
    assert again["duplicate_of"]["id"] == body["id"]
    assert officer.post(again["confirm_url"], {}, format="json").status_code == 400


def test_a_broker_outage_at_upload_leaves_the_extraction_to_the_outbox_sweep(
        collecting, extractor, django_capture_on_commit_callbacks, monkeypatch):
    """The extraction is recorded with the draft: when the broker is down at commit, the draft
    waits (pending) and the outbox's sweep queues it once the broker is back."""
    from django.core.management import call_command

    from carbon_portal.core import tasks as core_tasks
    from carbon_portal.core.models import OutboxMessage
    from ingestion import tasks as ingestion_tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    working = ingestion_tasks.extract_invoice_draft.delay
    monkeypatch.setattr(core_tasks.deliver_outbox, "delay", broker_down)
    monkeypatch.setattr(ingestion_tasks.extract_invoice_draft, "delay", broker_down)
    answer = upload(client_of("officer_a"), collecting, pdf(), capture=django_capture_on_commit_callbacks)
    assert answer.status_code == 202
    draft = InvoiceDraft.objects.get()
    assert draft.status == InvoiceDraft.Status.PENDING
    waiting = OutboxMessage.objects.get(topic="ingestion.extract_invoice")
    assert waiting.delivered_at is None and waiting.payload == {"draft_id": draft.pk}

    call_command("deliver_outbox", "--once")  # the broker is still down: nothing lost, tried again later
    waiting.refresh_from_db()
    assert waiting.delivered_at is None and waiting.attempts == 1

    monkeypatch.setattr(ingestion_tasks.extract_invoice_draft, "delay", working)  # the broker is back
    OutboxMessage.objects.filter(pk=waiting.pk).update(available_at=waiting.created_at)
    call_command("deliver_outbox", "--once")
    draft.refresh_from_db()
    assert draft.status == InvoiceDraft.Status.EXTRACTED
    assert OutboxMessage.objects.get(pk=waiting.pk).delivered_at is not None
