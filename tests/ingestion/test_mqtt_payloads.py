from decimal import Decimal

import pytest

from ingestion.mqtt.connection import broker_from_url
from ingestion.mqtt.payloads import BadMessage, meter_of_topic, rows_of_payload


def test_topics_name_the_meter():
    assert meter_of_topic("carbon/meters/A-ELEC-01/readings", "carbon/meters") == "A-ELEC-01"
    for topic in ("carbon/meters/A-ELEC-01/other", "carbon/meters//readings", "elsewhere/A/readings",
                  "carbon/meters/A/B/readings", "carbon/meters/$bad/readings"):
        with pytest.raises(BadMessage):
            meter_of_topic(topic, "carbon/meters")


def test_payloads_are_one_object_or_an_array_with_exact_decimals():
    assert rows_of_payload(b'{"ts": "2025-03-01T08:00:00+08:00", "value": 0.1}', "M") == [
        {"ts": "2025-03-01T08:00:00+08:00", "value": Decimal("0.1"), "meter": "M"}]
    rows = rows_of_payload(b'[{"ts": "t1", "value": "1"}, {"ts": "t2", "value": 2, "meter": "OTHER"}]', "M")
    assert [row["meter"] for row in rows] == ["M", "M"]  # the topic names the meter
    for payload in (b"not json", b"[]", b"[1, 2]", b'"text"', b'{"ts": "t", "value": NaN}', b"\xff"):
        with pytest.raises(BadMessage):
            rows_of_payload(payload, "M")


def test_broker_urls():
    assert broker_from_url("mqtt://127.0.0.1:1883") == broker_from_url("mqtt://127.0.0.1")
    secure = broker_from_url("mqtts://dev%40site:p%3Ass@broker.example:8884")
    assert (secure.host, secure.port, secure.tls, secure.username, secure.password) == (
        "broker.example", 8884, True, "dev@site", "p:ss")
    with pytest.raises(ValueError):
        broker_from_url("http://broker")
