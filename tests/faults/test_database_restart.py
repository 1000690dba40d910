"""PostgreSQL restarted under a running portal: the meter feed loses nothing and doubles nothing,
and the web answers 503 with Retry-After during the outage and serves again after it, in the same
process.

Everything runs against services of the test's own (tests/faults/services.py): a private
PostgreSQL cluster (migrated once per session, copied per test from a template), a private
Mosquitto, and the portal as subprocesses, `manage.py mqtt_ingest` and the WSGI application,
configured by DATABASE_URL / MQTT_URL as in production. It does not use the run's own database,
so it runs the same in CI's PostgreSQL run and in its SQLite run (the SQLite run is what
`make test` does locally; the few seconds are worth not having a fault test that only CI runs).
"""

import datetime
import json
import signal
import time
from decimal import Decimal

import pytest

from tests.ingestion.mqtt_helpers import PrivateBroker, Publisher, unique

from .services import PYTHON, Process, WsgiServer, last_json_line, portal_env, wait_until

pytestmark = pytest.mark.slow

PREFIX = "carbon/meters"
METER = "A-ELEC-01"
START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
READINGS = 300  # in three thirds: before, during and after the outage


@pytest.fixture
def mosquitto(tmp_path):
    broker = PrivateBroker(tmp_path)
    if broker.binary is None:
        pytest.skip("the mosquitto program is not installed")
    broker.start()
    yield broker
    broker.stop()


def _reading(index: int) -> dict:
    return {"ts": (START + datetime.timedelta(minutes=15 * index)).isoformat(),
            "value": str(Decimal(1000) + Decimal("2.5") * index)}


def _stored(cluster, database) -> tuple[int, int]:
    """(rows, distinct (meter, ts)) of the test's meter."""
    return tuple(cluster.sql(
        "SELECT count(*), count(DISTINCT (r.meter_id, r.ts)) FROM ingestion_reading r "
        "JOIN inventories_meter m ON m.id = r.meter_id WHERE m.identifier = %s", database, METER)[0])


def test_postgres_restarted_mid_stream(postgres_database, mosquitto):
    cluster, database = postgres_database
    started = time.monotonic()
    env = portal_env(DATABASE_URL=cluster.url(database), CACHE_URL="", MQTT_URL=mosquitto.url)
    subscriber = Process([PYTHON, "manage.py", "mqtt_ingest", "--json", "--client-id", unique("faults-pg"),
                          "--flush-interval", "0.2"], env=env)
    web = WsgiServer(env=env)
    publisher = None
    try:
        subscriber.wait_for(f"subscribed to {PREFIX}/+/readings")
        publisher = Publisher(mosquitto.url)
        topic = f"{PREFIX}/{METER}/readings"
        third = READINGS // 3
        bogus_token = {"Authorization": "Token not-a-real-token"}  # looked up in the database

        for index in range(third):
            publisher.send(topic, _reading(index))
        wait_until(lambda: _stored(cluster, database)[0] >= third // 2, timeout=30, message="readings flowing")
        home_before, _headers, _body = web.request("/")
        api_before, _headers, _body = web.request("/api/v1/inventories", headers=bogus_token)
        assert home_before < 500 and api_before == 401

        cluster.stop("fast")  # the database goes away mid-stream; the broker keeps taking readings
        try:
            for index in range(third, 2 * third):
                publisher.send(topic, _reading(index))
            status, headers, body = web.request("/api/v1/inventories", headers=bogus_token)
            assert status == 503, body[:500]
            assert headers["Retry-After"] and headers["Content-Type"].startswith("application/json")
            assert json.loads(body)["code"] == "unavailable"
            status, headers, body = web.request("/")
            assert status == 503, body[:500]
            assert headers["Retry-After"] and headers["Content-Type"].startswith("text/html")
            assert body.startswith(b"<!doctype html>") and len(body) < 1000 and b"Traceback" not in body
            time.sleep(1)  # the subscriber tries its batch against the stopped database
        finally:
            cluster.start()

        # The same web process answers again: its dead kept connection is checked and replaced.
        assert web.request("/api/v1/inventories", headers=bogus_token)[0] == api_before
        assert web.request("/")[0] == home_before
        assert web.process.poll() is None
        for index in range(2 * third, READINGS):
            publisher.send(topic, _reading(index))

        wait_until(lambda: _stored(cluster, database)[0] >= READINGS, timeout=60, interval=0.25,
                   message="every reading stored")
        time.sleep(0.5)  # nothing more comes (a doubled batch would show now)
    finally:
        if publisher is not None:
            publisher.close()
        web.stop()
        code = subscriber.stop()
    assert code == 0, subscriber.output[-3000:]
    stats = last_json_line(subscriber.output)
    assert _stored(cluster, database) == (READINGS, READINGS)  # exactly N, none doubled
    assert stats["database_errors"] >= 1, stats  # it did meet the outage, and came through it
    assert stats["accepted"] + stats["duplicates"] >= READINGS and stats["accepted"] <= READINGS
    print(f"PostgreSQL restarted mid-stream: {READINGS} readings stored once, {stats}; "
          f"{time.monotonic() - started:.1f} s (+ {cluster.prepared_in:.1f} s for the template, once)")


def test_subscriber_killed_mid_burst(postgres_database, mosquitto):
    """SIGKILL (no flush, no goodbye) mid-burst, then a new subscriber with the same client id: the
    broker sends what was not acknowledged, and exactly N readings are stored. (The in-process
    crash at the worst moment, stored but not acknowledged, is
    tests/ingestion/test_mqtt_broker.py::test_a_burst_with_the_subscriber_restarted_midway_is_stored_exactly_once.)"""
    cluster, database = postgres_database
    env = portal_env(DATABASE_URL=cluster.url(database), CACHE_URL="", MQTT_URL=mosquitto.url)
    command = [PYTHON, "manage.py", "mqtt_ingest", "--json", "--client-id", unique("faults-kill"),
               "--flush-interval", "0.2"]
    first = Process(command, env=env)
    publisher, second = None, None
    try:
        first.wait_for(f"subscribed to {PREFIX}/+/readings")
        publisher = Publisher(mosquitto.url)
        topic = f"{PREFIX}/{METER}/readings"
        for index in range(READINGS // 2):
            publisher.send(topic, _reading(index))
        wait_until(lambda: _stored(cluster, database)[0] >= READINGS // 6, timeout=30, message="readings flowing")
        assert first.stop(signal.SIGKILL) == -signal.SIGKILL
        for index in range(READINGS // 2, READINGS):  # the broker keeps them for the session
            publisher.send(topic, _reading(index))
        second = Process(command, env=env)
        wait_until(lambda: _stored(cluster, database)[0] >= READINGS, timeout=60, interval=0.25,
                   message="every reading stored")
        time.sleep(0.5)
    finally:
        if publisher is not None:
            publisher.close()
        first.stop(signal.SIGKILL)
        if second is not None:
            assert second.stop() == 0, second.output[-3000:]
    assert _stored(cluster, database) == (READINGS, READINGS)
    stats = last_json_line(second.output)  # the first, killed, printed nothing
    assert 0 < stats["accepted"] < READINGS and stats["connections"] == 1, stats
