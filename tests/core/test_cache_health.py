"""Deleting cache keys: only django-redis's bypassed error counts as "the cache did not take it"."""

import pytest
from django.core.cache import cache, caches

from carbon_portal.core import cache_health
from carbon_portal.core.models import OutboxMessage


def test_django_own_backends_take_a_deletion_although_they_answer_none(settings):
    cache.set("portal:test:kept", 1)
    backend = caches["default"]
    answer = backend.delete_many(["portal:test:kept"])
    assert answer is not None if "django_redis" in type(backend).__module__ else answer is None
    cache.set("portal:test:kept", 1)
    assert cache_health.delete_keys(["portal:test:kept"]) is True
    assert cache.get("portal:test:kept") is None


def test_a_bypassed_redis_error_is_a_deletion_not_taken(monkeypatch):
    class BypassingRedisCache:
        __module__ = "django_redis.cache"

        def delete_many(self, keys):
            return None  # what django-redis answers when it ignored a connection error

    caches["default"]  # created, so that the patch replaces it and its undo restores it
    monkeypatch.setattr(caches._connections, "default", BypassingRedisCache())
    assert cache_health.delete_keys(["portal:test:kept"]) is False


@pytest.mark.django_db
def test_invalidating_a_label_with_a_working_cache_leaves_nothing_to_retry(django_capture_on_commit_callbacks):
    from certificates.resolution import invalidate

    with django_capture_on_commit_callbacks(execute=True):
        invalidate("88.888.8888/E2025-7K3M9QX2PAHD")
    assert not OutboxMessage.objects.exists()
