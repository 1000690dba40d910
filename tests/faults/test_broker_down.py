"""The Celery broker is down when an invoice is uploaded: the upload succeeds and its follow-up
(queueing the extraction) waits in the outbox; once the broker is back, one sweep
(`manage.py deliver_outbox --once`) queues the extraction exactly once and a second sweep
queues nothing more.

The web process and the sweep are the portal's own processes with a real broker, a private
redis-server (CELERY_BROKER_URL), and eager execution off (tests/faults/service_settings.py);
the database is a copy of the private cluster's template, as in test_database_restart.py.
No worker runs: the queue itself (the Redis list of the `ocr` queue) shows what was queued.
"""

import json
import time

import pytest
import redis

from tests.ingestion.files import png

from .services import ApiUser, WsgiServer, manage, portal_env

pytestmark = pytest.mark.slow

EXTRACT_TASK = "ingestion.tasks.extract_invoice_draft"


def _outbox(cluster, database, draft_id: int) -> list[tuple]:
    """(attempts, delivered) of the draft's extraction messages."""
    return cluster.sql("SELECT attempts, delivered_at IS NOT NULL FROM core_outboxmessage "
                       "WHERE topic = 'ingestion.extract_invoice' AND (payload->>'draft_id')::int = %s",
                       database, draft_id)


def _queued(broker) -> dict:
    """The tasks waiting in each of the queues, by name."""
    queues = {}
    for queue in ("ocr", "default", "documents"):
        queues[queue] = [json.loads(message)["headers"] for message in broker.lrange(queue, 0, -1)]
    return queues


def test_upload_with_the_broker_down_is_queued_once_by_the_sweep(private_redis, postgres_database, tmp_path):
    cluster, database = postgres_database
    started = time.monotonic()
    [(inventory,)] = cluster.sql(
        "SELECT i.id FROM inventories_inventory i JOIN accounts_membership m ON m.enterprise_id = i.enterprise_id "
        "JOIN accounts_user u ON u.id = m.user_id WHERE u.username = 'officer_a' AND i.year = 2025", database)
    cluster.sql("UPDATE inventories_inventory SET status = 'collecting' WHERE id = %s", database, inventory)
    env = portal_env(DJANGO_SETTINGS_MODULE="tests.faults.service_settings", DATABASE_URL=cluster.url(database),
                     CACHE_URL="", CELERY_BROKER_URL=private_redis.url, INVOICE_EXTRACTION_WAIT_SECONDS="0",
                     CARBON_PORTAL_VAR_DIR=str(tmp_path))
    broker = redis.Redis(host="127.0.0.1", port=private_redis.port, socket_timeout=2)
    private_redis.stop()  # the broker is down before the web process ever reaches it
    web = WsgiServer(env=env)
    try:
        officer = ApiUser(web, "officer_a", cluster.demo["users"]["officer_a"])
        officer.log_in()
        upload_started = time.monotonic()
        draft = officer.call("POST", f"inventories/{inventory}/evidence",
                             upload=("broker-down.png", png(text="broker down")))
        upload_took = time.monotonic() - upload_started
        assert officer.last_status == 202 and draft["status"] == "pending", draft
        assert _outbox(cluster, database, draft["id"]) == [(0, False)]  # stored with the draft, undelivered
        assert "could not queue the outbox delivery" in web.output, web.output[-3000:]
        assert web.process.poll() is None
    finally:
        web.stop()

    private_redis.start()  # back, and empty
    try:
        assert _queued(broker) == {"ocr": [], "default": [], "documents": []}
        assert manage("deliver_outbox", "--once", env=env).strip() == "1 outbox message(s) delivered"
        assert _outbox(cluster, database, draft["id"]) == [(1, True)]
        queued = _queued(broker)
        assert [headers["task"] for headers in queued["ocr"]] == [EXTRACT_TASK], queued
        assert queued["ocr"][0]["argsrepr"] == f"({draft['id']},)"
        assert queued["default"] == queued["documents"] == []

        assert manage("deliver_outbox", "--once", env=env).strip() == "0 outbox message(s) delivered"
        assert _outbox(cluster, database, draft["id"]) == [(1, True)]
        assert _queued(broker) == queued  # nothing more: the extraction is queued exactly once
    finally:
        broker.close()
    [(status,)] = cluster.sql("SELECT status FROM ingestion_invoicedraft WHERE id = %s", database, draft["id"])
    assert status == "pending"  # no worker ran: the queued task is all there is
    print(f"Celery broker down at upload: the extraction queued once by the sweep; upload answered in "
          f"{upload_took:.1f} s; {time.monotonic() - started:.1f} s")
