"""`Idempotency-Key` for API writes: a retried POST/PUT/PATCH/DELETE is answered once.

A client that may retry a write (a timeout, a 5xx, a lost connection) sends a key of its choice
(`Idempotency-Key: <up to 255 characters>`). The first request with that key runs and its answer
(status, body) is stored for 24 hours; a second request with the same key, method, path and body
gets the stored answer without running the view again (header `Idempotent-Replayed: true`). The
same key with another method, path or body is refused with 422 (`idempotency_key_reused`); while
the first request still runs, 409 (`idempotency_key_in_progress`). A 5xx answer is not stored, so
the retry runs again. Requests without the header are untouched.

Keys belong to the credential that sent them: the signed-in user (session; the CSRF token is
checked first), or the API token / device key (`Authorization`, by its SHA-256). Only requests
that the view authenticated are stored.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.translation import gettext as _

from carbon_portal.core.models import IdempotencyKey

HEADER = "HTTP_IDEMPOTENCY_KEY"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEEP_FOR = datetime.timedelta(hours=24)
MAX_KEY_LENGTH = 255


def _error(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def _owner(request) -> str | None:
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        return "credential:" + hashlib.sha256(authorization.encode("utf-8", "replace")).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is not None:
            return None  # let the view refuse it
        return f"user:{user.pk}"
    return None


def _request_hash(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.META.get("CONTENT_TYPE", "").encode())
    digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def purge_expired() -> int:
    return IdempotencyKey.objects.filter(expires_at__lt=timezone.now()).delete()[0]


class IdempotencyKeyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER, "").strip()
        if not key or request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return _error(400, _("The Idempotency-Key header is longer than %(max)d characters.")
                          % {"max": MAX_KEY_LENGTH}, "idempotency_key_invalid")
        owner = _owner(request)
        if owner is None:
            return self.get_response(request)
        try:
            request_hash = _request_hash(request)
        except Exception:  # noqa: BLE001 - too big to keep in memory: the view answers it as usual
            return self.get_response(request)
        now = timezone.now()
        IdempotencyKey.objects.filter(owner=owner, key=key, expires_at__lt=now).delete()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(owner=owner, key=key, method=request.method,
                                                       path=request.get_full_path()[:2000], request_hash=request_hash,
                                                       created_at=now, expires_at=now + KEEP_FOR)
        except IntegrityError:
            return self._replay(owner, key, request, request_hash)
        try:
            response = self.get_response(request)
        except BaseException:
            record.delete()
            raise
        user = getattr(request, "user", None)  # DRF sets the user it authenticated on Django's request
        if response.status_code >= 500 or user is None or not user.is_authenticated or getattr(response, "streaming", False):
            record.delete()  # the retry runs again
            return response
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.body = bytes(response.content)
        record.save(update_fields=["status_code", "content_type", "body"])
        return response

    def _replay(self, owner, key, request, request_hash):
        record = IdempotencyKey.objects.filter(owner=owner, key=key).first()
        if record is None:  # expired and deleted meanwhile
            return _error(409, _("A request with this Idempotency-Key is in progress; retry in a moment."),
                          "idempotency_key_in_progress")
        if (record.method, record.path, record.request_hash) != (request.method, request.get_full_path()[:2000],
                                                                 request_hash):
            return _error(422, _("This Idempotency-Key was already used for a different request; "
                                 "use a new key for a new request."), "idempotency_key_reused")
        if record.status_code is None:
            return _error(409, _("A request with this Idempotency-Key is in progress; retry in a moment."),
                          "idempotency_key_in_progress")
        response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type or None)
        response["Idempotent-Replayed"] = "true"
        return response
