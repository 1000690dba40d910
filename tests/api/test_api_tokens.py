"""API tokens (django-rest-knox): stored hashed, expiring, listed and revoked by their owner,
revoked on logout and on a password change; `Authorization: Token <token>` as CONTRACTS.md §4."""

import datetime

import pytest
from django.test import TestCase
from django.utils import timezone
from knox.models import AuthToken

from tests.workflows.support import Api, login, user

pytestmark = pytest.mark.django_db


def issued(demo, username="officer_a"):
    response = Api().post("auth/token", {"username": username, "password": demo["users"][username]["password"]})
    assert response.status_code == 200, response.json()
    return response.json()


def test_the_token_is_stored_only_as_a_digest_and_expires(demo, settings):
    body = issued(demo)
    token = body["token"]
    [row] = AuthToken.objects.filter(user=user("officer_a"))
    assert token not in (row.digest, row.token_key) and len(row.digest) == 128
    assert body["id"] == row.token_key and token.startswith(row.token_key)
    expected = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    assert abs((row.expiry - expected).total_seconds()) < 60
    assert body["expiry"]
    assert Api(token).get("inventories").status_code == 200


def test_an_expired_token_is_refused(demo):
    token = issued(demo)["token"]
    AuthToken.objects.filter(user=user("officer_a")).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert Api(token).get("inventories").status_code == 401
    assert not AuthToken.objects.filter(user=user("officer_a")).exists()  # knox removes it


def test_tokens_are_listed_without_the_token(demo):
    first, second = issued(demo), issued(demo)
    issued(demo, "officer_b")
    response = Api(second["token"]).get("auth/tokens")
    assert response.status_code == 200
    rows = response.json()
    assert {row["id"] for row in rows} == {first["id"], second["id"]}
    assert {row["id"]: row["current"] for row in rows} == {first["id"]: False, second["id"]: True}
    assert set(rows[0]) == {"id", "created", "expiry", "current"}
    assert first["token"] not in response.content.decode() and second["token"] not in response.content.decode()


def test_a_token_is_revoked_by_its_owner_only(demo):
    mine, other = issued(demo), issued(demo, "officer_b")
    assert Api(other["token"]).client.delete(f"/api/v1/auth/tokens/{mine['id']}").status_code == 404
    api = Api(mine["token"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        kept = issued(demo)
        assert api.client.delete(f"/api/v1/auth/tokens/{kept['id']}").status_code == 204
    assert Api(kept["token"]).get("inventories").status_code == 401
    assert api.get("inventories").status_code == 200


def test_logout_revokes_the_token_in_use(demo):
    token, other = issued(demo)["token"], issued(demo)["token"]
    assert Api(token).post("auth/logout").status_code == 204
    assert Api(token).get("inventories").status_code == 401
    assert Api(other).get("inventories").status_code == 200


def test_logout_all_revokes_every_token(demo):
    tokens = [issued(demo)["token"] for _n in range(3)]
    response = Api(tokens[0]).post("auth/logout-all")
    assert response.status_code == 200 and response.json() == {"revoked": 3}
    assert all(Api(token).get("inventories").status_code == 401 for token in tokens)


def test_a_password_change_revokes_every_token_of_the_user(demo, settings):
    settings.API_READ_CACHE_SECONDS = 30  # the cached token must not outlive the change either
    officer, other = login(demo, "officer_a"), login(demo, "officer_b")
    assert officer.get("inventories").status_code == 200
    person = user("officer_a")
    with TestCase.captureOnCommitCallbacks(execute=True):
        person.set_password("A new and long passphrase 42")
        person.save()
    assert not AuthToken.objects.filter(user=person).exists()
    assert officer.get("inventories").status_code == 401
    assert other.get("inventories").status_code == 200


def test_saving_a_user_without_changing_the_password_keeps_the_tokens(demo):
    officer = login(demo, "officer_a")
    person = user("officer_a")
    person.first_name = "Changed"
    person.save()
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    assert officer.get("inventories").status_code == 200


def test_device_keys_have_no_tokens_to_manage(demo):
    device = Api()
    device.client.credentials(HTTP_AUTHORIZATION=f"Device {demo['device_keys']['A']}")
    assert device.get("auth/tokens").status_code in (401, 403)  # device keys work on their own endpoints only
