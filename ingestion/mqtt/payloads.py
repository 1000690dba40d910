"""Topics and payloads of the meter feed: `<prefix>/<meter identifier>/readings` carrying one
JSON object {"ts": ..., "value": ...} or an array of them."""

from __future__ import annotations

import json
import re
from decimal import Decimal

IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class BadMessage(ValueError):
    pass


def meter_of_topic(topic: str, prefix: str) -> str:
    head, _slash, rest = topic.partition(prefix.rstrip("/") + "/")
    identifier, _slash, tail = rest.partition("/")
    if head or tail != "readings" or not IDENTIFIER.match(identifier):
        raise BadMessage(f"topic {topic!r} is not {prefix}/<meter>/readings")
    return identifier


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number")


def rows_of_payload(payload: bytes, identifier: str) -> list[dict]:
    """The readings of a message as rows for `ingest_readings` (the topic names the meter)."""
    try:
        data = json.loads(payload, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadMessage(f"payload is not JSON: {error}") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise BadMessage("payload is an empty array")
    rows = []
    for item in items:
        if not isinstance(item, dict):
            raise BadMessage("payload items are objects {\"ts\": ..., \"value\": ...}")
        row = {key: item[key] for key in ("ts", "value") if key in item}
        row["meter"] = identifier
        rows.append(row)
    return rows
