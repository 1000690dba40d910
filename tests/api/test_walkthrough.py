"""One inventory through every state by HTTP, as the demo users would do it (docs/interfaces.md §4):
a return, a decline, a round of corrections, verification and certification; and a second
inventory that the verifier rejects."""

import pytest
from django.core import mail
from django.core.management import call_command

from inventories.models import Inventory
from workflows.models import TransitionLog
from workflows.signals import inventory_certified

from tests.workflows.support import login

pytestmark = pytest.mark.django_db

DIESEL = {"category": "fuel_combustion", "fuel": "diesel", "quantity": "1500", "unit": "L",
          "description": "Forklift diesel"}


@pytest.fixture
def people(demo):
    return {username: login(demo, username) for username in demo["users"]}


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.json())
    return response.json()


def refused(response, status):
    assert response.status_code == status, (response.status_code, response.json())
    assert response.json()["detail"]
    return response.json()


def test_one_inventory_through_every_state(people):
    officer, reviewer, verifier, government, admin = (people[name] for name in
                                                       ("officer_a", "reviewer_a", "verifier_1", "gov_1", "admin"))
    [listed] = ok(officer.get("inventories"))["results"]
    inventory_id = listed["id"]
    assert listed["status"] == "draft"
    assert ok(government.get("inventories"))["count"] == 0  # never a draft

    # Collect: open, add a line (a bad one first), calculate.
    ok(officer.transition(inventory_id, "open"))
    bad_line = {"category": "fuel_combustion", "fuel": "unobtainium", "quantity": "1", "unit": "t"}
    bad = refused(officer.post(f"inventories/{inventory_id}/activity", bad_line), 400)
    assert "unobtainium" in bad["detail"]
    diesel = ok(officer.post(f"inventories/{inventory_id}/activity", DIESEL), 201)
    refused(reviewer.post(f"inventories/{inventory_id}/activity", DIESEL), 403)
    ok(officer.transition(inventory_id, "calculate"))
    detail = ok(officer.get(f"inventories/{inventory_id}"))
    assert detail["status"] == "calculated"
    assert detail["result"]["total_tco2e"]
    assert len(detail["result"]["lines"]) == len(detail["activity"]) == 6
    assert all(line["formula"] and line["factors"] for line in detail["result"]["lines"])
    assert set(detail["transitions"]) == {"reopen", "submit_review"}

    # Internal review: returned once, then approved with a verifier body chosen.
    ok(officer.transition(inventory_id, "submit_review"))
    refused(officer.transition(inventory_id, "approve"), 403)
    ok(reviewer.transition(inventory_id, "return", comment="Add the diesel invoice number to the description."))
    ok(officer.patch(f"inventories/{inventory_id}/activity/{diesel['id']}",
                     {"description": "Forklift diesel, invoice 04417"}))
    ok(officer.transition(inventory_id, "calculate"))
    ok(officer.transition(inventory_id, "submit_review"))
    condition = refused(reviewer.transition(inventory_id, "approve"), 409)
    assert condition["code"] == "condition_failed" and "verifier body" in condition["detail"]
    [body] = ok(officer.get(f"inventories/{inventory_id}/verifier-bodies"))
    ok(officer.post(f"inventories/{inventory_id}/verifier", {"verifier_body": body["id"]}), 201)
    refused(verifier.get(f"inventories/{inventory_id}"), 404)  # not before submission
    ok(reviewer.transition(inventory_id, "approve", comment="Checked against the invoices."))
    refused(officer.post(f"inventories/{inventory_id}/activity", DIESEL), 409)  # frozen from now on

    # The body declines once; proposed again, it accepts with its declaration.
    [engagement] = ok(verifier.get("engagements?status=proposed"))
    refused(verifier.transition(inventory_id, "decline"), 400)  # a reason is required
    ok(verifier.transition(inventory_id, "decline", comment="No lead verifier free this month."))
    refused(verifier.get(f"inventories/{inventory_id}"), 404)
    assert ok(officer.get(f"inventories/{inventory_id}"))["status"] == "submitted"
    ok(officer.post(f"inventories/{inventory_id}/verifier", {"verifier_body": body["id"]}), 201)
    refused(verifier.transition(inventory_id, "accept", comment="ok"), 400)  # no declaration
    ok(verifier.transition(inventory_id, "accept", no_conflict=True,
                           declaration="No consulting or ownership ties with the enterprise in the last 3 years."))
    [engagement] = ok(verifier.get("engagements?status=accepted"))
    engagement_id = engagement["id"]

    # Review: sample, check a sample against its evidence, raise a finding, request corrections.
    samples = ok(verifier.post(f"engagements/{engagement_id}/samples", {"size": 3, "seed": 42}), 201)
    assert len(samples) == 3
    ok(verifier.post(f"engagements/{engagement_id}/samples/{samples[0]['id']}/check",
                     {"conforms": True, "note": "Matches the invoice."}))
    coal = next(record for record in detail["activity"] if record["fuel"] == "raw_coal")
    refused(officer.post(f"engagements/{engagement_id}/findings", {"reason": "x", "activity_records": [coal["id"]]}),
            403)
    finding = ok(verifier.post(f"engagements/{engagement_id}/findings", {
        "reason": "The weighbridge tickets total 1150 t, not 1200 t.", "activity_records": [coal["id"]]}), 201)
    refused(verifier.transition(inventory_id, "verify"), 409)
    ok(verifier.transition(inventory_id, "request_corrections", comment="See finding F-1."))

    # The enterprise corrects only the flagged record and answers.
    assert ok(officer.get(f"inventories/{inventory_id}"))["flagged_records"] == [coal["id"]]
    refused(officer.patch(f"inventories/{inventory_id}/activity/{diesel['id']}", {"quantity": "1"}), 409)
    refused(officer.post(f"inventories/{inventory_id}/activity", DIESEL), 409)
    refused(officer.transition(inventory_id, "resubmit"), 409)  # the finding is not answered yet
    ok(officer.patch(f"inventories/{inventory_id}/activity/{coal['id']}", {"quantity": "1150"}))
    ok(officer.post(f"findings/{finding['id']}/respond", {"response": "Corrected to the weighbridge total."}))
    resubmitted = ok(officer.transition(inventory_id, "resubmit"))
    assert resubmitted["entry"]["details"]["recalculated"] is True

    # The verifier closes the finding, records the opinion and verifies.
    ok(verifier.post(f"findings/{finding['id']}/close", {"comment": "Correction checked."}))
    refused(verifier.transition(inventory_id, "verify"), 409)  # no opinion yet
    opinion = ok(verifier.put(f"engagements/{engagement_id}/opinion", {
        "conclusion": "verified", "assurance_level": "reasonable", "materiality_threshold_percent": "5",
        "misstatement_tco2e": "12.5", "text": "The inventory is fairly stated in all material respects."}))
    assert opinion["misstatement_percent"]
    assert ok(officer.get(f"engagements/{engagement_id}"))["opinion"] is None  # a draft is the verifier's
    ok(verifier.transition(inventory_id, "verify"))
    assert ok(officer.get(f"engagements/{engagement_id}"))["opinion"]["issued_at"]

    # Government now sees it; the platform certifies; labels are asked for after commit.
    assert [row["id"] for row in ok(government.get("inventories"))["results"]] == [inventory_id]
    refused(government.transition(inventory_id, "certify"), 403)
    certified = []
    inventory_certified.connect(lambda sender, inventory_id, actor_id, **kw: certified.append(inventory_id),
                                weak=False, dispatch_uid="walkthrough")
    try:
        ok(admin.transition(inventory_id, "certify"))
    finally:
        inventory_certified.disconnect(dispatch_uid="walkthrough")
    assert certified == [inventory_id]
    assert Inventory.objects.get(pk=inventory_id).status == "certified"

    # The trail: every state visited, each transition once per time it happened, chain intact.
    history = ok(officer.get(f"inventories/{inventory_id}/history"))
    transitions = [(entry["from_state"], entry["to_state"]) for entry in history if entry["entity"] == "inventory"]
    states = {state for pair in transitions for state in pair}
    assert states >= {"draft", "collecting", "calculated", "in_review", "submitted", "verifying",
                      "corrections_requested", "verified", "certified"}
    assert [entry["name"] for entry in ok(government.get(f"inventories/{inventory_id}/history"))] == [
        entry["name"] for entry in history if entry["entity"] == "inventory"]
    call_command("verify_audit_log")
    assert ok(admin.get("audit/verify"))["ok"] is True

    # People were told what to do next.
    notices = ok(officer.get("notifications"))
    assert {"return", "decline", "request_corrections", "certify"} <= {notice["verb"] for notice in notices}
    assert any("verifier_1" in message.to[0] for message in mail.outbox)
    ok(officer.post(f"notifications/{notices[0]['id']}/read"))
    assert len(ok(officer.get("notifications?unread=1"))) == len(notices) - 1


def test_a_second_inventory_is_rejected(people):
    officer, reviewer, verifier = people["officer_a"], people["reviewer_a"], people["verifier_1"]
    created = ok(officer.post("inventories", {"year": 2024, "added_value_10k_yuan": "7600"}), 201)
    inventory_id = created["id"]
    refused(officer.post("inventories", {"year": 2024}), 400)  # one per year
    ok(officer.transition(inventory_id, "open"))
    ok(officer.post(f"inventories/{inventory_id}/activity",
                    {"category": "purchased_electricity", "quantity": "2100000", "unit": "kWh"}), 201)
    ok(officer.transition(inventory_id, "calculate"))
    ok(officer.transition(inventory_id, "submit_review"))
    [body] = ok(officer.get(f"inventories/{inventory_id}/verifier-bodies"))
    ok(officer.post(f"inventories/{inventory_id}/verifier", {"verifier_body": body["id"]}), 201)
    ok(reviewer.transition(inventory_id, "approve"))
    ok(verifier.transition(inventory_id, "accept", no_conflict=True, declaration="Independent."))
    engagement_id = ok(verifier.get(f"engagements?inventory={inventory_id}"))[0]["id"]
    refused(verifier.put(f"engagements/{engagement_id}/opinion", {
        "conclusion": "verified", "misstatement_tco2e": "999999", "text": "x"}), 400)  # material: not 'verified'
    ok(verifier.put(f"engagements/{engagement_id}/opinion", {
        "conclusion": "rejected", "assurance_level": "limited", "misstatement_tco2e": "300",
        "text": "Electricity is understated: the sub-meter of the new line is missing."}))
    refused(verifier.transition(inventory_id, "verify"), 409)
    ok(verifier.transition(inventory_id, "reject", comment="Material misstatement."))
    assert Inventory.objects.get(pk=inventory_id).status == "rejected"
    assert ok(people["gov_1"].get("inventories"))["count"] == 0
    assert TransitionLog.objects.filter(inventory_id=inventory_id, entity="inventory").count() == 6
