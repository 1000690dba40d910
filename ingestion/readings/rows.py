"""Checking one submitted reading: its meter, its time and its value.

Rows come from JSON (`{"meter", "ts", "value"}`), CSV, MQTT payloads or spreadsheets. A bad
row is refused with a reason and never stops the others.

Hot path (100,000 rows a second): a batch usually carries many meters at the same moments,
so each distinct time text is parsed once (`Clock`), to a UTC datetime (comparisons and
hashes of datetimes that share the UTC tzinfo are cheap) and its local day.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from inventories.calculation.decimals import DECIMAL_TEXT

from .meters import MeterInfo

UTC = datetime.timezone.utc
ZERO = Decimal(0)
SIX_PLACES = Decimal("0.000001")
MAX_VALUE = Decimal("99999999999999.999999")  # numeric(20, 6)


class RowError(ValueError):
    """A reason to refuse one row, said to a person."""


class Row:
    """A checked reading: its time in UTC and the local day it belongs to. It is also a new
    point of its meter's series (`series.Point` has the same attributes)."""

    __slots__ = ("index", "meter", "ts", "day", "value", "new")

    def __init__(self, index: int, meter: MeterInfo, ts: datetime.datetime, day: datetime.date, value: Decimal):
        self.index, self.meter, self.ts, self.day, self.value, self.new = index, meter, ts, day, value, True


def parse_ts(raw, *, default_tz: datetime.tzinfo | None = None) -> datetime.datetime:
    """A UTC datetime from an ISO 8601 timestamp with its UTC offset (or an aware datetime).
    Without an offset it is refused, unless `default_tz` says how to read it (spreadsheets)."""
    if isinstance(raw, datetime.datetime):
        ts = raw
    elif isinstance(raw, str):
        try:
            ts = datetime.datetime.fromisoformat(raw.strip())
        except ValueError:
            raise RowError(_("ts: %(value)r is not an ISO 8601 time such as 2025-03-01T08:15:00+08:00")
                           % {"value": raw[:40]}) from None
    else:
        raise RowError(_("ts: expected an ISO 8601 time as a string"))
    if ts.tzinfo is None:
        if default_tz is None:
            raise RowError(_("ts: %(value)s has no UTC offset; add one, such as +08:00 or Z")
                           % {"value": str(raw)[:40]})
        ts = ts.replace(tzinfo=default_tz)
    ts = ts.astimezone(UTC)
    if ts.year < 2000:
        raise RowError(_("ts: %(value)s is before the year 2000") % {"value": ts.isoformat()})
    return ts


class Clock:
    """Parses times, remembering each distinct text: (UTC datetime, local day) or RowError."""

    def __init__(self, zone: datetime.tzinfo, default_tz: datetime.tzinfo | None = None):
        self.zone, self.default_tz = zone, default_tz
        self.memo: dict = {}  # time text -> (UTC datetime, local day) or RowError
        self.days: dict = {}  # UTC quarter hour -> local day

    def read(self, raw) -> tuple[datetime.datetime, datetime.date]:
        try:
            found = self.memo.get(raw)
        except TypeError:  # not hashable: not a time either
            found = None
        if found is None:
            try:
                ts = parse_ts(raw, default_tz=self.default_tz)
                found = (ts, ts.astimezone(self.zone).date())
            except RowError as error:
                found = error
            if isinstance(raw, (str, datetime.datetime)):
                self.memo[raw] = found
        if isinstance(found, RowError):
            raise found
        return found

    def day_of(self, ts: datetime.datetime) -> datetime.date:
        # Every UTC offset is a whole number of quarter hours: the day is the same within one.
        if ts.tzinfo is not UTC:
            ts = ts.astimezone(UTC)
        key = ts.replace(minute=ts.minute - ts.minute % 15, second=0, microsecond=0)
        day = self.days.get(key)
        if day is None:
            day = self.days[key] = key.astimezone(self.zone).date()
        return day


def parse_value(raw) -> Decimal:
    """A non-negative decimal with at most 14 digits before the point, rounded to 6 after it."""
    if raw.__class__ is str:
        try:
            if DECIMAL_TEXT.fullmatch(raw) is None:  # ASCII digits only (Decimal takes "１２３" and "1_000")
                raise InvalidOperation
            value = Decimal(raw)  # surrounding spaces are allowed by Decimal itself
        except InvalidOperation:
            raise RowError(_("value: %(value)r is not a decimal number") % {"value": raw[:40]}) from None
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        raise RowError(_("value: expected a decimal number"))
    try:
        if ZERO <= value <= MAX_VALUE:
            return value.quantize(SIX_PLACES)
    except InvalidOperation:  # NaN
        pass
    if not value.is_finite():
        raise RowError(_("value: %(value)s is not a finite number") % {"value": value})
    if value < 0:
        raise RowError(_("value: %(value)s is negative") % {"value": value})
    raise RowError(_("value: %(value)s is too large") % {"value": value})


def parse_row(index: int, raw, meters: dict[str, MeterInfo], clock: Clock, *,
              meter_identifier: str | None = None) -> Row:
    """One row, or RowError. `meters` are the meters the caller may write, by identifier;
    `meter_identifier` is given when the meter comes from elsewhere (an MQTT topic)."""
    if raw.__class__ is not dict and not isinstance(raw, dict):
        raise RowError(_("expected an object with meter, ts and value"))
    identifier = meter_identifier if meter_identifier is not None else raw.get("meter")
    meter = meters.get(identifier) if identifier.__class__ is str else None
    if meter is None:
        if identifier is None or identifier == "":
            raise RowError(_("meter: missing"))
        if not isinstance(identifier, str):
            raise RowError(_("meter: expected the meter's identifier as a string"))
        raise RowError(_("meter: %(meter)r is not a meter you may write to") % {"meter": identifier[:64]})
    raw_ts = raw.get("ts")
    if raw_ts is None:
        raise RowError(_("ts: missing"))
    raw_value = raw.get("value")
    if raw_value is None:
        raise RowError(_("value: missing"))
    found = clock.memo.get(raw_ts) if raw_ts.__class__ is str else None
    ts, day = found if found.__class__ is tuple else clock.read(raw_ts)
    value = parse_value(raw_value)
    if meter.register_max is not None and value > meter.register_max:
        raise RowError(_("value: %(value)s is above the register maximum %(max)s of meter %(meter)s")
                       % {"value": value, "max": meter.register_max, "meter": meter.identifier})
    return Row(index, meter, ts, day, value)
