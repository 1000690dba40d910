"""The transactional outbox: side effects that must not be lost.

A change records what must follow it (`enqueue(topic, payload)`) in its own transaction; the
message is delivered after the commit by the handler registered for its topic, with retries and
exponential backoff, until it succeeds:

- right after the commit, `deliver_outbox.delay()` (carbon_portal/core/tasks.py) is queued; if
  the broker is down that is logged and the message waits for the sweep;
- a message enqueued with ``deliver_now=True`` is first delivered in the committing process
  (the certifying user sees the labels on the next page);
- the periodic sweep (`python manage.py deliver_outbox`, or the Celery beat entry
  CELERY_BEAT_SCHEDULE["deliver-outbox"]) delivers whatever is due.

Each message is delivered in one transaction with its row locked (SELECT ... FOR UPDATE SKIP
LOCKED): the handler's database writes and the "delivered" mark commit together, so a handler's
writes happen once even when two dispatchers race or a worker dies mid-way. Effects outside the
database (an e-mail, a queued task) may happen again after a crash: handlers keep them idempotent.

Handlers register per topic from the app that owns them, in its AppConfig.ready():
``outbox.register("workflows.notify")(handler)``; the topic string is the contract between
the app that enqueues and the app that handles (core imports no app).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from . import cache_health
from .models import OutboxMessage

logger = logging.getLogger(__name__)

CACHE_DELETE = "core.cache.delete"  # {"keys": [...]}: a cache deletion that did not reach Redis

BACKOFF_BASE_SECONDS = 10
BACKOFF_MAX_SECONDS = 3600
MAX_ATTEMPTS = 20  # then the message stays undelivered, with its last error, for a person to look at

_handlers: dict[str, Callable[[dict], object]] = {}


def register(topic: str):
    """``register(topic)(handler)``: `handler(payload)` delivers the messages of `topic`."""

    def decorator(handler):
        _handlers[topic] = handler
        return handler

    return decorator


def handler_for(topic: str):
    return _handlers.get(topic)


def enqueue(topic: str, payload: dict, *, deliver_now: bool = False) -> OutboxMessage:
    """Record a message in the current transaction (or on its own outside one); delivery starts
    after the commit."""
    message = OutboxMessage.objects.create(topic=topic, payload=payload)
    transaction.on_commit(lambda: _after_commit(message.pk, deliver_now))
    return message


def _after_commit(message_id: int, deliver_now: bool) -> None:
    if deliver_now:
        deliver_message(message_id)
        if OutboxMessage.objects.filter(pk=message_id, delivered_at__isnull=False).exists():
            return
    kick()


def kick() -> None:
    """Queue a delivery run; a broker outage is logged and left to the periodic sweep."""
    from .tasks import deliver_outbox  # noqa: PLC0415 - the tasks module imports this one

    try:
        deliver_outbox.delay()
    except Exception:  # noqa: BLE001 - the message is stored; the sweep delivers it
        logger.warning("could not queue the outbox delivery (broker down?); the periodic sweep will deliver it",
                       exc_info=True)


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def _due():
    return OutboxMessage.objects.filter(delivered_at__isnull=True, attempts__lt=MAX_ATTEMPTS)


def deliver_message(message_id: int) -> bool:
    """Deliver one message if it is still undelivered and not locked by another dispatcher;
    True when it was delivered now."""
    with transaction.atomic():
        message = _due().select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None:
            return False
        return _deliver(message)


def deliver_due(*, limit: int = 500) -> int:
    """Deliver the messages that are due, oldest first; the number delivered."""
    delivered = 0
    seen = set()
    for _ in range(limit):
        with transaction.atomic():
            message = (_due().select_for_update(skip_locked=True).filter(available_at__lte=timezone.now())
                       .exclude(pk__in=seen).order_by("available_at", "id").first())
            if message is None:
                break
            seen.add(message.pk)
            delivered += _deliver(message)
    return delivered


def _deliver(message: OutboxMessage) -> bool:
    handler = _handlers.get(message.topic)
    message.attempts += 1
    try:
        if handler is None:
            raise LookupError(f"no handler registered for the topic {message.topic!r}")
        with transaction.atomic():  # a failing handler's writes are undone, the attempt is recorded
            handler(message.payload)
    except Exception as error:  # noqa: BLE001 - recorded on the message and retried later
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.available_at = timezone.now() + backoff(message.attempts)
        message.save(update_fields=["attempts", "last_error", "available_at"])
        log = logger.error if message.attempts >= MAX_ATTEMPTS else logger.warning
        log("outbox message %s (%s) failed, attempt %d: %s", message.pk, message.topic, message.attempts,
            message.last_error, exc_info=message.attempts >= MAX_ATTEMPTS)
        return False
    message.delivered_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "last_error", "delivered_at"])
    return True


@register(CACHE_DELETE)
def _delete_cache_keys(payload: dict) -> None:
    if not cache_health.delete_keys(payload["keys"]):  # Redis still down
        raise ConnectionError("the cache is still unavailable")
