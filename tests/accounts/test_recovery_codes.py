"""Recovery codes (django-otp's static device): ten, issued when an authenticator is confirmed and
shown once, each accepted once in place of the one-time password, renewable after a TOTP."""

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from carbon_portal.accounts import mfa
from carbon_portal.accounts.models import User
from tests.login import enrol, log_in, password_step, totp_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifier_codes(demo):
    user = User.objects.get(username="verifier_1")
    mfa.reset_second_factor(user)
    code, _record = mfa.issue_enrolment_code(user)
    _secret, codes = enrol(Client(), demo, "verifier_1", code)
    return codes


def test_enrolment_shows_ten_codes_once(demo, verifier_codes):
    assert len(verifier_codes) == 10
    assert mfa.recovery_codes_left(User.objects.get(username="verifier_1")) == 10
    client = Client()
    log_in(client, demo, "admin")
    page = client.get("/accounts/security/").content.decode()
    assert not any(code in page for code in verifier_codes)


def test_a_recovery_code_logs_in_once(demo, verifier_codes):
    client = Client()
    password_step(client, demo, "verifier_1")
    response = client.post("/accounts/login/otp/", {"token": verifier_codes[0]})
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 200
    assert mfa.recovery_codes_left(User.objects.get(username="verifier_1")) == 9
    again = Client()
    password_step(again, demo, "verifier_1")
    response = again.post("/accounts/login/otp/", {"token": verifier_codes[0]})
    assert response.status_code == 200 and "token" in response.context["form"].errors
    assert again.get("/portal/").status_code == 302


def test_a_recovery_code_session_reaches_the_api(demo, verifier_codes):
    client = Client()
    password_step(client, demo, "verifier_1")
    client.post("/accounts/login/otp/", {"token": verifier_codes[1].upper()})
    assert client.get("/api/v1/engagements").status_code == 200


def test_codes_are_renewed_after_a_totp_on_the_account_page(demo, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = Client()
    log_in(client, demo, "gov_1")
    user = User.objects.get(username="gov_1")
    old = mfa.issue_recovery_codes(user)
    page = client.get("/accounts/security/")
    assert page.status_code == 200 and page.context["recovery_codes_left"] == 10
    response = client.post("/accounts/security/", {"token": "000000"})
    assert "token" in response.context["form"].errors
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == old
    device = TOTPDevice.objects.get(user=user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=device.last_t - 1)  # the login's code is used up
    response = client.post("/accounts/security/", {"token": totp_now(demo["users"]["gov_1"]["totp_secret"])})
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(new)


def test_the_account_page_needs_a_full_login(demo):
    assert Client().get("/accounts/security/").url.startswith("/accounts/login/")
    client = Client()
    client.force_login(User.objects.get(username="gov_1"))  # a password-only session
    assert client.get("/accounts/security/").url.startswith("/accounts/login/")
