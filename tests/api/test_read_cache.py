"""The API's read cache: answers kept per user, language and path under the data generation,
which every committed write advances."""

import os

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpRequest
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from carbon_portal.api import read_cache
from carbon_portal.core import data_generation
from workflows.permissions import grant_enterprise_permissions
from workflows.services.notices import mark_all_notifications_read

from tests.workflows.support import Api, login, new_inventory, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def read_cache_on(settings):
    settings.API_READ_CACHE_SECONDS = 30
    cache.delete(data_generation.GENERATION_KEY)
    caches["api_reads"].clear()
    yield
    caches["api_reads"].clear()


def _queries(api, path):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return response.json(), len(queries)


def test_a_repeated_read_is_answered_without_the_database(demo):
    new_inventory()
    officer = login(demo, "officer_a")
    first, first_queries = _queries(officer, "inventories")
    again, again_queries = _queries(officer, "inventories")
    assert first_queries > 0
    assert again_queries == 0  # neither the token nor the rows
    assert again == first and first["count"] == 2


def test_a_committed_write_is_seen_at_once(demo):
    officer = login(demo, "officer_b")
    assert officer.get("inventories").json()["count"] == 0
    created = officer.post("inventories", {"year": 2024, "added_value_10k_yuan": "5000"})
    assert created.status_code == 201
    listed = officer.get("inventories").json()
    assert [row["id"] for row in listed["results"]] == [created.json()["id"]]
    detail = officer.get(f"inventories/{created.json()['id']}").json()
    assert detail["status"] == "draft"
    assert officer.post(f"inventories/{created.json()['id']}/transitions/open").status_code == 200
    assert officer.get(f"inventories/{created.json()['id']}").json()["status"] == "collecting"


def test_each_user_and_language_has_its_own_answer(demo):
    new_inventory()
    officer_a, officer_b = login(demo, "officer_a"), login(demo, "officer_b")
    assert officer_a.get("inventories").json()["count"] == 2
    assert officer_b.get("inventories").json()["count"] == 0
    english = officer_a.get("inventories").json()["results"][0]["status_display"]
    officer_a.client.credentials(HTTP_AUTHORIZATION=officer_a.client._credentials["HTTP_AUTHORIZATION"],
                                 HTTP_ACCEPT_LANGUAGE="zh-hans")
    chinese = officer_a.get("inventories").json()["results"][0]["status_display"]
    assert english != chinese and english.isascii() and not chinese.isascii()


def test_a_deleted_token_stops_working_when_the_deletion_commits(demo):
    officer = login(demo, "officer_a")
    assert officer.get("inventories").status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        for token in AuthToken.objects.filter(user=user("officer_a")):
            token.delete()
    assert officer.get("inventories").status_code == 401


def test_writes_that_send_no_signal_advance_the_generation_too(demo):
    inventory = new_inventory()
    officer = login(demo, "officer_a")
    officer.get("notifications")
    before = read_cache.generation(HttpRequest())
    with TestCase.captureOnCommitCallbacks(execute=True):
        mark_all_notifications_read(user=user("officer_a"))
    assert read_cache.generation(HttpRequest()) > before
    before = read_cache.generation(HttpRequest())
    with TestCase.captureOnCommitCallbacks(execute=True):
        grant_enterprise_permissions(inventory)
    assert read_cache.generation(HttpRequest()) > before


def test_errors_are_not_kept(demo):
    officer = login(demo, "officer_a")
    assert officer.get("inventories?year=abc").status_code == 400
    _answer, queries = _queries(officer, "inventories")
    assert queries > 0
    assert officer.get("inventories/999999").status_code == 404
    assert officer.get("inventories/999999").status_code == 404


def test_off_when_set_to_zero(demo, settings):
    settings.API_READ_CACHE_SECONDS = 0
    officer = login(demo, "officer_a")
    _queries(officer, "inventories")
    _answer, queries = _queries(officer, "inventories")
    assert queries > 0


@pytest.mark.skipif(not os.environ.get("CACHE_URL", "").startswith("redis://"),
                    reason="needs Redis (CACHE_URL), as .ci/run provides")
def test_the_redis_cache_keeps_one_connection_pool_and_client():
    from django_redis import get_redis_connection

    client = get_redis_connection("default")
    cache.set("portal:test:kept-client", {"a": 1}, timeout=5)
    assert cache.get("portal:test:kept-client") == {"a": 1}
    cache.set("portal:test:kept-client-counter", 1, timeout=5)
    assert cache.incr("portal:test:kept-client-counter") == 2
    cache.delete_many(["portal:test:kept-client", "portal:test:kept-client-counter"])
    # Every cache call goes through one client, on one connection pool for the whole process:
    # a second cache object for the alias (Django makes one per thread) shares that pool.
    assert get_redis_connection("default") is client
    other = caches.create_connection("default")
    assert get_redis_connection("default").connection_pool is client.connection_pool
    assert other.client.get_client(write=True).connection_pool is client.connection_pool
    assert other.client.get_client(write=False).connection_pool is client.connection_pool


def test_anonymous_requests_are_refused_before_the_cache(demo):
    new_inventory()
    login(demo, "officer_a").get("inventories")
    assert Api().get("inventories").status_code == 401


def test_a_kept_answer_is_the_same_json_and_other_formats_are_computed(demo):
    new_inventory()
    officer = login(demo, "officer_a")
    first = officer.client.get("/api/v1/inventories")
    again = officer.client.get("/api/v1/inventories")
    assert (again.content, again["Content-Type"]) == (first.content, first["Content-Type"])
    assert again["Content-Type"] == "application/json"
    with CaptureQueriesContext(connection) as queries:
        page = officer.client.get("/api/v1/inventories?format=api")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html") and len(queries) > 0


def test_a_restarted_cache_starts_above_every_earlier_generation(demo):
    before = read_cache.generation(HttpRequest())
    with TestCase.captureOnCommitCallbacks(execute=True):
        data_generation.data_changed()
    assert read_cache.generation(HttpRequest()) == before + 1
    cache.delete(data_generation.GENERATION_KEY)  # as after a Redis restart, which keeps nothing
    with TestCase.captureOnCommitCallbacks(execute=True):
        data_generation.data_changed()
    assert read_cache.generation(HttpRequest()) > before + 1
