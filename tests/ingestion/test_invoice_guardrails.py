"""An invoice of another buyer, or dated outside the inventory period, is refused at confirmation
unless the officer gives a reason, which the verifier then sees beside the records."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from carbon_portal.accounts.uscc import with_check_character
from ingestion.invoices.guardrails import invoice_mismatches, normalised_name
from ingestion.models import InvoiceDraft
from inventories.models import ActivityRecord, Inventory
from tests.login import log_in
from tests.workflows.support import advance, engagement_of, new_inventory

from .files import pdf, png
from .invoice_data import EXTRACTION
from .test_invoices import client_of, upload

OTHER_BUYER = {"buyer_name": "苏州恒达精密制造有限公司", "buyer_tax_id": with_check_character("91320594XJ5GBJJQP")}


@pytest.fixture
def collecting(demo):
    inventory = Inventory.objects.get(enterprise__memberships__user__username="officer_a", year=2025)
    Inventory.objects.filter(pk=inventory.pk).update(status="collecting")
    inventory.refresh_from_db()
    return inventory


def test_names_are_compared_without_spaces_width_or_bracket_kind():
    assert normalised_name("杭州青山（建材） 有限公司") == normalised_name("杭州青山(建材)有限公司")
    assert normalised_name("Ｑingshan  Ltd") == normalised_name("qingshan ltd")
    assert normalised_name("杭州青山建材有限公司") != normalised_name("杭州青山水泥有限公司")


def test_the_tax_id_decides_when_there_is_one(collecting):
    enterprise = collecting.enterprise
    same = {"buyer_name": "another spelling", "buyer_tax_id": enterprise.credit_code.lower(), "issue_date": "2025-06-01"}
    assert invoice_mismatches(collecting, same) == []
    other = invoice_mismatches(collecting, {"buyer_name": enterprise.name, **{"buyer_tax_id": OTHER_BUYER["buyer_tax_id"]}})
    assert [m.code for m in other] == ["buyer_mismatch"]
    assert OTHER_BUYER["buyer_tax_id"] in other[0].message and enterprise.credit_code in other[0].message
    assert invoice_mismatches(collecting, {"buyer_name": "", "buyer_tax_id": ""}) == []  # nothing to compare


def test_an_invoice_of_another_buyer_is_refused_then_confirmed_with_a_reason(
        collecting, extractor, django_capture_on_commit_callbacks):
    extractor["result"] = {**EXTRACTION, **OTHER_BUYER}
    officer = client_of("officer_a")
    body = upload(officer, collecting, png(), capture=django_capture_on_commit_callbacks).json()
    count = ActivityRecord.objects.count()

    refused = officer.post(body["confirm_url"], {}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "buyer_mismatch"
    assert OTHER_BUYER["buyer_tax_id"] in refused.json()["detail"]
    assert collecting.enterprise.credit_code in refused.json()["detail"]
    assert ActivityRecord.objects.count() == count and InvoiceDraft.objects.get().status == "extracted"
    assert officer.post(body["confirm_url"], {"override_reason": "   "}, format="json").status_code == 409

    reason = "Billed to our parent company; the meter is on our site (contract 2025-17)."
    confirmed = officer.post(body["confirm_url"], {"override_reason": reason}, format="json")
    assert confirmed.status_code == 201, confirmed.json()
    assert confirmed.json()["override"]["reason"] == reason
    assert [c["code"] for c in confirmed.json()["override"]["checks"]] == ["buyer_mismatch"]
    detail = officer.get(f"/api/v1/inventories/{collecting.pk}/evidence/{body['id']}").json()
    assert detail["override"] == confirmed.json()["override"]
    assert ActivityRecord.objects.count() == count + 1


def test_correcting_the_buyer_tax_id_to_the_enterprise_passes(collecting, extractor,
                                                              django_capture_on_commit_callbacks):
    extractor["result"] = {**EXTRACTION, **OTHER_BUYER}
    officer = client_of("officer_a")
    body = upload(officer, collecting, png(), capture=django_capture_on_commit_callbacks).json()
    confirmed = officer.post(body["confirm_url"], {"buyer_tax_id": collecting.enterprise.credit_code}, format="json")
    assert confirmed.status_code == 201, confirmed.json()
    assert confirmed.json()["override"] is None


def test_an_invoice_dated_in_the_next_year_is_refused(collecting, extractor, django_capture_on_commit_callbacks):
    extractor["result"] = {**EXTRACTION, "issue_date": "2026-01-15"}
    officer = client_of("officer_a")
    body = upload(officer, collecting, png(), capture=django_capture_on_commit_callbacks).json()
    refused = officer.post(body["confirm_url"], {}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "outside_period"
    assert "2026-01-15" in refused.json()["detail"] and "2025-01-01" in refused.json()["detail"]
    both = officer.post(body["confirm_url"], {**OTHER_BUYER}, format="json")
    assert both.status_code == 409 and "2026-01-15" in both.json()["detail"]
    assert OTHER_BUYER["buyer_tax_id"] in both.json()["detail"]
    confirmed = officer.post(body["confirm_url"], {"override_reason": "December consumption, billed in January."},
                             format="json")
    assert confirmed.status_code == 201
    assert [c["code"] for c in confirmed.json()["override"]["checks"]] == ["outside_period"]


def test_a_matching_invoice_is_confirmed_as_before_and_a_reason_is_not_kept(
        collecting, extractor, django_capture_on_commit_callbacks):
    officer = client_of("officer_a")
    body = upload(officer, collecting, png(), capture=django_capture_on_commit_callbacks).json()
    confirmed = officer.post(body["confirm_url"], {"override_reason": "not needed"}, format="json")
    assert confirmed.status_code == 201 and confirmed.json()["override"] is None
    draft = InvoiceDraft.objects.get()
    assert (draft.overridden_checks, draft.override_reason) == ([], "")


def test_a_reason_with_control_characters_is_bad_input(collecting, extractor, django_capture_on_commit_callbacks):
    extractor["result"] = {**EXTRACTION, **OTHER_BUYER}
    officer = client_of("officer_a")
    body = upload(officer, collecting, png(), capture=django_capture_on_commit_callbacks).json()
    assert officer.post(body["confirm_url"], {"override_reason": "a\x00b"}, format="json").status_code == 400


def _page_form(data, **extra):
    form = {key: data[key] or "" for key in ("invoice_number", "issue_date", "seller_name", "seller_tax_id",
                                             "buyer_name", "buyer_tax_id", "total_amount", "total_tax",
                                             "total_with_tax")}
    form.update({"lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "1", "lines-MIN_NUM_FORMS": "0",
                 "lines-MAX_NUM_FORMS": "200", "lines-0-description": "电费", "lines-0-energy_type": "electricity",
                 "lines-0-quantity": "125000", "lines-0-unit": "kWh", "action": "confirm", **extra})
    return form


def test_the_page_warns_refuses_with_409_and_takes_a_reason(demo, collecting, extractor,
                                                            django_capture_on_commit_callbacks):
    extractor["result"] = {**EXTRACTION, **OTHER_BUYER}
    client = Client()
    client.force_login(demo_user := collecting.enterprise.memberships.get(user__username="officer_a").user)
    assert demo_user.username == "officer_a"
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/portal/ingestion/inventories/{collecting.pk}/",
                             {"file": SimpleUploadedFile("invoice.pdf", pdf())})
    page = client.get(answer.url)
    html = page.content.decode()
    assert "does not fit the inventory" in html and 'name="override_reason"' in html

    data = {**EXTRACTION, **OTHER_BUYER}
    refused = client.post(answer.url, _page_form(data))
    assert refused.status_code == 409
    html = refused.content.decode()
    assert OTHER_BUYER["buyer_tax_id"] in html and 'name="override_reason"' in html
    assert not ActivityRecord.objects.filter(evidence__invoice_drafts__isnull=False).exists()

    confirmed = client.post(answer.url, _page_form(data, override_reason="Parent company pays the bill."))
    assert confirmed.status_code == 302
    draft = InvoiceDraft.objects.get()
    assert draft.status == "confirmed" and draft.override_reason == "Parent company pays the bill."
    assert "Parent company pays the bill." in client.get(answer.url).content.decode()


def test_a_matching_invoice_page_asks_no_reason(demo, collecting, extractor, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(collecting.enterprise.memberships.get(user__username="officer_a").user)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/portal/ingestion/inventories/{collecting.pk}/",
                             {"file": SimpleUploadedFile("invoice.pdf", pdf())})
    html = client.get(answer.url).content.decode()
    assert 'name="override_reason"' not in html and "does not fit the inventory" not in html
    assert client.post(answer.url, _page_form(EXTRACTION)).status_code == 302


def test_the_verifier_sees_the_override_beside_the_record(demo, extractor, django_capture_on_commit_callbacks):
    from ingestion.invoices.services import confirm_invoice, upload_invoice, run_invoice_extraction
    from tests.workflows.support import user

    inventory = new_inventory(year=2024)  # the invoice is dated 2025-04-02: outside the period
    officer = user("officer_a")
    draft, _created = upload_invoice(inventory=inventory, uploaded_by=officer, data=png(), filename="i.png")
    run_invoice_extraction(draft_id=draft.pk)
    records = confirm_invoice(draft=draft, confirmed_by=officer, override_reason="Invoice of the December reading.")
    from inventories.double_counts import decide_double_count, double_count_groups

    for group in double_count_groups(inventory):  # the invoice's electricity beside the manual line
        decide_double_count(inventory_id=inventory.pk, actor=officer, counted="all", reason="Two supplies.",
                            group_key=group.key)
    advance(inventory, "verifying")
    verifier = Client()
    log_in(verifier, demo, "verifier_1")
    engagement = engagement_of(inventory)
    page = verifier.get(f"/portal/verification/{engagement.pk}/records/{records[0].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Invoice of the December reading." in html and "2025-04-02" in html
    assert "confirmed this invoice although the checks did not fit" in html
    other = ActivityRecord.objects.filter(inventory=inventory, evidence=None).first()
    plain = verifier.get(f"/portal/verification/{engagement.pk}/records/{other.pk}/").content.decode()
    assert "Invoice of the December reading." not in plain
