"""A cache of the API's busiest reads: the lists and the inventory detail that clients poll.

An answer is kept under the user, the language, the host and the full path, and under the data
generation (`carbon_portal.core.data_generation`): a counter that every committed write of the
portal's models advances. So nobody sees another user's
answer, and after a write every read is computed afresh. ``API_READ_CACHE_SECONDS`` (0 turns the
cache off) bounds how long a write made outside the ORM could go unseen.

The answers are kept in each process's memory (the ``api_reads`` cache: no network round trip,
a copy per read); the generation, read once per request, must be shared by every process that
serves the API, so the cache is on by default only with a shared default cache (Redis,
``CACHE_URL``). Only 200 answers are kept, rendered; each request still authenticates and is
checked for permission before the cache is asked.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.translation import get_language

from carbon_portal.core import data_generation

_UNREAD = object()


def generation(request) -> int | None:
    """The data generation, read once per request (authentication and the view share it); None
    without the cache (Redis down): then nothing is served from the read cache."""
    http_request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    value = getattr(http_request, "_data_generation", _UNREAD)
    if value is _UNREAD:
        value = http_request._data_generation = data_generation.current()
    return value


def _key(request, generation_now: int) -> str:
    identity = "|".join((str(request.user.pk), get_language() or "", request.get_host(), request.scheme,
                         request.get_full_path()))
    return f"portal:api:read:{generation_now}:{hashlib.sha256(identity.encode()).hexdigest()}"


def cached_read(get):
    """Decorate an APIView's ``get``: answer from the cache when the data has not changed.

    JSON answers are kept rendered, as bytes; an answer in another format (the browsable API) is
    computed every time.
    """

    @functools.wraps(get)
    def cached_get(view, request, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if not data_generation.enabled() or getattr(renderer, "format", None) != "json":
            return get(view, request, *args, **kwargs)
        generation_now = generation(request)
        if generation_now is None:  # no generation to trust: compute, never serve a kept answer
            return get(view, request, *args, **kwargs)
        key = _key(request, generation_now)
        answers = caches["api_reads"]
        kept = answers.get(key)
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = get(view, request, *args, **kwargs)
        if response.status_code == 200 and response.data is not None:
            content_type = f"{request.accepted_media_type}; charset={renderer.charset}" if renderer.charset \
                else request.accepted_media_type
            content = renderer.render(response.data, request.accepted_media_type,
                                      {"request": request, "response": response, "view": view})
            answers.set(key, (content, content_type), timeout=settings.API_READ_CACHE_SECONDS)
        return response

    return cached_get
