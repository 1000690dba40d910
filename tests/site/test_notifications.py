"""The notice list: each person sees their own notices, opens the page where they act, and
marks notices read."""

import pytest

from tests.workflows.support import advance, new_inventory
from workflows.models import Engagement, Notification

from .helpers import post, text, user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_notices_lead_each_role_to_its_page_and_are_marked_read(people):
    inventory = new_inventory()
    advance(inventory, "submitted")
    reviewer_notice = Notification.objects.filter(recipient=user("reviewer_a")).first()
    verifier_notice = Notification.objects.filter(recipient=user("verifier_1")).first()
    assert reviewer_notice and verifier_notice

    reviewer = people("reviewer_a")
    page = text(reviewer.get("/portal/notifications/"))
    assert f'href="/portal/inventories/{inventory.pk}/"' in page
    assert 'class="count"' in text(reviewer.get("/portal/"))  # the unread badge in the header

    verifier = people("verifier_1")
    engagement = Engagement.objects.get(inventory=inventory, status="proposed")
    assert f'href="/portal/verification/{engagement.pk}/"' in text(verifier.get("/portal/notifications/"))

    # Marking another person's notice read is not found and changes nothing.
    assert post(verifier, f"/portal/notifications/{reviewer_notice.pk}/read/").status_code == 404
    reviewer_notice.refresh_from_db()
    assert reviewer_notice.read_at is None
    assert post(reviewer, f"/portal/notifications/{reviewer_notice.pk}/read/").status_code == 302
    reviewer_notice.refresh_from_db()
    assert reviewer_notice.read_at is not None
    assert post(verifier, "/portal/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=user("verifier_1"), read_at=None).exists()
    assert "No notices." in text(verifier.get("/portal/notifications/?unread=1"))


@pytest.mark.parametrize("username", ["officer_a", "reviewer_a", "verifier_1", "gov_1", "admin"])
def test_portal_pages_use_no_external_assets(people, username):
    client = people(username)
    for path in ("/portal/", "/portal/notifications/"):
        html = text(client.get(path))
        assert "https://" not in html and "http://" not in html.replace("http://www.w3.org", "")
