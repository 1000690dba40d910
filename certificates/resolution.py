"""Public resolution of a label (docs/interfaces.md §4 and §6), cached.

The cache holds the public data of a label (the JSON body and what the page shows); it is
deleted on every status change, when a certificate is rendered, and it never outlives the day
the label expires on. With a shared cache (CACHE_URL=redis://...) every web process sees the
deletion at once; with the in-process default each process keeps its copy for at most
LABEL_CACHE_SECONDS.

Without the cache (Redis down) every resolution reads the database, and goes on doing so for
LABEL_CACHE_SECONDS after the last cache error this process saw: a deletion that did not reach
Redis must never let a revoked label look active from an entry kept before (cache_health). A
deletion that failed is retried through the outbox (topic `core.cache.delete`) until Redis takes it.
"""

import datetime
import hashlib
import json

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from carbon_portal.core import cache_health, outbox

from . import conf, identifiers, signing
from .models import Document, Label
from .payloads import resolution_url

CACHE_PREFIX = "certificates:label:v1:"


def cache_key(identifier: str) -> str:
    return CACHE_PREFIX + hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:40]


def invalidate(*labels_or_identifiers) -> None:
    """Forget the cached resolution now and again after the transaction commits (so that a
    request racing the commit cannot keep the old status cached)."""
    keys = [cache_key(item if isinstance(item, str) else item.identifier) for item in labels_or_identifiers]
    if not keys:
        return
    cache.delete_many(keys)

    def delete_after_commit():
        if not cache_health.delete_keys(keys):  # Redis did not take it: retry until it does
            outbox.enqueue(outbox.CACHE_DELETE, {"keys": keys})

    transaction.on_commit(delete_after_commit)


def _cache_usable() -> bool:
    return not cache_health.failed_within(conf.cache_seconds())


def _seconds_until_expiry_changes(valid_until: datetime.date) -> int:
    """Seconds until the local day after valid_until starts (when the status becomes expired)."""
    tz = timezone.get_current_timezone()
    boundary = datetime.datetime.combine(valid_until + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    return int((boundary - timezone.now()).total_seconds())


def public_data(label: Label) -> dict:
    """The API body of docs/interfaces.md §4, plus links; `payload` is the exact signed text."""
    content = json.loads(label.payload)
    certificate = label.documents.filter(kind=Document.Kind.CERTIFICATE).order_by("-created_at", "-id").first()
    status = label.effective_status()
    return {
        "identifier": label.identifier,
        "kind": label.kind,
        "status": status,
        "subject": content["subject"],
        "period": content["period"],
        "figures": content["figures"],
        "verifier": content["verifier"],
        "issued_at": content["issued_at"],
        "valid_until": content["valid_until"],
        "payload": label.payload,
        "signature": {"alg": signing.ALGORITHM, "key_id": label.signing_key.key_id, "value": label.signature},
        "status_reason": label.status_reason,
        "status_changed_at": label.status_changed_at.isoformat() if label.status_changed_at else None,
        "superseded_by": label.superseded_by.identifier if label.superseded_by_id else None,
        "resolution_url": resolution_url(label.identifier),
        "certificate_url": (
            conf.base_url() + reverse("certificates:certificate_pdf", args=label.identifier.split("/", 1))
            if certificate is not None and status == Label.Status.ACTIVE else None
        ),
        "certificate_sha256": certificate.sha256 if certificate is not None else None,
        "keys_url": conf.base_url() + reverse("api:keys"),
    }


def signature_is_valid(label: Label) -> bool:
    public_key = signing.public_key_from_b64(label.signing_key.public_key)
    return signing.verify(public_key, label.payload, label.signature)


def resolve(identifier: str) -> dict | None:
    """{"data": <API body>, "body": <its JSON text>, "signature_valid": bool, "key": {...}} of a label,
    or None for an unknown or malformed identifier (the two are not told apart)."""
    if not identifiers.is_well_formed(identifier):
        return None
    key = cache_key(identifier)
    entry = cache.get(key) if _cache_usable() else None
    if entry is not None and _cache_usable():
        return entry
    label = (Label.objects.select_related("signing_key", "superseded_by").filter(identifier=identifier).first())
    if label is None:
        return None
    data = public_data(label)
    entry = {
        "data": data,
        "body": json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        "signature_valid": signature_is_valid(label),
        "key": {"key_id": label.signing_key.key_id, "status": "current" if label.signing_key.is_current else "retired"},
    }
    until_expiry = _seconds_until_expiry_changes(label.valid_until)
    timeout = conf.cache_seconds() if until_expiry <= 0 else min(conf.cache_seconds(), until_expiry)
    if _cache_usable():
        cache.set(key, entry, timeout)
    return entry
