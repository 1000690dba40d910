"""An authenticator is set up only with an out-of-band enrolment code from an administrator:
single-use, expiring, stored hashed; the password alone never shows a secret."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from carbon_portal.accounts import mfa
from carbon_portal.accounts.models import EnrolmentCode, User
from tests.login import enrol, log_in, password_step, totp_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov_without_device(demo):
    TOTPDevice.objects.filter(user__username="gov_1").delete()
    return User.objects.get(username="gov_1")


def issue(username, *args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("issue_enrolment_code", username, "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_without_a_code_the_user_is_told_to_ask_the_administrator(client, demo, gov_without_device):
    password_step(client, demo, "gov_1")
    page = client.get("/accounts/login/otp/")
    text = page.content.decode()
    assert "请向管理员索取注册码" in text
    assert "<svg" not in text and "secret" not in page.context
    assert client.get("/portal/").status_code == 302
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    password_step(english, demo, "gov_1")
    assert "Ask your administrator for an enrolment code" in english.get("/accounts/login/otp/").content.decode()


def test_a_valid_code_shows_the_secret_and_the_first_totp_confirms_it(client, demo, gov_without_device):
    code = issue("gov_1")["code"]
    secret, recovery_codes = enrol(client, demo, "gov_1", code)
    device = TOTPDevice.objects.get(user=gov_without_device)
    assert device.confirmed and mfa.base32_secret(device) == secret
    assert len(recovery_codes) == 10 and len(set(recovery_codes)) == 10
    assert client.get("/portal/").status_code == 200
    # From now on the log-in asks for the code of that authenticator (a later code: each is used once).
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=device.last_t - 1)
    other = Client()
    password_step(other, demo, "gov_1")
    assert other.post("/accounts/login/otp/", {"token": totp_now(secret)}).status_code == 302
    assert other.get("/portal/").status_code == 200


def test_a_wrong_code_shows_nothing_and_makes_no_device(client, demo, gov_without_device):
    issue("gov_1")
    password_step(client, demo, "gov_1")
    response = client.post("/accounts/login/otp/", {"code": "ABCD-EFGH-JKLM-NPQR"})
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert "secret" not in response.context
    assert not TOTPDevice.objects.filter(user=gov_without_device).exists()
    # Nor does a TOTP sent without having given a code.
    assert client.post("/accounts/login/otp/", {"token": "123456"}).status_code == 200
    assert client.get("/portal/").status_code == 302


def test_a_code_works_once(demo, gov_without_device):
    code = issue("gov_1")["code"]
    enrol(Client(), demo, "gov_1", code)
    TOTPDevice.objects.filter(user=gov_without_device).delete()
    client = Client()
    password_step(client, demo, "gov_1")
    response = client.post("/accounts/login/otp/", {"code": code})
    assert response.status_code == 200 and "code" in response.context["form"].errors


def test_an_expired_code_is_refused(client, demo, gov_without_device):
    answer = issue("gov_1")
    expires_at = datetime.datetime.fromisoformat(answer["expires_at"])
    assert abs(expires_at - timezone.now() - datetime.timedelta(hours=24)) < datetime.timedelta(minutes=1)
    EnrolmentCode.objects.filter(user=gov_without_device).update(expires_at=timezone.now() - datetime.timedelta(1))
    password_step(client, demo, "gov_1")
    response = client.post("/accounts/login/otp/", {"code": answer["code"]})
    assert "code" in response.context["form"].errors


def test_the_validity_is_a_setting(demo, gov_without_device, settings):
    settings.MFA_ENROLMENT_CODE_HOURS = 2
    expires_at = datetime.datetime.fromisoformat(issue("gov_1")["expires_at"])
    assert abs(expires_at - timezone.now() - datetime.timedelta(hours=2)) < datetime.timedelta(minutes=1)


def test_codes_are_stored_hashed_and_a_new_one_replaces_the_old(demo, gov_without_device):
    first = issue("gov_1")["code"]
    second = issue("gov_1")["code"]
    stored = list(EnrolmentCode.objects.filter(user=gov_without_device).values_list("code_hash", flat=True))
    assert len(stored) == 1 and first not in stored[0] and second not in stored[0]
    assert not mfa.redeem_enrolment_code(gov_without_device, first)
    assert mfa.redeem_enrolment_code(gov_without_device, second.lower().replace("-", " "))


def test_a_code_belongs_to_its_user(client, demo):
    TOTPDevice.objects.filter(user__username__in=["gov_1", "verifier_1"]).delete()
    code = issue("verifier_1")["code"]
    password_step(client, demo, "gov_1")
    assert "code" in client.post("/accounts/login/otp/", {"code": code}).context["form"].errors


def test_the_command_refuses_bad_input(demo):
    with pytest.raises(CommandError, match="No active user"):
        issue("nobody")
    with pytest.raises(CommandError, match="--reset"):
        issue("gov_1")  # has an authenticator already
    with pytest.raises(CommandError):
        issue("gov_1", "--reset", "--hours", "0")
    assert EnrolmentCode.objects.count() == 0
    assert TOTPDevice.objects.filter(user__username="gov_1", confirmed=True).exists()


def test_reset_replaces_a_lost_authenticator(demo):
    code = issue("gov_1", "--reset")["code"]
    assert not TOTPDevice.objects.filter(user__username="gov_1").exists()
    secret, _codes = enrol(Client(), demo, "gov_1", code)
    assert secret != demo["users"]["gov_1"]["totp_secret"]


def test_an_administrator_issues_a_code_in_the_django_admin(demo, gov_without_device):
    admin = Client()
    log_in(admin, demo, "admin")
    response = admin.post("/django-admin/accounts/user/", {
        "action": "issue_enrolment_code", "_selected_action": [gov_without_device.pk]}, follow=True)
    [message] = [str(message) for message in response.context["messages"]]
    code = re.search(r"[A-Z0-9]{4}(?:-[A-Z0-9]{4}){3}", message).group()
    enrol(Client(), demo, "gov_1", code)
    assert EnrolmentCode.objects.get(user=gov_without_device).issued_by.username == "admin"


def test_only_administrators_issue_codes(demo, gov_without_device):
    verifier = Client()
    log_in(verifier, demo, "verifier_1")
    response = verifier.post("/django-admin/accounts/user/", {
        "action": "issue_enrolment_code", "_selected_action": [gov_without_device.pk]})
    assert response.status_code in (302, 403)
    assert not EnrolmentCode.objects.exists()
