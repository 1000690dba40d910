"""The MQTT meter feed end to end: a real broker, the subscriber, the database.

The tests against the portal's broker run when MQTT_URL is set (CI sets it); the restart test
runs its own Mosquitto and needs only the mosquitto program."""

import datetime
import io
import json
import os
import threading

import pytest
from django.core.management import call_command

from ingestion.models import DailyRollup, Reading
from ingestion.mqtt.connection import broker_from_url, make_client
from ingestion.mqtt.subscriber import MeterFeedSubscriber

from .helpers import CST, cumulative_series
from .mqtt_helpers import PrivateBroker, Publisher, unique

MQTT_URL = os.environ.get("MQTT_URL")
needs_broker = pytest.mark.skipif(not MQTT_URL, reason="MQTT_URL is not set: the MQTT end-to-end tests need a "
                                                       "real broker (CI sets MQTT_URL)")
START = datetime.datetime(2025, 3, 1, tzinfo=CST)


def payload(rows):
    return [{"ts": row["ts"], "value": row["value"]} for row in rows]


def publish_when_subscribed(subscriber, url, messages):
    def work():
        assert subscriber.subscribed.wait(15), "the subscriber did not subscribe"
        publisher = Publisher(url)
        for topic, body in messages:
            publisher.send(topic, body)
        publisher.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


@needs_broker
@pytest.mark.services
def test_readings_over_mqtt_are_stored_and_bad_messages_are_counted(demo):
    prefix = unique("test") + "/carbon/meters"
    day = cumulative_series("A-ELEC-01", START, 1)
    messages = [
        (f"{prefix}/A-ELEC-01/readings", payload(day)),
        (f"{prefix}/A-ELEC-01/readings", payload(day)),  # the device re-sends: duplicates
        (f"{prefix}/A-STEAM-01/readings", {"ts": "2025-03-01T08:00:00+08:00", "value": 1.25}),
        (f"{prefix}/A-STEAM-01/readings", b"this is not json"),
        (f"{prefix}/NO-SUCH-METER/readings", {"ts": "2025-03-01T08:00:00+08:00", "value": "1"}),
        (f"{prefix}/A-STEAM-01/readings", [{"ts": "2025-03-01T08:15:00+08:00", "value": "2"},
                                          {"ts": "not a time", "value": "3"}]),
    ]
    subscriber = MeterFeedSubscriber(url=MQTT_URL, topic_prefix=prefix, client_id=unique("test-sub"),
                                     max_messages=len(messages), idle_timeout=20, flush_interval=0.2,
                                     clean_session=True)
    thread = publish_when_subscribed(subscriber, MQTT_URL, messages)
    stats = subscriber.run()
    thread.join(5)
    assert stats["messages"] == 6
    assert stats["bad_messages"] == 1
    assert (stats["accepted"], stats["duplicates"], stats["rejected"]) == (96 + 2, 96, 2)
    assert Reading.objects.filter(meter__identifier="A-ELEC-01").count() == 96
    assert Reading.objects.filter(meter__identifier="A-STEAM-01").count() == 2
    assert DailyRollup.objects.get(meter__identifier="A-STEAM-01").reading_count == 2


@needs_broker
@pytest.mark.services
def test_mqtt_ingest_resumes_its_session_and_gets_what_was_sent_while_it_was_away(demo):
    prefix, client_id = unique("test") + "/carbon/meters", unique("test-ingest")
    # A first run leaves a persistent session (subscription included) at the broker ...
    call_command("mqtt_ingest", url=MQTT_URL, topic_prefix=prefix, client_id=client_id, idle_timeout=1,
                 stdout=io.StringIO())
    # ... which keeps what devices send while the subscriber is down.
    publisher = Publisher(MQTT_URL)
    rows = cumulative_series("A-GAS-01", START, 1)
    for start in range(0, 96, 24):
        publisher.send(f"{prefix}/A-GAS-01/readings", payload(rows[start:start + 24]))
    publisher.close()
    output = io.StringIO()
    call_command("mqtt_ingest", url=MQTT_URL, topic_prefix=prefix, client_id=client_id, max_messages=4,
                 idle_timeout=15, json=True, stdout=output)
    counters = json.loads(output.getvalue())
    assert (counters["messages"], counters["accepted"], counters["rejected"]) == (4, 96, 0)
    assert Reading.objects.filter(meter__identifier="A-GAS-01").count() == 96
    # Leave no session behind.
    broker = broker_from_url(MQTT_URL)
    cleaner = make_client(broker, client_id=client_id, clean_session=True)
    cleaner.connect(broker.host, broker.port)
    cleaner.disconnect()


@pytest.mark.slow
def test_the_subscriber_survives_a_broker_restart_and_resumes(demo, tmp_path):
    broker = PrivateBroker(tmp_path)
    if broker.binary is None:
        pytest.skip("the mosquitto program is not installed")
    broker.start()
    prefix = "carbon/meters"
    subscriber = MeterFeedSubscriber(url=broker.url, topic_prefix=prefix, client_id=unique("test-restart"),
                                     max_messages=2, idle_timeout=40, flush_interval=0.2)
    rows = cumulative_series("A-ELEC-01", START, 1)

    def work():
        assert subscriber.subscribed.wait(15)
        publisher = Publisher(broker.url)
        publisher.send(f"{prefix}/A-ELEC-01/readings", payload(rows[:48]))
        publisher.close()
        while subscriber.stats["accepted"] < 48:
            threading.Event().wait(0.05)
        broker.stop()
        subscriber.subscribed.clear()
        broker.start()
        assert subscriber.subscribed.wait(40), "the subscriber did not come back"
        publisher = Publisher(broker.url)
        publisher.send(f"{prefix}/A-ELEC-01/readings", payload(rows[48:]))
        publisher.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        stats = subscriber.run()
    finally:
        thread.join(5)
        broker.stop()
    assert stats["disconnections"] >= 1 and stats["connections"] >= 2
    assert stats["accepted"] == 96
    assert Reading.objects.filter(meter__identifier="A-ELEC-01").count() == 96
