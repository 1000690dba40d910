"""Working without the shared cache (Redis): its errors are bypassed, logged at most once a minute,
and remembered for a while so that nothing kept in a cache is trusted right after an outage.

django-redis bypasses the errors itself (DJANGO_REDIS_IGNORE_EXCEPTIONS: a read finds nothing, a
write is dropped) and logs each one on the logger named by DJANGO_REDIS_LOGGER
(``carbon_portal.cache``); `OncePerMinute`, attached to that logger in LOGGING, lets one record a
minute through and notes the time of every error (`failed_within`). Code that keeps answers or
counters in the cache asks `failed_within(seconds)` and reads the database instead while it is
true: an answer kept before or during the outage may be stale (an invalidation that never reached
Redis), so it is not served until it has expired anyway.
"""

from __future__ import annotations

import logging
import threading
import time

LOGGER_NAME = "carbon_portal.cache"
LOG_INTERVAL_SECONDS = 60

_lock = threading.Lock()
_last_error = None  # time.monotonic() of the last cache error seen by this process


def record_error() -> None:
    global _last_error
    with _lock:
        _last_error = time.monotonic()


def failed_within(seconds: float) -> bool:
    """Has this process seen a cache error in the last `seconds` seconds?"""
    last = _last_error
    return last is not None and time.monotonic() - last < max(seconds, 0)


def reset() -> None:
    """Forget the errors seen (tests)."""
    global _last_error
    with _lock:
        _last_error = None


class OncePerMinute(logging.Filter):
    """A logger filter: every record counts as a cache error; one record per interval is logged,
    as one line saying how many errors were bypassed since the last one."""

    def __init__(self, interval: float = LOG_INTERVAL_SECONDS):
        super().__init__()
        self.interval = interval
        self._logged_at = None
        self._suppressed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        record_error()
        now = time.monotonic()
        with _lock:
            if self._logged_at is not None and now - self._logged_at < self.interval:
                self._suppressed += 1
                return False
            self._logged_at, suppressed, self._suppressed = now, self._suppressed, 0
        error = record.exc_info[1] if record.exc_info else None
        cause = getattr(error, "__cause__", None) or error
        record.msg = "the cache (Redis) is unavailable, working without it: %s (%d more errors bypassed in the last %ds)"
        record.args = (cause or record.getMessage(), suppressed, int(self.interval))
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True


def delete_keys(keys) -> bool:
    """Delete `keys` from the default cache; False when the cache could not take it (django-redis
    answers None only when it bypassed an error; Django's own backends always answer None)."""
    from django.core.cache import caches

    backend = caches["default"]  # the backend itself: `django.core.cache.cache` is a proxy
    deleted = backend.delete_many(keys)
    return deleted is not None or not _is_django_redis(backend)


def _is_django_redis(backend) -> bool:
    return type(backend).__module__.startswith("django_redis")
