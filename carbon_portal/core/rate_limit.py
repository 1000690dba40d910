"""Counting requests per client in fixed windows of the default cache (shared by every serving
process when it is Redis): the one limiter behind the portal's sign-in throttle and the API's
throttles. A rate is written "<count>/<period>" with the period second, minute, hour or day
(or any word starting s, m, h, d: "20/min"); an empty rate is no limit. Without the cache
(Redis down) nothing is counted and every request is let through: the portal keeps working.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(rate: str | None) -> Rate | None:
    """`Rate` for "20/min", None for an empty rate; ValueError for one that cannot be read."""
    if not rate or not str(rate).strip():
        return None
    count, _slash, period = str(rate).strip().partition("/")
    period = period.strip().lower()
    seconds = PERIODS.get(period[:1])
    if seconds is None or not count.strip().isdigit():
        raise ValueError(f"cannot read the rate {rate!r}: write it as <count>/<second|minute|hour|day>")
    return Rate(int(count), seconds)


def hit(scope: str, ident: str, rate: str | None) -> int:
    """Count one request of `ident` in `scope`; 0 when it is within the rate, else the seconds to
    wait before the next window opens (at least 1)."""
    parsed = parse_rate(rate)
    if parsed is None:
        return 0
    now = time.time()
    window = int(now // parsed.seconds)
    key = f"portal:rate:{scope}:{ident}:{window}"
    cache.add(key, 0, timeout=parsed.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 1, timeout=parsed.seconds + 1)
        count = 1
    if count is None:  # the cache is down (django-redis bypassed the error): nothing to count with
        return 0
    if count <= parsed.count:
        return 0
    return max(1, int((window + 1) * parsed.seconds - now + 0.999))
