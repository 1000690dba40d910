"""Writing meter readings: the one service every path uses (HTTP, MQTT, spreadsheets, bench).

    result = ingest_readings(rows=[{"meter": "A-ELEC-01", "ts": "...", "value": "..."}], scope=meters)
    result.as_dict() == {"accepted": n, "duplicates": n, "rejected": [{"index": i, "error": "..."}]}

Idempotent: a reading whose (meter, ts) is stored already is a duplicate and changes nothing
(the first value stays). Bad rows are refused with a reason; the good ones of the same batch
are stored. Everything of one call is one transaction, roll-ups and quality issues included.
"""

from __future__ import annotations

import datetime
import operator
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inventories.models import Meter

from . import quality, rollups, series, storage
from .meters import writable_meters
from .rows import Clock, Row, RowError, parse_row

CHUNK = 50_000
UTC = datetime.timezone.utc
BY_TIME = operator.attrgetter("ts")


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def ingest_readings(
    *,
    rows,
    scope: QuerySet[Meter],
    meter_identifier: str | None = None,
    default_tz: datetime.tzinfo | None = None,
    now: datetime.datetime | None = None,
) -> IngestResult:
    """Store `rows` (dicts with meter, ts, value) for the meters of `scope` the caller may write.
    `meter_identifier` names the meter of every row (MQTT topics); `default_tz` reads times
    without an offset (spreadsheets; the API refuses them)."""
    rows = list(rows)
    if meter_identifier is not None:
        identifiers = {meter_identifier}
    else:
        identifiers = {row.get("meter") for row in rows if isinstance(row, dict) and isinstance(row.get("meter"), str)}
    meters = writable_meters(scope, identifiers)
    now = now or timezone.now()
    latest = (now + datetime.timedelta(seconds=settings.READINGS_FUTURE_TOLERANCE_SECONDS)).astimezone(UTC)
    clock = Clock(zoneinfo.ZoneInfo(settings.TIME_ZONE), default_tz)
    result = IngestResult()
    accepted_rows, future = _check_rows(rows, meters, meter_identifier, clock, latest, result)
    with transaction.atomic():
        for start in range(0, len(accepted_rows), CHUNK):
            chunk = accepted_rows[start:start + CHUNK]
            stored = _write(chunk, clock)
            result.accepted += stored
            result.duplicates += len(chunk) - stored
        quality.record_issues(future)
    result.rejected.sort(key=lambda entry: entry["index"])
    return result


def _check_rows(rows, meters, meter_identifier, clock, latest, result):
    accepted, seen, future = [], set(), []
    for index, raw in enumerate(rows):
        try:
            row = parse_row(index, raw, meters, clock, meter_identifier=meter_identifier)
        except RowError as error:
            result.rejected.append({"index": index, "error": str(error)})
            continue
        if row.ts > latest:
            future.append(series.Issue(row.meter.id, "future", row.ts, {"value": str(row.value)}))
            result.rejected.append({"index": index, "error": _("ts: %(ts)s is in the future")
                                    % {"ts": row.ts.isoformat()}})
            continue
        key = (row.meter.id, row.ts)
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        accepted.append(row)
    return accepted, future


def _write(chunk: list[Row], clock: Clock) -> int:
    """Store the chunk's new readings, then update the roll-ups and quality issues. Returns how
    many readings were new."""
    storage.lock_meters({row.meter.id for row in chunk if row.meter.cumulative})
    by_meter: dict[int, list[Row]] = defaultdict(list)
    for row in chunk:
        by_meter[row.meter.id].append(row)
    for meter_rows in by_meter.values():
        meter_rows.sort(key=BY_TIME)  # linear when they came in order
    ranges = {meter_id: (rows[0].ts, rows[-1].ts) for meter_id, rows in by_meter.items()}
    # What is stored around and among the new rows, before they are written: a meter with nothing
    # stored in its range (a live feed) cannot have duplicates, and takes the fastest path.
    around = storage.neighbours(ranges)
    fresh = [row for meter_id, rows in by_meter.items() if not around[meter_id].stored_in_range for row in rows]
    others = [row for meter_id, rows in by_meter.items() if around[meter_id].stored_in_range for row in rows]
    inserted = storage.insert_fresh(fresh) + storage.insert_new(others)
    _apply(by_meter, inserted, around, clock)
    return len(inserted)


def _apply(by_meter: dict[int, list[Row]], inserted: list[Row], around: dict, clock: Clock) -> None:
    """Roll-ups and quality issues for the rows just stored."""
    new_by_meter: dict[int, list[Row]] = defaultdict(list)
    for row in inserted:
        new_by_meter[row.meter.id].append(row)
    windows = {meter_id: _window(by_meter[meter_id], new_rows, around[meter_id], clock)
               for meter_id, new_rows in new_by_meter.items()}
    baselines = _baselines(windows)
    changes = series.Changes()
    for meter_id, (window, stale) in windows.items():
        if stale:
            changes.stale.append((meter_id, window[0].ts, window[-1].ts))
        series.window_changes(by_meter[meter_id][0].meter, window, baselines.get(meter_id), changes,
                              gap_factor=settings.READINGS_GAP_FACTOR, spike_factor=settings.READINGS_SPIKE_FACTOR)
    rollups.add_to_rollups(changes.daily, changes.monthly())
    quality.drop_stale_issues(changes.stale)
    quality.record_issues(changes.issues)


def _window(rows: list[Row], new_rows: list[Row], around: storage.Neighbours,
            clock: Clock) -> tuple[list[series.Point], bool]:
    """The meter's window (see `series`) and whether stored readings lie inside it, in which
    case issues found before in it may be stale. `rows` are the meter's rows of the batch in
    time order, `new_rows` those that were stored now."""
    Point = series.Point
    if not around.stored_in_range and len(new_rows) == len(rows):
        middle = rows  # nothing stored among them: the window is the batch; rows are points too
    else:  # read the range back, the new readings and the stored ones
        new = {row.ts for row in new_rows}
        middle = [Point(ts, value, ts in new, clock.day_of(ts))
                  for ts, value in storage.stored_between(rows[0].meter.id, rows[0].ts, rows[-1].ts)]
    window = middle
    if around.previous is not None:
        window = [Point(*around.previous, False, clock.day_of(around.previous[0])), *window]
    if around.following is not None:
        window = [*window, Point(*around.following, False, clock.day_of(around.following[0]))]
    return window, around.following is not None or bool(around.stored_in_range)


def _baselines(windows) -> dict[int, series.Baseline]:
    """The usual behaviour, from the roll-ups, of the meters whose window is too short to say."""
    short = [meter_id for meter_id, (window, _stale) in windows.items()
             if len(window) - 1 < series.MIN_PAIRS_FOR_BASELINE]
    if not short:
        return {}
    first_day = min(windows[meter_id][0][0].day for meter_id in short)
    return quality.rollup_baselines(short, first_day)
