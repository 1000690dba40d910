"""Password change and reset by e-mail for every user; a reset never skips the second factor."""

import re

import pytest
from django.core import mail
from django.test import Client

from carbon_portal.accounts.models import User
from tests.login import log_in, password_step, totp_now

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kiln-gas-meter-2025!"


def reset_link(client, email: str) -> str:
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/sent/"
    [message] = mail.outbox
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)


def test_an_officer_changes_the_password(demo):
    client = Client()
    log_in(client, demo, "officer_a")
    response = client.post("/accounts/password/change/", {
        "old_password": demo["users"]["officer_a"]["password"], "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/password/change/done/"
    assert client.get("/portal/").status_code == 200  # this session stays
    assert User.objects.get(username="officer_a").check_password(NEW_PASSWORD)


@pytest.mark.parametrize("weak", ["short-Pw1", "password1234", "123456789012345"])
def test_weak_passwords_are_refused(demo, weak):
    client = Client()
    log_in(client, demo, "officer_a")
    response = client.post("/accounts/password/change/", {
        "old_password": demo["users"]["officer_a"]["password"], "new_password1": weak, "new_password2": weak})
    assert response.status_code == 200 and "new_password2" in response.context["form"].errors
    assert User.objects.get(username="officer_a").check_password(demo["users"]["officer_a"]["password"])


def test_the_change_page_needs_the_second_factor(demo):
    client = Client()
    client.force_login(User.objects.get(username="verifier_1"))
    assert client.get("/accounts/password/change/").url.startswith("/accounts/login/")


def test_a_reset_by_email_sets_the_password_and_still_asks_for_the_totp(demo):
    client = Client()
    page = client.get(reset_link(client, "gov_1@demo.carbon-portal.local"), follow=True)
    assert page.status_code == 200 and page.context["validlink"]
    response = client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/complete/"
    assert "_auth_user_id" not in client.session  # a reset never logs in
    assert client.get("/portal/").status_code == 302
    demo["users"]["gov_1"]["password"] = NEW_PASSWORD
    response = password_step(client, demo, "gov_1")
    assert response.url == "/accounts/login/otp/"
    assert client.get("/portal/").status_code == 302
    client.post("/accounts/login/otp/", {"token": totp_now(demo["users"]["gov_1"]["totp_secret"])})
    assert client.get("/portal/").status_code == 200


def test_a_reset_link_works_once(demo):
    client = Client()
    link = reset_link(client, "officer_b@demo.carbon-portal.local")
    page = client.get(link, follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert client.get(link, follow=True).context["validlink"] is False


def test_an_unknown_address_gets_the_same_answer_and_no_mail(demo):
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response.url == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_the_pages_speak_chinese(demo):
    client = Client()
    assert "重置密码" in client.get("/accounts/password/reset/").content.decode()
    assert "忘记密码" in client.get("/accounts/login/").content.decode()


def test_an_account_without_a_password_yet_can_ask_for_a_new_link_but_not_a_deactivated_one(demo):
    """An approved applicant whose first e-mail expired sets a password through "Forgot your password?"."""
    applicant = User.objects.create_user("new-applicant", "applicant@example.com")  # no password: unusable
    assert not applicant.has_usable_password()
    client = Client()
    page = client.get(reset_link(client, "APPLICANT@example.com"), follow=True)
    assert page.context["validlink"]
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)
    mail.outbox.clear()
    User.objects.filter(pk=applicant.pk).update(is_active=False)
    Client().post("/accounts/password/reset/", {"email": "applicant@example.com"})
    assert mail.outbox == []
