import pytest

from carbon_portal.accounts.models import User
from tests.login import log_in


@pytest.mark.django_db
def test_home_page_is_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "碳效通" in html
    assert "碳核算、核查与碳标签" in html  # a template string, from the compiled translations
    assert 'name="language"' in html


@pytest.mark.django_db
def test_chinese_even_when_the_browser_asks_for_english(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html


@pytest.mark.django_db
def test_api_clients_keep_their_accept_language(client):
    response = client.post("/api/v1/auth/token", {"username": "nobody", "password": "x"},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_language_switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Carbon accounting, verification and labels" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "chinese", "english"), [("/methodology/", "核算方法", "Methodology"),
                                                           ("/help/", "快速开始", "Getting started")])
def test_methodology_and_help_pages_in_both_languages(client, path, chinese, english):
    assert chinese in client.get(path).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": path})
    assert english in client.get(path).content.decode()


@pytest.mark.django_db
def test_pages_reference_no_external_assets(client):
    html = client.get("/").content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


@pytest.mark.parametrize("path", ["/cms/", "/django-admin/"])
def test_admins_reachable_for_the_administrator(client, demo, path):
    assert client.get(path).status_code == 302  # to the login page
    log_in(client, demo, "admin")
    assert client.get(path).status_code == 200


def test_dashboard_lists_only_own_inventories(client, demo):
    client.force_login(User.objects.get(username="officer_b"))
    html = client.get("/portal/").content.decode()
    assert "杭州青山建材" not in html
    client.force_login(User.objects.get(username="officer_a"))
    html = client.get("/portal/").content.decode()
    assert "杭州青山建材" in html
