import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from carbon_portal.accounts.models import User
from tests.login import log_in, totp_now


def test_officer_logs_in_with_a_password_only(client, demo):
    response = log_in(client, demo, "officer_a")
    assert response.url == "/portal/"
    assert client.get("/portal/").status_code == 200


@pytest.mark.parametrize("username", ["verifier_1", "gov_1", "admin"])
def test_roles_with_mfa_need_the_totp_code(client, demo, username, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the throttle has its own test below
    response = client.post("/accounts/login/", {"username": username,
                                                "password": demo["users"][username]["password"]})
    assert response.url == "/accounts/login/otp/"
    # Not logged in yet: the portal sends them back to the log-in.
    assert client.get("/portal/").status_code == 302
    response = client.post("/accounts/login/otp/", {"token": "000000"})
    assert response.status_code == 200 and "token" in response.context["form"].errors
    response = client.post("/accounts/login/otp/", {"token": totp_now(demo["users"][username]["totp_secret"])})
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 200


def test_wrong_codes_throttle_the_device(client, demo):
    client.post("/accounts/login/", {"username": "gov_1", "password": demo["users"]["gov_1"]["password"]})
    client.post("/accounts/login/otp/", {"token": "000000"})
    # Right after a failure even the right code is refused (django-otp's exponential back-off).
    response = client.post("/accounts/login/otp/", {"token": totp_now(demo["users"]["gov_1"]["totp_secret"])})
    assert response.status_code == 200
    assert client.get("/portal/").status_code == 302


def test_a_session_without_the_second_factor_is_not_accepted(client, demo):
    client.force_login(User.objects.get(username="admin"))
    response = client.get("/django-admin/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_first_login_of_an_mfa_role_without_a_device_needs_an_enrolment_code(client, demo):
    """The password alone never shows a new secret (tests/accounts/test_enrolment.py has the rest)."""
    TOTPDevice.objects.filter(user__username="gov_1").delete()
    client.post("/accounts/login/", {"username": "gov_1", "password": demo["users"]["gov_1"]["password"]})
    page = client.get("/accounts/login/otp/").content.decode()
    assert "<svg" not in page and "otpauth" not in page
    assert not TOTPDevice.objects.filter(user__username="gov_1").exists()


def test_the_otp_step_without_a_password_goes_back_to_the_login(client, demo):
    assert client.get("/accounts/login/otp/").url == "/accounts/login/"


def test_repeated_wrong_passwords_lock_the_account(client, demo, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "officer_a", "password": "wrong password"})
    response = client.post("/accounts/login/", {"username": "officer_a",
                                                "password": demo["users"]["officer_a"]["password"]})
    assert response.status_code == 429
    assert client.get("/portal/").status_code == 302


def test_open_redirects_are_refused(client, demo):
    response = client.post("/accounts/login/?next=https://evil.example/", {
        "username": "officer_a", "password": demo["users"]["officer_a"]["password"]})
    assert response.url == "/portal/"
