"""POST /api/v1/auth/token: password, plus a one-time password for the roles that need MFA;
throttled by django-axes."""

import pytest
from django.test import override_settings

from tests.workflows.support import Api, totp

pytestmark = pytest.mark.django_db


def token_request(username, password, otp=None):
    payload = {"username": username, "password": password}
    if otp is not None:
        payload["otp"] = otp
    return Api().post("auth/token", payload)


def test_an_enterprise_officer_logs_in_with_the_password(demo):
    response = token_request("officer_a", demo["users"]["officer_a"]["password"])
    assert response.status_code == 200
    token = response.json()["token"]
    assert Api(token).get("inventories").status_code == 200


@pytest.mark.parametrize("username", ["verifier_1", "gov_1", "admin"])
def test_mfa_roles_need_the_one_time_password(demo, username):
    credentials = demo["users"][username]
    missing = token_request(username, credentials["password"])
    assert missing.status_code == 400
    assert missing.json()["code"] == "otp_required"
    assert "one-time password" in missing.json()["detail"]
    ok = token_request(username, credentials["password"], totp(credentials["totp_secret"]))
    assert ok.status_code == 200 and ok.json()["token"]


def test_a_wrong_one_time_password_is_refused(demo):
    credentials = demo["users"]["verifier_1"]
    good = totp(credentials["totp_secret"])
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = token_request("verifier_1", credentials["password"], wrong)
    assert response.status_code == 400
    assert response.json()["code"] == "otp_invalid"


def test_a_one_time_password_cannot_be_replayed(demo):
    credentials = demo["users"]["gov_1"]
    code = totp(credentials["totp_secret"])
    assert token_request("gov_1", credentials["password"], code).status_code == 200
    replay = token_request("gov_1", credentials["password"], code)
    assert replay.status_code == 400 and replay.json()["code"] == "otp_invalid"


def test_a_wrong_password_is_refused_without_saying_which_part(demo):
    response = token_request("officer_a", "not-the-password")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert token_request("nobody", "whatever").json()["code"] == "invalid_credentials"


def test_missing_fields_are_a_bad_request(demo):
    assert Api().post("auth/token", {"username": "officer_a"}).status_code == 400


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_out(demo):
    for _attempt in range(3):
        token_request("officer_a", "wrong-password")
    locked = token_request("officer_a", demo["users"]["officer_a"]["password"])
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"


@override_settings(AXES_FAILURE_LIMIT=2)
def test_wrong_one_time_passwords_count_towards_the_lockout(demo):
    credentials = demo["users"]["admin"]
    for _attempt in range(2):
        token_request("admin", credentials["password"], "000000")
    response = token_request("admin", credentials["password"], totp(credentials["totp_secret"]))
    assert response.status_code == 429


def test_a_session_of_an_mfa_user_without_otp_is_not_enough_for_the_api(demo, client):
    from carbon_portal.accounts.models import User

    client.force_login(User.objects.get(username="verifier_1"))
    response = client.get("/api/v1/engagements")
    assert response.status_code == 403
    client.force_login(User.objects.get(username="officer_a"))
    assert client.get("/api/v1/engagements").status_code == 200


def test_anonymous_requests_are_unauthorised(demo):
    assert Api().get("inventories").status_code == 401
    assert Api().get("engagements").status_code == 401
