"""The transactional outbox (carbon_portal/core/outbox.py) and Idempotency-Key on API writes
(carbon_portal/api/idempotency.py)."""

import pytest
from django.core.management import call_command
from django.db import transaction

from carbon_portal.core import outbox
from carbon_portal.core.models import IdempotencyKey, OutboxMessage

pytestmark = pytest.mark.django_db

TOPIC = "tests.outbox"


@pytest.fixture
def handled():
    calls, failures = [], []

    def handler(payload):
        if failures:
            failures.pop()
            raise ConnectionError("down")
        calls.append(payload)

    outbox.register(TOPIC)(handler)
    yield calls, failures
    outbox._handlers.pop(TOPIC, None)


def test_a_message_rolled_back_with_its_change_is_never_delivered(handled):
    calls, _failures = handled
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(TOPIC, {"n": 1})
        raise RuntimeError
    assert not OutboxMessage.objects.filter(topic=TOPIC).exists()
    assert outbox.deliver_due() == 0 and calls == []


def test_a_broker_outage_leaves_the_message_for_the_sweep(handled, monkeypatch, django_capture_on_commit_callbacks):
    from carbon_portal.core import tasks

    calls, _failures = handled
    monkeypatch.setattr(tasks.deliver_outbox, "delay", lambda: (_ for _ in ()).throw(ConnectionError("broker down")))
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue(TOPIC, {"n": 2})  # committing is not an error
    assert OutboxMessage.objects.get(pk=message.pk).delivered_at is None
    call_command("deliver_outbox", "--once", verbosity=0)
    assert OutboxMessage.objects.get(pk=message.pk).delivered_at is not None and calls == [{"n": 2}]
    assert outbox.deliver_due() == 0 and calls == [{"n": 2}]  # delivered once


def test_a_failing_handler_is_retried_with_backoff(handled):
    calls, failures = handled
    failures.append(True)
    message = outbox.enqueue(TOPIC, {"n": 3})
    assert outbox.deliver_due() == 0
    message.refresh_from_db()
    assert message.attempts == 1 and "down" in message.last_error and message.delivered_at is None
    assert outbox.deliver_due() == 0  # not due yet (backoff)
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=message.created_at)
    assert outbox.deliver_due() == 1 and calls == [{"n": 3}]
    assert outbox.backoff(1).total_seconds() < outbox.backoff(4).total_seconds() <= outbox.BACKOFF_MAX_SECONDS


def test_idempotency_key_replays_the_answer_and_refuses_another_body(demo):
    from inventories.models import ActivityRecord, Inventory
    from tests.workflows.support import login

    inventory = Inventory.objects.get(year=2025)
    Inventory.objects.filter(pk=inventory.pk).update(status="collecting")
    officer = login(demo, "officer_a")
    line = {"category": "fuel_combustion", "fuel": "diesel", "quantity": "1500", "unit": "L"}
    before = ActivityRecord.objects.filter(inventory=inventory).count()
    path = f"/api/v1/inventories/{inventory.pk}/activity"
    first = officer.client.post(path, line, format="json", HTTP_IDEMPOTENCY_KEY="line-1")
    assert first.status_code == 201, first.content[:300]
    again = officer.client.post(path, line, format="json", HTTP_IDEMPOTENCY_KEY="line-1")
    assert again.status_code == 201 and again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert ActivityRecord.objects.filter(inventory=inventory).count() == before + 1
    other = officer.client.post(path, {**line, "quantity": "9"}, format="json", HTTP_IDEMPOTENCY_KEY="line-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert ActivityRecord.objects.filter(inventory=inventory).count() == before + 1
    assert IdempotencyKey.objects.filter(key="line-1").count() == 1
