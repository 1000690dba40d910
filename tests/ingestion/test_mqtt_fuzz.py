"""The subscriber against a stream of hostile messages (docs/meter-readings.md, MQTT): too large,
nested too deep, binary, wrong types. It counts them as bad, stays up and stores the good one
that follows. Runs its own Mosquitto (needs only the mosquitto program)."""

import datetime
import json
import random
import threading

import pytest

from ingestion.models import Reading
from ingestion.mqtt.payloads import BadMessage, nesting_depth, rows_of_payload
from ingestion.mqtt.subscriber import MeterFeedSubscriber

from .helpers import CST
from .mqtt_helpers import PrivateBroker, Publisher, unique

PREFIX = "carbon/meters"


def test_payloads_too_large_or_too_deep_are_refused_before_parsing():
    assert nesting_depth(b'[{"ts": "[[[[", "value": "1"}]') == 2
    assert nesting_depth(b'"\\"[[[[') == 0  # an unterminated string hides the rest
    for payload, words in ((b"[" * 5000, "nests 5000 deep"), (b'{"a":' * 5000, "nests 5000 deep"),
                           (b" " * 300_000, "too large"), (b"[" * 100 + b"]" * 100, "nests 100 deep")):
        with pytest.raises(BadMessage, match=words):
            rows_of_payload(payload, "M")
    with pytest.raises(BadMessage, match="too large"):
        rows_of_payload(b"[]", "M", max_bytes=1)
    with pytest.raises(BadMessage, match="not JSON"):  # an integer of 5,000 digits
        rows_of_payload(b'{"ts": "t", "value": ' + b"9" * 5000 + b"}", "M")


def hostile_payloads(rng: random.Random, count: int) -> list[bytes]:
    """Each is refused as a whole message (not JSON, too big, too deep, not objects)."""
    fixed = [b"", b"[" * 5000, b"{" * 5000, b'{"a":' * 5000, b"[" * 5000 + b"]" * 5000, b"\xff\xfe\x00",
             b"null", b"true", b"[]", b"[1, 2, 3]", b'"text"', b"NaN", b'{"ts": "t", "value": NaN}',
             b"x" * 300_000, json.dumps([{"ts": "t", "value": "1"}] * 20_000).encode(),
             b'{"ts": "t", "value": ' + b"9" * 5000 + b"}", b"[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]",
             b'[{"ts": "t", "value": "1"}, 7]', b'{"ts": "t"' * 100]
    payloads = list(fixed)
    while len(payloads) < count:
        kind = rng.randrange(4)
        if kind == 0:
            payloads.append(rng.randbytes(rng.randrange(1, 2000)))
        elif kind == 1:
            depth = rng.randrange(9, 20000)
            payloads.append(rng.choice([b"[", b"{\"k\":"]) * depth)
        elif kind == 2:
            payloads.append(bytes(rng.choice(b'[]{}",:0123456789.eE-+ntrufals\\') for _ in range(rng.randrange(1, 500))))
        else:
            payloads.append(rng.choice([b"[", b"{"]) + rng.randbytes(rng.randrange(1, 300)))
    return payloads


def wrong_type_payloads() -> list[bytes]:
    """JSON of the right shape with wrong values: each reading is a rejected row."""
    return [json.dumps(body).encode() for body in (
        {"ts": [1, 2], "value": {"a": 1}}, {"ts": 12345, "value": "1"}, {"ts": None, "value": None},
        {"ts": "2025-03-01T08:00:00+08:00", "value": [1]}, {"ts": "2025-03-01T08:00:00+08:00", "value": True},
        {"ts": "2025-03-01T08:00:00+08:00", "value": "-5"}, {"ts": "2025-03-01T08:00:00", "value": "1"},
        {"ts": "9999-12-31T23:59:59+08:00", "value": "1"}, {"ts": "2025-03-01T08:00:00+08:00", "value": "1e400"},
        {"ts": "2025-03-01T08:00:00+08:00", "value": "1" * 40}, {"ts": "x" * 10000, "value": "1"}, {},
    )]


@pytest.mark.slow
def test_the_subscriber_survives_a_fuzzed_stream_and_stores_the_good_message_after_it(demo, tmp_path):
    broker = PrivateBroker(tmp_path)
    if broker.binary is None:
        pytest.skip("the mosquitto program is not installed")
    rng = random.Random(20250301)
    hostile, wrong = hostile_payloads(rng, 300), wrong_type_payloads()
    topic = f"{PREFIX}/A-ELEC-01/readings"
    messages = [(topic, payload) for payload in hostile] + [(topic, payload) for payload in wrong]
    messages += [(f"{PREFIX}/NO-SUCH-METER/readings", b'{"ts": "2025-03-01T08:00:00+08:00", "value": "1"}'),
                 (f"{PREFIX}/bad$meter/readings", b'{"ts": "2025-03-01T08:00:00+08:00", "value": "1"}')]
    good = {"ts": datetime.datetime(2025, 3, 1, 8, tzinfo=CST).isoformat(), "value": "1234.5"}
    messages.append((topic, json.dumps(good).encode()))
    broker.start()
    subscriber = MeterFeedSubscriber(url=broker.url, topic_prefix=PREFIX, client_id=unique("test-fuzz"),
                                     max_messages=len(messages), idle_timeout=30, flush_interval=0.1)
    errors = []

    def publish():
        try:
            assert subscriber.subscribed.wait(15), "the subscriber did not subscribe"
            publisher = Publisher(broker.url)
            for name, payload in messages:
                publisher.send(name, payload)
            publisher.close()
        except Exception as error:  # noqa: BLE001 -- reported by the test
            errors.append(error)

    thread = threading.Thread(target=publish, daemon=True)
    thread.start()
    try:
        stats = subscriber.run()  # returns only if it survived every message
    finally:
        thread.join(10)
        broker.stop()
    assert not errors
    assert stats["messages"] == len(messages)
    assert stats["bad_messages"] >= len(hostile)  # every hostile payload was refused as a whole
    assert stats["rejected"] >= len(wrong) - 1  # wrong values are rejected rows ({} is a row without fields)
    assert stats["accepted"] == 1
    stored = Reading.objects.get(meter__identifier="A-ELEC-01")
    assert str(stored.value).rstrip("0").rstrip(".") == "1234.5"
