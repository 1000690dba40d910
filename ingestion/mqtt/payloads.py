"""Topics and payloads of the meter feed: `<prefix>/<meter identifier>/readings` carrying one
JSON object {"ts": ..., "value": ...} or an array of them.

A payload is untrusted input from the network: its size is checked first, then its nesting on
the raw bytes (a cheap scan, before `json.loads`, whose recursion a payload of thousands of `[`
would exhaust), and only then is it parsed. Every refusal is a :class:`BadMessage`."""

from __future__ import annotations

import json
import re
from decimal import Decimal

IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_PAYLOAD_BYTES = 256 * 1024  # settings.MQTT_MAX_PAYLOAD_BYTES
MAX_DEPTH = 8  # settings.MQTT_MAX_JSON_DEPTH; a readings payload is 2 deep: [ {...} ]
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\Z)', re.DOTALL)  # an unterminated string runs to the end
_BRACKET = re.compile(rb"[\[\]{}]")


class BadMessage(ValueError):
    pass


def meter_of_topic(topic: str, prefix: str) -> str:
    head, _slash, rest = topic.partition(prefix.rstrip("/") + "/")
    identifier, _slash, tail = rest.partition("/")
    if head or tail != "readings" or not IDENTIFIER.match(identifier):
        raise BadMessage(f"topic {topic[:200]!r} is not {prefix}/<meter>/readings")
    return identifier


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number")


def nesting_depth(payload: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, counted on the raw bytes (brackets
    inside strings do not count). Never recursive, linear in the size."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', payload)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def check_payload(payload: bytes, *, max_bytes: int = MAX_PAYLOAD_BYTES, max_depth: int = MAX_DEPTH) -> None:
    """BadMessage for a payload too large or nested too deep to parse safely."""
    if len(payload) > max_bytes:
        raise BadMessage(f"payload is too large: {len(payload)} bytes, the limit is {max_bytes}")
    depth = nesting_depth(payload)
    if depth > max_depth:
        raise BadMessage(f"payload nests {depth} deep, the limit is {max_depth}")


def rows_of_payload(payload: bytes, identifier: str, *, max_bytes: int = MAX_PAYLOAD_BYTES,
                    max_depth: int = MAX_DEPTH) -> list[dict]:
    """The readings of a message as rows for `ingest_readings` (the topic names the meter)."""
    if not isinstance(payload, (bytes, bytearray)):
        raise BadMessage("payload is not bytes")
    check_payload(payload, max_bytes=max_bytes, max_depth=max_depth)
    try:
        data = json.loads(payload, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise BadMessage(f"payload is not JSON: {str(error)[:200]}") from None
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
