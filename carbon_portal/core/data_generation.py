"""The data generation: a counter, kept in the default cache, that every committed write of the
portal's models advances (model signals, plus `data_changed()` from the bulk writes that send
none). Readers that keep answers (the API's read cache) key them by it, so after any write
every read is computed afresh. Off while `API_READ_CACHE_SECONDS` is 0 (nobody keeps answers).

Without the cache (Redis down, or failing in the last API_READ_CACHE_SECONDS: cache_health) there
is no generation (`current()` is None) and readers compute every answer: an advance may have been
lost, so an answer kept before the outage could be stale. An advance that failed is made again by
the next `current()` that reaches the cache.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import cache_health

GENERATION_KEY = "portal:api:data-generation"
# Writes that never change what is read: sessions, log-in attempts, admin history, the security log.
IGNORED_APPS = frozenset({"sessions", "axes", "admin", "security"})


def enabled() -> bool:
    return settings.API_READ_CACHE_SECONDS > 0


def current() -> int | None:
    """The generation now (started if the cache has none); None when the cache cannot be relied on
    (unavailable now or lately): then nobody may serve a kept answer."""
    global _advance_lost
    if cache_health.failed_within(settings.API_READ_CACHE_SECONDS):
        return None
    if _advance_lost:
        _advance_lost = False
        _advance()
    value = cache.get(GENERATION_KEY)
    if value is None:
        if cache.add(GENERATION_KEY, _fresh_generation(), timeout=None) is None:  # django-redis: error bypassed
            return None
        value = cache.get(GENERATION_KEY)
    if value is None or cache_health.failed_within(settings.API_READ_CACHE_SECONDS):
        return None
    return value


def data_changed() -> None:
    """Call after a write that sends no model signal (bulk_create, QuerySet.update, raw SQL);
    takes effect when the transaction commits."""
    if enabled():
        transaction.on_commit(_advance)


def _fresh_generation() -> int:
    """A start above any generation used before a restart of the cache (Redis keeps nothing):
    the clock in microseconds, which writes never outrun by one a microsecond."""
    return time.time_ns() // 1000


_advance_lost = False  # an advance of this process did not reach the cache


def _advance() -> None:
    global _advance_lost
    try:
        advanced = cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, or the cache restarted)
        advanced = cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
    if advanced is None:  # django-redis bypassed an error: make it again once the cache answers
        _advance_lost = True


def _on_write(sender, **kwargs) -> None:
    if sender._meta.app_label not in IGNORED_APPS:
        data_changed()


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"data_generation.{signal!r}")
