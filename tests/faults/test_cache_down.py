"""The cache (Redis) is down: the portal degrades, it never fails (carbon_portal/core/cache_health.py).

CACHE_URL points at a closed port: every cache call fails at once, as when Redis is stopped.
Each write is answered as usual and stored once; reads come from the database.
"""

import logging

import pytest
from django.core.cache import cache

from carbon_portal.core import cache_health, data_generation
from inventories.models import ActivityRecord, Inventory
from tests.login import log_in
from tests.workflows.support import login
from workflows.models import Notification, TransitionLog

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:6390/0"  # nothing listens here
DIESEL = {"category": "fuel_combustion", "fuel": "diesel", "quantity": "1500", "unit": "L",
          "description": "Forklift diesel"}


@pytest.fixture
def cache_down(settings, demo):
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django_redis.cache.RedisCache", "LOCATION": CLOSED_PORT,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}}}
    settings.API_READ_CACHE_SECONDS = 30  # the read cache and the data generation in use
    settings.THROTTLE_WRITE_RATE = settings.THROTTLE_TOKEN_RATE = settings.THROTTLE_LOGIN_RATE = "600/min"
    cache_health.reset()
    yield demo
    cache_health.reset()


def _open_inventory(demo):
    inventory = Inventory.objects.get(enterprise__name__isnull=False, year=2025)
    if inventory.status != "collecting":
        Inventory.objects.filter(pk=inventory.pk).update(status="collecting")
    return inventory


def test_the_cache_really_is_down(cache_down):
    assert cache.add("probe", 1) is None  # django-redis bypassed the connection error
    assert data_generation.current() is None  # no generation to trust: reads are computed


def test_api_token_login_writes_and_calculate_without_the_cache(cache_down, django_capture_on_commit_callbacks):
    inventory = _open_inventory(cache_down)
    officer = login(cache_down, "officer_a")  # POST /api/v1/auth/token
    before = ActivityRecord.objects.filter(inventory=inventory).count()
    assert officer.get("inventories").status_code == 200
    response = officer.post(f"inventories/{inventory.pk}/activity", DIESEL)
    assert response.status_code == 201, response.content[:300]
    assert ActivityRecord.objects.filter(inventory=inventory).count() == before + 1
    assert officer.get(f"inventories/{inventory.pk}").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = officer.transition(inventory.pk, "calculate")
    assert response.status_code == 200, response.content[:300]
    assert Inventory.objects.get(pk=inventory.pk).status == "calculated"
    entry = TransitionLog.objects.filter(inventory_id=inventory.pk, name="calculate").latest("id")
    # the notices go through the outbox: delivered, once
    from carbon_portal.core.models import OutboxMessage
    message = OutboxMessage.objects.get(topic="workflows.notify", payload__entry_id=entry.pk)
    assert message.delivered_at is not None
    notices = list(Notification.objects.filter(inventory=inventory, verb="calculate", created_at__gte=entry.created_at))
    assert len(notices) == len({notice.recipient_id for notice in notices})


def test_portal_login_and_activity_form_without_the_cache(cache_down, client):
    inventory = _open_inventory(cache_down)
    log_in(client, cache_down, "officer_a")
    from django.urls import reverse
    url = reverse("site:activity_add", args=[inventory.pk])
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"] and __import__("re").search(
        r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    before = ActivityRecord.objects.filter(inventory=inventory).count()
    line = {"category": "fuel_combustion", "fuel": "diesel", "quantity": "1500", "unit": "L",
            "description": "Forklift diesel", "form_token": token}
    first = client.post(url, line)
    assert first.status_code == 302
    again = client.post(url, line)  # the user's retry
    assert again.status_code == 302 and again.url == first.url
    assert ActivityRecord.objects.filter(inventory=inventory).count() == before + 1


def test_cache_errors_are_logged_once_a_minute(cache_down, caplog):
    with caplog.at_level(logging.WARNING, logger=cache_health.LOGGER_NAME):
        for number in range(20):
            cache.get(f"key-{number}")
    records = [r for r in caplog.records if r.name == cache_health.LOGGER_NAME]
    assert len(records) <= 1
    assert cache_health.failed_within(60)
