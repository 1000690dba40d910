"""The portal's sign-in form: limited per client address (THROTTLE_LOGIN_RATE), whatever usernames
are tried; django-axes locks a username only from the address that failed."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def post_login(username, password, address, **extra):
    return Client(REMOTE_ADDR=address, **extra).post("/accounts/login/", {"username": username, "password": password})


def test_one_address_trying_40_usernames_gets_429(demo, settings):
    settings.THROTTLE_LOGIN_RATE = "20/min"
    answers = [post_login(f"user{n}", "wrong-password", "203.0.113.7") for n in range(40)]
    assert {answer.status_code for answer in answers[:20]} == {200}  # the form again, with the error
    assert {answer.status_code for answer in answers[20:]} == {429}
    refused = answers[-1]
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many sign-in attempts" in refused.content.decode() or "登录尝试" in refused.content.decode()
    # Someone else, from another address, signs in as usual.
    ok = post_login("officer_a", demo["users"]["officer_a"]["password"], "198.51.100.9")
    assert ok.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3, TRUSTED_PROXIES=["10.0.0.1"],
                   IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"))
def test_a_locked_username_is_locked_only_from_the_failing_address(demo):
    password = demo["users"]["officer_a"]["password"]
    for _n in range(3):
        post_login("officer_a", "wrong-password", "10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.66")
    locked = post_login("officer_a", password, "10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.66")
    assert locked.status_code == 429
    # Behind the same proxy, the real owner at another address is not locked out.
    assert post_login("officer_a", password, "10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.77").status_code == 302


def test_off_when_the_rate_is_empty(demo, settings):
    settings.THROTTLE_LOGIN_RATE = ""
    assert all(post_login(f"u{n}", "x", "203.0.113.8").status_code == 200 for n in range(25))
