"""The help page's steps are true: every page it links to exists and opens for the role the step
names; the public label check it points buyers to finds a label by identifier or QR address."""

import re

import pytest
from django.test import Client

from carbon_portal.accounts.models import Membership, Role
from tests.site.helpers import enterprise_of, text, user

pytestmark = pytest.mark.django_db

# Who each linked page is for, as the step says.
PUBLIC = {"/join/", "/id/"}


def help_links(client) -> list[str]:
    response = client.get("/help/")
    assert response.status_code == 200
    links = re.findall(r'href="(/[^"]*)"', text(response).split("<ol>", 1)[1].split("</ol>", 1)[0])
    assert links, "the getting-started steps link to no page"
    return links


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_linked_page_opens_for_the_role_the_step_names(demo, people, language):
    officer = user("officer_a")
    Membership.objects.get_or_create(user=officer, role=Role.ENTERPRISE_ADMIN, enterprise=enterprise_of("officer_a"))
    anonymous = Client(HTTP_ACCEPT_LANGUAGE=language)
    links = help_links(anonymous)
    assert set(links) >= PUBLIC | {"/portal/people/", "/portal/master-data/", "/portal/inventories/"}
    for link in links:
        client = anonymous if link in PUBLIC else people("officer_a")
        response = client.get(link, follow=True)
        assert response.status_code == 200, f"{link} answers {response.status_code}"


def test_the_label_check_finds_a_label_by_identifier_or_by_its_qr_address(client, monkeypatch):
    from carbon_portal.site.views import labels

    known = "88.888.8888/E2025-7K3M9QX2PAHD"
    monkeypatch.setattr(labels, "resolve", lambda identifier: {"data": {}} if identifier == known else None)
    assert client.get("/id/").status_code == 200
    for typed in (known, f"  {known} ", f"https://labels.example.cn/id/{known}"):
        response = client.get("/id/", {"identifier": typed})
        assert response.status_code == 302 and response.url == f"/id/{known}", typed


@pytest.mark.parametrize("typed", ["88.888.8888/E2025-NOTISSUED00", "not an identifier", "\x00/../", "x" * 5000])
def test_an_unknown_or_malformed_identifier_is_a_plain_not_found(client, english, typed):
    response = client.get("/id/", {"identifier": typed})
    assert response.status_code == 404
    assert "No label with this identifier" in text(response)
