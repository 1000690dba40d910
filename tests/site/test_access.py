"""Each role's pages render for that role and refuse everyone else; another tenant's ids are
not found and change nothing."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from carbon_portal.accounts.models import Membership, Role, User, VerifierBody
from inventories.models import ActivityRecord, Inventory
from tests.login import log_in
from tests.workflows.support import advance, new_inventory, raise_finding
from workflows.models import Engagement, Finding, TransitionLog

from .helpers import ELECTRICITY, enterprise_of, post, steps_offered, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ANONYMOUS_PAGES = ["/portal/", "/portal/inventories/", "/portal/inventories/new/", "/portal/review/",
                   "/portal/verification/", "/portal/notifications/", "/portal/inventories/1/",
                   "/portal/verification/1/"]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_visitors_are_sent_to_the_log_in(client, demo, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def demo_inventory():
    return Inventory.objects.get(enterprise=enterprise_of("officer_a"), year=2025)


@pytest.mark.parametrize(("username", "allowed", "refused"), [
    ("officer_a", ["/portal/", "/portal/inventories/", "/portal/inventories/new/", "/portal/notifications/",
                   "{inventory}", "{inventory}activity/new/"],
     ["/portal/review/", "/portal/verification/"]),
    ("reviewer_a", ["/portal/", "/portal/inventories/", "/portal/review/", "/portal/notifications/", "{inventory}"],
     ["/portal/inventories/new/", "{inventory}activity/new/", "/portal/verification/"]),
    ("verifier_1", ["/portal/", "/portal/verification/", "/portal/notifications/"],
     ["/portal/inventories/", "/portal/inventories/new/", "/portal/review/", "{inventory}activity/new/"]),
    ("gov_1", ["/portal/", "/portal/notifications/"],
     ["/portal/inventories/", "/portal/inventories/new/", "/portal/review/", "/portal/verification/"]),
    ("admin", ["/portal/", "/portal/inventories/", "/portal/verification/", "{inventory}"],
     ["/portal/inventories/new/", "/portal/review/", "{inventory}activity/new/"]),
])
def test_each_role_opens_its_pages_and_not_the_others(people, username, allowed, refused):
    client = people(username)
    inventory_url = f"/portal/inventories/{demo_inventory().pk}/"
    for path in allowed:
        response = client.get(path.format(inventory=inventory_url))
        assert response.status_code == 200, (username, path, response.status_code)
    for path in refused:
        response = client.get(path.format(inventory=inventory_url))
        assert response.status_code == 403, (username, path, response.status_code)


@pytest.mark.parametrize("username", ["verifier_1", "gov_1", "officer_b"])
def test_a_draft_of_enterprise_a_is_not_found_for_outsiders(people, username):
    assert people(username).get(f"/portal/inventories/{demo_inventory().pk}/").status_code == 404


def test_the_navigation_shows_each_role_its_portal(people):
    def nav(username):
        return text(people(username).get("/portal/")).split("</nav>")[0]

    assert "/portal/inventories/" in nav("officer_a") and "/portal/verification/" not in nav("officer_a")
    assert "/portal/review/" in nav("reviewer_a")
    assert "/portal/verification/" in nav("verifier_1") and "/portal/inventories/" not in nav("verifier_1")
    assert "/portal/inventories/" not in nav("gov_1") and "/portal/verification/" not in nav("gov_1")


def test_officer_b_cannot_read_or_change_enterprise_a(people):
    officer_b = people("officer_b")
    inventory = demo_inventory()
    record = inventory.activity_records.first()
    before = (inventory.status, ActivityRecord.objects.count(), TransitionLog.objects.count())
    assert officer_b.get(f"/portal/inventories/{inventory.pk}/").status_code == 404
    assert officer_b.get(f"/portal/inventories/{inventory.pk}/activity/new/").status_code == 404
    assert post(officer_b, f"/portal/inventories/{inventory.pk}/activity/new/", ELECTRICITY).status_code == 404
    assert post(officer_b, f"/portal/inventories/{inventory.pk}/activity/{record.pk}/",
                {**ELECTRICITY}).status_code == 404
    for name in ("open", "calculate", "submit_review"):
        assert post(officer_b, f"/portal/inventories/{inventory.pk}/transitions/{name}/").status_code == 404
    assert post(officer_b, f"/portal/inventories/{inventory.pk}/verifier/",
                {"verifier_body": VerifierBody.objects.get().pk}).status_code == 404
    inventory.refresh_from_db()
    assert (inventory.status, ActivityRecord.objects.count(), TransitionLog.objects.count()) == before
    # Its own list does not show A's inventories.
    listing = text(officer_b.get("/portal/inventories/"))
    assert "Ningbo Donghai" in listing or "宁波东海" in listing or "No inventories match" in listing
    assert "Hangzhou Qingshan" not in listing and "杭州青山建材" not in listing


def test_reviewer_cannot_take_the_officers_steps_and_officer_not_the_reviewers(people):
    inventory = demo_inventory()
    reviewer = people("reviewer_a")
    response = post(reviewer, f"/portal/inventories/{inventory.pk}/transitions/open/")
    assert response.status_code == 403
    inventory.refresh_from_db()
    assert inventory.status == "draft"
    assert steps_offered(reviewer.get(f"/portal/inventories/{inventory.pk}/")) == set()


def second_verifier(demo):
    """A verifier of another accredited body, logging in with its own TOTP device."""
    import base64

    first = VerifierBody.objects.get()
    body = VerifierBody.objects.create(name="另一核查机构", name_en="Other Verification Body",
                                       credit_code="91110105MA0XXXX1Y0",
                                       accreditation_number="CNAS-GHG-OTHER",
                                       accredited_from=first.accredited_from, accredited_until=first.accredited_until)
    body.scope.set(first.scope.all())
    verifier = User.objects.create_user("verifier_2", password="Cp-other-verifier-9x")
    Membership.objects.create(user=verifier, role=Role.VERIFIER, verifier_body=body)
    key = b"0123456789abcdefghij"
    TOTPDevice.objects.create(user=verifier, name="test", key=key.hex(), confirmed=True)
    demo["users"]["verifier_2"] = {"password": "Cp-other-verifier-9x",
                                   "totp_secret": base64.b32encode(key).decode()}
    client = Client()
    log_in(client, demo, "verifier_2")
    return client


def test_a_verifier_of_another_body_sees_nothing_and_changes_nothing(demo, people):
    inventory = new_inventory()
    advance(inventory, "verifying")
    engagement = Engagement.objects.get(inventory=inventory, status__in=["accepted", "reviewing"])
    record = inventory.activity_records.first()
    other = second_verifier(demo)
    listing = text(other.get("/portal/verification/"))
    assert f"/portal/verification/{engagement.pk}/" not in listing and "Hangzhou Qingshan" not in listing
    base = f"/portal/verification/{engagement.pk}/"
    assert other.get(base).status_code == 404
    assert other.get(f"{base}records/{record.pk}/").status_code == 404
    assert other.get(f"/portal/inventories/{inventory.pk}/").status_code == 404
    before = (TransitionLog.objects.count(), Finding.objects.count())
    assert post(other, f"{base}findings/", {"reason": "x", "activity_records": [str(record.pk)]}).status_code == 404
    assert post(other, f"{base}transitions/request_corrections/").status_code == 404
    assert post(other, f"{base}opinion/", {"conclusion": "verified", "assurance_level": "reasonable",
                                           "materiality_threshold_percent": "5", "misstatement_tco2e": "0",
                                           "text": "x"}).status_code == 404
    assert (TransitionLog.objects.count(), Finding.objects.count()) == before
    # The assigned verifier does see it.
    assert people("verifier_1").get(base).status_code == 200


def test_officer_b_cannot_answer_enterprise_as_findings(people):
    inventory = new_inventory()
    advance(inventory, "corrections_requested")
    finding = Finding.objects.get(inventory=inventory)
    response = post(people("officer_b"), f"/portal/findings/{finding.pk}/respond/", {"response": "mine now"})
    assert response.status_code == 404
    finding.refresh_from_db()
    assert finding.status == "open" and finding.response == ""
    # The verifier may read findings but not answer them for the enterprise.
    assert post(people("verifier_1"), f"/portal/findings/{finding.pk}/respond/",
                {"response": "x"}).status_code == 403


def test_government_reads_a_verified_inventory_of_its_region_without_actions(people):
    inventory = new_inventory()
    advance(inventory, "verified")
    page = people("gov_1").get(f"/portal/inventories/{inventory.pk}/")
    assert page.status_code == 200
    assert steps_offered(page) == set()
    assert "<form method=\"post\" action=\"/portal/" not in text(page)
    assert post(people("gov_1"), f"/portal/inventories/{inventory.pk}/transitions/certify/").status_code == 403


def test_the_verifier_opening_an_inventory_link_lands_on_its_workbench(people):
    inventory = new_inventory()
    advance(inventory, "submitted")
    engagement = Engagement.objects.get(inventory=inventory, status="proposed")
    response = people("verifier_1").get(f"/portal/inventories/{inventory.pk}/")
    assert response.status_code == 302 and response.url == f"/portal/verification/{engagement.pk}/"


def test_portal_is_chinese_by_default(settings, people):
    settings.LANGUAGE_CODE = "zh-hans"
    html = text(people("officer_a").get("/portal/"))
    assert '<html lang="zh-hans">' in html
    assert "我的工作台" in html  # "My portal", from the compiled catalogue


def test_raise_finding_support_is_reused(people):
    """Sanity: the workflow fixtures used above leave the portal consistent."""
    inventory = new_inventory()
    advance(inventory, "verifying")
    raise_finding(inventory)
    engagement = Engagement.objects.get(inventory=inventory, status__in=["accepted", "reviewing"])
    assert "F-1" in text(people("verifier_1").get(f"/portal/verification/{engagement.pk}/"))
