"""Rate limits of the API per client address (token endpoint) and per account (writes), and the
django-axes lockout keyed on username AND the real client address (TRUSTED_PROXIES)."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from carbon_portal.core import rate_limit
from tests.workflows.support import Api, login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def token_post(username, password, address="203.0.113.7", **extra):
    client = APIClient(REMOTE_ADDR=address, **extra)
    return client.post("/api/v1/auth/token", {"username": username, "password": password}, format="json")


def test_rates_are_read(settings):
    assert rate_limit.parse_rate("20/min") == rate_limit.Rate(20, 60)
    assert rate_limit.parse_rate("10/s") == rate_limit.Rate(10, 1)
    assert rate_limit.parse_rate("") is None
    with pytest.raises(ValueError):
        rate_limit.parse_rate("many/min")


def test_one_address_trying_many_usernames_gets_429(demo, settings):
    settings.THROTTLE_TOKEN_RATE = "10/min"
    answers = [token_post(f"user{n}", "wrong-password").status_code for n in range(40)]
    assert answers[:10] == [400] * 10
    assert set(answers[10:]) == {429}
    refused = token_post("officer_a", demo["users"]["officer_a"]["password"])
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled" and refused.json()["detail"]
    # Another address is counted on its own.
    assert token_post("officer_a", demo["users"]["officer_a"]["password"], "198.51.100.9").status_code == 200


@override_settings(TRUSTED_PROXIES=["10.0.0.1"], IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"))
def test_behind_the_trusted_proxy_each_client_is_counted_on_its_own(demo, settings):
    settings.THROTTLE_TOKEN_RATE = "3/hour"  # an hour: no window edge falls between the posts
    for _n in range(3):
        assert token_post("x", "y", "10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 400
    assert token_post("x", "y", "10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429
    assert token_post("x", "y", "10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 400
    # A forged header from an address that is not a trusted proxy changes nothing.
    for _n in range(3):
        token_post("x", "y", "192.0.2.50", HTTP_X_FORWARDED_FOR=f"192.0.2.{100 + _n}")
    assert token_post("x", "y", "192.0.2.50", HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3, TRUSTED_PROXIES=["10.0.0.1"],
                   IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"))
def test_a_lockout_is_per_username_and_address(demo):
    password = demo["users"]["officer_a"]["password"]
    for _n in range(3):
        token_post("officer_a", "wrong-password", "10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.66")
    locked = token_post("officer_a", password, "10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.66")
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out" and int(locked["Retry-After"]) > 0
    # The same user from another client behind the same proxy is not locked out.
    assert token_post("officer_a", password, "10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.77").status_code == 200


def test_writes_are_limited_per_user(demo, settings):
    settings.THROTTLE_WRITE_RATE = "2/min"
    officer, other = login(demo, "officer_a"), login(demo, "officer_b")
    answers = [officer.post("inventories", {"year": 2020 + n, "added_value_10k_yuan": "5000"}) for n in range(3)]
    assert [answer.status_code for answer in answers] == [201, 201, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert officer.get("inventories").status_code == 200  # reads are not counted
    assert other.post("inventories", {"year": 2020, "added_value_10k_yuan": "5000"}).status_code == 201


def test_device_writes_are_limited_per_key(demo, settings):
    settings.THROTTLE_DEVICE_RATE = "1/min"
    meter = demo["meters"]["A"][0]
    device = Api()
    device.client.credentials(HTTP_AUTHORIZATION=f"Device {demo['device_keys']['A']}")
    batch = {"readings": [{"meter": meter, "ts": "2025-01-01T00:00:00+08:00", "value": "1"}]}
    assert device.post("readings", batch).status_code in (200, 201)
    assert device.post("readings", batch).status_code == 429
