"""The data generation: a counter, kept in the default cache, that every committed write of the
portal's models advances (model signals, plus `data_changed()` from the bulk writes that send
none). Readers that keep answers (the API's read cache) key them by it, so after any write
every read is computed afresh. Off while `API_READ_CACHE_SECONDS` is 0 (nobody keeps answers).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "portal:api:data-generation"
# Writes that never change what is read: sessions, log-in attempts, admin history, the security log.
IGNORED_APPS = frozenset({"sessions", "axes", "admin", "security"})


def enabled() -> bool:
    return settings.API_READ_CACHE_SECONDS > 0


def current() -> int:
    """The generation now (started if the cache has none)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
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


def _advance() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, or the cache restarted)
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)


def _on_write(sender, **kwargs) -> None:
    if sender._meta.app_label not in IGNORED_APPS:
        data_changed()


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"data_generation.{signal!r}")
