"""One inventory through the portals as the demo users do it, every step by the HTML views:
officer -> reviewer (returns, then approves) -> verifier (accepts, samples, raises a finding,
requests corrections) -> officer (answers, corrects) -> verifier (closes, opinion, verifies);
and a second inventory that the body declines and then rejects."""

import pytest

from inventories.models import ActivityRecord
from workflows.models import Engagement, Finding, Notification, TransitionLog

from .helpers import (
    ELECTRICITY,
    GAS,
    enterprise_of,
    field_errors,
    inventory,
    post,
    steps_offered,
    text,
    user,
)
from carbon_portal.accounts.models import VerifierBody

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def prepare(officer, year):
    """Officer: create, enter two lines, open, calculate, choose the body, send for review."""
    response = post(officer, "/portal/inventories/new/", {"enterprise": enterprise_of("officer_a").pk,
                                                          "year": year, "added_value_10k_yuan": "6000"})
    pk = int(response.url.rstrip("/").split("/")[-1])
    for line in (ELECTRICITY, GAS):
        assert post(officer, f"/portal/inventories/{pk}/activity/new/", line).status_code == 302
    for name in ("open", "calculate"):
        assert post(officer, f"/portal/inventories/{pk}/transitions/{name}/").status_code == 302, name
    body = VerifierBody.objects.get(accreditation_number="CNAS-GHG-DEMO-001")
    page = officer.get(f"/portal/inventories/{pk}/")
    assert body.name in text(page)  # offered in the choice of bodies
    assert post(officer, f"/portal/inventories/{pk}/verifier/", {"verifier_body": body.pk}).status_code == 302
    assert post(officer, f"/portal/inventories/{pk}/transitions/submit_review/").status_code == 302
    assert inventory(pk).status == "in_review"
    return pk


def workbench_of(pk):
    return Engagement.objects.filter(inventory_id=pk).exclude(proposed_at=None).latest("proposed_at").pk


def test_one_inventory_through_every_portal(people):
    officer, reviewer, verifier = people("officer_a"), people("reviewer_a"), people("verifier_1")
    pk = prepare(officer, 2024)

    # The officer sees no review buttons on the inventory they prepared.
    assert steps_offered(officer.get(f"/portal/inventories/{pk}/")) == set()

    # Reviewer: the queue shows approve and return; returning needs a comment.
    queue = reviewer.get("/portal/review/")
    assert queue.status_code == 200
    assert steps_offered(queue) == {"approve", "return"}
    response = post(reviewer, f"/portal/inventories/{pk}/transitions/return/", {"comment": "  ", "from": "review"})
    assert response.status_code == 400
    assert "a comment is required to return" in field_errors(response)
    assert inventory(pk).status == "in_review"
    response = post(reviewer, f"/portal/inventories/{pk}/transitions/return/",
                    {"comment": "Attach the gas invoices.", "from": "review", "next": "/portal/review/"})
    assert response.status_code == 302 and response.url == "/portal/review/"
    assert inventory(pk).status == "collecting"

    # The officer is told, and sees the comment in the history.
    notices = text(officer.get("/portal/notifications/"))
    assert "returned" in notices and "Attach the gas invoices." in notices
    assert "Attach the gas invoices." in text(officer.get(f"/portal/inventories/{pk}/"))
    for name in ("calculate", "submit_review"):
        assert post(officer, f"/portal/inventories/{pk}/transitions/{name}/").status_code == 302

    # Reviewer approves from the inventory page with a comment.
    page = reviewer.get(f"/portal/inventories/{pk}/")
    assert steps_offered(page) == {"approve", "return"}
    assert post(reviewer, f"/portal/inventories/{pk}/transitions/approve/",
                {"comment": "Checked against the invoices."}).status_code == 302
    assert inventory(pk).status == "submitted"

    # Verifier: the engagement waits for a decision; accepting needs the declaration.
    engagement = workbench_of(pk)
    listing = text(verifier.get("/portal/verification/"))
    assert f"/portal/verification/{engagement}/" in listing
    bench = verifier.get(f"/portal/verification/{engagement}/")
    assert bench.status_code == 200
    assert steps_offered(bench) == {"accept", "decline"}
    assert "Draw a sample" not in text(bench)  # nothing to sample before accepting
    response = post(verifier, f"/portal/verification/{engagement}/transitions/accept/", {"declaration": "x"})
    assert response.status_code == 400
    assert "Tick the declaration" in field_errors(response)
    assert inventory(pk).status == "submitted"
    response = post(verifier, f"/portal/verification/{engagement}/transitions/accept/",
                    {"no_conflict": "on", "declaration": "No consulting or shareholding with the enterprise."})
    assert response.status_code == 302
    assert inventory(pk).status == "verifying"

    bench = verifier.get(f"/portal/verification/{engagement}/")
    html = text(bench)
    assert "Draw a sample" in html and "Raise a finding" in html and "Write the opinion" in html
    assert steps_offered(bench) == set()  # request_corrections / verify / reject wait for their conditions
    assert "Raise at least one open finding before requesting corrections." in html

    # Sampling: draw all records chosen by judgement, check one against its evidence.
    records = list(ActivityRecord.objects.filter(inventory_id=pk).order_by("id"))
    response = post(verifier, f"/portal/verification/{engagement}/samples/",
                    {"method": "chosen", "records": [str(records[0].pk), str(records[1].pk)]})
    assert response.status_code == 302
    sample = Engagement.objects.get(pk=engagement).samples.get(activity_record=records[0])
    side = verifier.get(f"/portal/verification/{engagement}/records/{records[0].pk}/")
    assert side.status_code == 200
    assert "The evidence" in text(side) and "1,200,000" in text(side)
    response = post(verifier, f"/portal/verification/{engagement}/samples/{sample.pk}/check/",
                    {"conforms": "yes", "note": "Matches the grid bill."})
    assert response.status_code == 302
    sample.refresh_from_db()
    assert sample.conforms is True

    # A finding needs its reason and what it points at.
    response = post(verifier, f"/portal/verification/{engagement}/findings/", {"reason": ""})
    assert response.status_code == 400
    errors = field_errors(response)
    assert "This field is required." in errors and "Tick the activity records" in errors
    line = inventory(pk).results.latest("calculated_at").lines.get(activity_record=records[1])
    response = post(verifier, f"/portal/verification/{engagement}/findings/",
                    {"reason": "The gas quantity does not match the supplier's statement (140,000 m3).",
                     "activity_records": [str(records[1].pk)], "result_lines": [str(line.pk)]})
    assert response.status_code == 302
    finding = Finding.objects.get(engagement_id=engagement)
    assert list(finding.activity_records.all()) == [records[1]]

    assert steps_offered(verifier.get(f"/portal/verification/{engagement}/")) == {"request_corrections"}
    assert post(verifier, f"/portal/verification/{engagement}/transitions/request_corrections/",
                {"comment": "See F-1."}).status_code == 302
    assert inventory(pk).status == "corrections_requested"

    # Officer: the finding to answer; only the flagged record can be corrected.
    page = officer.get(f"/portal/inventories/{pk}/")
    html = text(page)
    assert "does not match the supplier" in html
    assert f"/portal/findings/{finding.pk}/respond/" in html
    assert f"/portal/inventories/{pk}/activity/{records[1].pk}/" in html
    assert f"/portal/inventories/{pk}/activity/{records[0].pk}/" not in html
    assert f"/portal/inventories/{pk}/activity/new/" not in html
    assert steps_offered(page) == set()  # resubmit waits for the answer
    assert "Respond to every open finding before resubmitting." in html
    response = post(officer, f"/portal/inventories/{pk}/activity/{records[0].pk}/", ELECTRICITY)
    assert response.status_code == 302  # refused with a message, nothing changed
    response = post(officer, f"/portal/inventories/{pk}/activity/{records[1].pk}/", {**GAS, "quantity": "140000"})
    assert response.status_code == 302
    records[1].refresh_from_db()
    assert str(records[1].quantity.normalize()) == "1.4E+5"
    response = post(officer, f"/portal/findings/{finding.pk}/respond/", {"response": ""})
    assert response.status_code == 400
    assert "This field is required." in field_errors(response)
    assert post(officer, f"/portal/findings/{finding.pk}/respond/",
                {"response": "Corrected to the supplier's 140,000 m3."}).status_code == 302
    assert steps_offered(officer.get(f"/portal/inventories/{pk}/")) == {"resubmit"}
    assert post(officer, f"/portal/inventories/{pk}/transitions/resubmit/").status_code == 302
    assert inventory(pk).status == "verifying"

    # Verifier: closes the finding, records the opinion, verifies.
    bench = verifier.get(f"/portal/verification/{engagement}/")
    assert "Corrected to the supplier" in text(bench)
    assert post(verifier, f"/portal/verification/findings/{finding.pk}/close/",
                {"comment": "Correction accepted."}).status_code == 302
    response = post(verifier, f"/portal/verification/{engagement}/opinion/",
                    {"conclusion": "verified", "assurance_level": "reasonable",
                     "materiality_threshold_percent": "5", "misstatement_tco2e": "0", "text": ""})
    assert response.status_code == 400 and "This field is required." in field_errors(response)
    response = post(verifier, f"/portal/verification/{engagement}/opinion/",
                    {"conclusion": "verified", "assurance_level": "reasonable",
                     "materiality_threshold_percent": "5", "misstatement_tco2e": "0",
                     "text": "The inventory is fairly stated in accordance with GB/T 32150-2015."})
    assert response.status_code == 302
    assert steps_offered(verifier.get(f"/portal/verification/{engagement}/")) == {"verify"}
    assert post(verifier, f"/portal/verification/{engagement}/transitions/verify/").status_code == 302
    assert inventory(pk).status == "verified"

    # Everyone sees the issued opinion and the whole history.
    html = text(officer.get(f"/portal/inventories/{pk}/"))
    assert "fairly stated" in html
    for step in ("Opened for data collection", "Returned to the preparer", "Engagement accepted",
                 "Finding raised", "Corrections requested", "Resubmitted", "Verified"):
        assert step in html, step
    assert Notification.objects.filter(recipient=user("officer_a"), verb="verify").exists()
    assert "is verified" in text(officer.get("/portal/notifications/"))
    steps = list(TransitionLog.objects.filter(inventory_id=pk, entity="inventory").values_list("name", flat=True))
    assert steps == ["open", "calculate", "submit_review", "return", "calculate", "submit_review", "approve",
                     "accept", "request_corrections", "resubmit", "verify"]


def test_a_declined_engagement_then_a_rejection(people):
    officer, reviewer, verifier = people("officer_a"), people("reviewer_a"), people("verifier_1")
    pk = prepare(officer, 2022)
    post(reviewer, f"/portal/inventories/{pk}/transitions/approve/")
    engagement = workbench_of(pk)

    # Declining needs the reason; then the inventory disappears from the verifier's view.
    response = post(verifier, f"/portal/verification/{engagement}/transitions/decline/", {"comment": ""})
    assert response.status_code == 400
    assert "reason for declining" in field_errors(response)
    response = post(verifier, f"/portal/verification/{engagement}/transitions/decline/",
                    {"comment": "We audited this enterprise's accounts last year."})
    assert response.status_code == 302
    assert inventory(pk).status == "submitted"
    bench = text(verifier.get(f"/portal/verification/{engagement}/"))
    assert "declined this engagement" in bench and "Kiln gas" not in bench
    assert verifier.get(f"/portal/verification/{engagement}/records/1/").status_code == 404

    # The officer chooses again (proposed at once), the body accepts and rejects.
    page = text(officer.get(f"/portal/inventories/{pk}/"))
    assert "We audited this enterprise" in page
    body = VerifierBody.objects.get(accreditation_number="CNAS-GHG-DEMO-001")
    assert post(officer, f"/portal/inventories/{pk}/verifier/", {"verifier_body": body.pk}).status_code == 302
    engagement = workbench_of(pk)
    post(verifier, f"/portal/verification/{engagement}/transitions/accept/",
         {"no_conflict": "on", "declaration": "Different team, no ties."})
    response = post(verifier, f"/portal/verification/{engagement}/opinion/",
                    {"conclusion": "verified", "assurance_level": "limited", "materiality_threshold_percent": "5",
                     "misstatement_tco2e": "999999", "text": "Material misstatement."})
    assert response.status_code == 400
    assert "above the materiality threshold" in field_errors(response)
    post(verifier, f"/portal/verification/{engagement}/opinion/",
         {"conclusion": "rejected", "assurance_level": "limited", "materiality_threshold_percent": "5",
          "misstatement_tco2e": "999999", "text": "Material misstatement of the gas consumption."})
    assert steps_offered(verifier.get(f"/portal/verification/{engagement}/")) == {"reject"}
    assert post(verifier, f"/portal/verification/{engagement}/transitions/reject/").status_code == 302
    assert inventory(pk).status == "rejected"
    assert "Material misstatement of the gas" in text(officer.get(f"/portal/inventories/{pk}/"))
