"""Session lifetime (idle timeout, absolute age) and fresh re-authentication before consequential
steps in the portal (certify, label revoke/suspend, user administration)."""

import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from carbon_portal.accounts import reauth, sessions
from tests.login import log_in, totp_now
from tests.workflows.support import advance, new_inventory

pytestmark = pytest.mark.django_db


def age(client, **keys_seconds_ago):
    session = client.session
    for key, seconds in keys_seconds_ago.items():
        session[key] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_is_signed_out(client, demo, settings):
    log_in(client, demo, "officer_a")
    assert client.get("/portal/").status_code == 200
    age(client, **{sessions.LAST_SEEN_AT: settings.SESSION_IDLE_TIMEOUT_SECONDS - 30})
    assert client.get("/portal/").status_code == 200  # still within the timeout: kept, and noted
    assert int(time.time()) - client.session[sessions.LAST_SEEN_AT] < 5
    age(client, **{sessions.LAST_SEEN_AT: settings.SESSION_IDLE_TIMEOUT_SECONDS + 1})
    response = client.get("/portal/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_session_ends_after_its_absolute_lifetime(client, demo, settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    log_in(client, demo, "officer_a")
    age(client, **{sessions.SIGNED_IN_AT: settings.SESSION_COOKIE_AGE + 1, sessions.LAST_SEEN_AT: 10})
    assert client.get("/portal/").status_code == 302


def _reset_totp(username):
    TOTPDevice.objects.filter(user__username=username).update(last_t=-1)  # the sign-in's code may be used again


def test_certify_without_a_fresh_sign_in_is_sent_to_reauthenticate(client, demo, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    inventory = advance(new_inventory(), "verified")
    log_in(client, demo, "admin")
    age(client, **{reauth.FRESH_AT: settings.REAUTH_MAX_AGE_MINUTES * 60 + 1})
    url = f"/portal/verification/{inventory.engagements.order_by('-pk').first().pk}/transitions/certify/"
    response = client.post(url, {"comment": "ok"}, HTTP_REFERER="http://testserver/portal/")
    assert response.status_code == 302 and response.url.startswith("/accounts/reauth/?next=")
    inventory.refresh_from_db()
    assert inventory.status == "verified"
    page = client.get(response.url)
    assert page.status_code == 200 and "otp" in page.context["form"].fields
    wrong = client.post("/accounts/reauth/", {"password": "not it", "otp": "000000", "next": "/portal/"})
    assert wrong.status_code == 400
    _reset_totp("admin")
    done = client.post("/accounts/reauth/", {"password": demo["users"]["admin"]["password"],
                                             "otp": totp_now(demo["users"]["admin"]["totp_secret"]),
                                             "next": "/portal/"})
    assert done.status_code == 302 and done.url == "/portal/"
    again = client.post(url, {"comment": "ok"})
    assert not (again.status_code == 302 and again.url.startswith("/accounts/reauth/"))


def test_signing_in_counts_as_fresh(client, demo):
    log_in(client, demo, "officer_a")
    assert reauth.is_fresh(type("R", (), {"session": client.session})())


def test_user_administration_wants_a_fresh_sign_in(client, demo, settings):
    log_in(client, demo, "admin")
    from carbon_portal.accounts.models import User

    officer = User.objects.get(username="officer_a")
    assert client.get(f"/django-admin/accounts/user/{officer.pk}/change/").status_code == 200
    assert client.get("/django-admin/accounts/membership/").status_code == 200
    age(client, **{reauth.FRESH_AT: settings.REAUTH_MAX_AGE_MINUTES * 60 + 1})
    stale = client.get(f"/django-admin/accounts/user/{officer.pk}/change/")
    assert stale.status_code == 302 and stale.url.startswith("/accounts/reauth/")
    assert client.get("/django-admin/accounts/membership/").status_code == 200  # the list is free to look at
    assert client.get("/django-admin/accounts/membership/add/").url.startswith("/accounts/reauth/")
