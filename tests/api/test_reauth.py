"""Fresh re-authentication in the API: certify and label revoke/suspend want a token issued within
REAUTH_MAX_AGE_MINUTES, or the password (and second factor) sent with the request."""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from certificates.models import Label
from inventories.models import Inventory
from tests.workflows.support import advance, login, new_inventory, totp, user

pytestmark = pytest.mark.django_db


def make_stale(username, minutes):
    AuthToken.objects.filter(user=user(username)).update(created=timezone.now() - datetime.timedelta(minutes=minutes))


def test_certify_with_an_old_token_is_refused_until_the_password_is_given(demo, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    inventory = advance(new_inventory(), "verified")
    admin = login(demo, "admin")
    make_stale("admin", settings.REAUTH_MAX_AGE_MINUTES + 1)
    refused = admin.transition(inventory.pk, "certify")
    assert refused.status_code == 403 and refused.json()["code"] == "reauthentication_required"
    assert Inventory.objects.get(pk=inventory.pk).status == "verified"
    credentials = demo["users"]["admin"]
    admin.client.credentials(HTTP_AUTHORIZATION=admin.client._credentials["HTTP_AUTHORIZATION"],
                             HTTP_X_REAUTH_PASSWORD="wrong password")
    assert admin.transition(inventory.pk, "certify").json()["code"] == "reauthentication_required"
    TOTPDevice.objects.filter(user=user("admin")).update(last_t=-1)
    admin.client.credentials(HTTP_AUTHORIZATION=admin.client._credentials["HTTP_AUTHORIZATION"],
                             HTTP_X_REAUTH_PASSWORD=credentials["password"],
                             HTTP_X_REAUTH_OTP=totp(credentials["totp_secret"]))
    assert admin.transition(inventory.pk, "certify").status_code == 200
    assert Inventory.objects.get(pk=inventory.pk).status == "certified"


def test_certify_with_a_fresh_token_passes(demo):
    inventory = advance(new_inventory(), "verified")
    assert login(demo, "admin").transition(inventory.pk, "certify").status_code == 200


def test_revoking_a_label_wants_a_fresh_sign_in(demo, settings):
    inventory = advance(new_inventory(), "certified")
    label = Label.objects.filter(inventory=inventory).first()
    assert label is not None
    admin = login(demo, "admin")
    make_stale("admin", settings.REAUTH_MAX_AGE_MINUTES + 1)
    for action in ("suspend", "revoke"):
        refused = admin.post(f"labels/{label.identifier}/{action}", {"reason": "Test."})
        assert refused.status_code == 403, refused.content
        assert refused.json()["code"] == "reauthentication_required"
    TOTPDevice.objects.filter(user=user("admin")).update(last_t=-1)
    fresh = login(demo, "admin")
    assert fresh.post(f"labels/{label.identifier}/suspend", {"reason": "Test."}).status_code == 200
