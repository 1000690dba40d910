"""Writing readings in bulk and reading back the neighbours the roll-ups need.

PostgreSQL: COPY (binary) into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING
RETURNING, so that the database says which rows were new. Elsewhere (SQLite): the stored keys
of the batch's range are looked up first (SQLite transactions here are IMMEDIATE, so nobody
writes in between) and the rest is written with batched bulk_create(ignore_conflicts=True).
Callers run inside a transaction.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction

from ..models import Reading
from .rows import Row

INCOMING = "ingestion_incoming_readings"
READINGS = Reading._meta.db_table
BULK_BATCH = 2000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@contextlib.contextmanager
def pg_cursor():
    """A psycopg 3 cursor on Django's connection (so in its transaction) that binds parameters
    on the server: arrays of a thousand timestamps go as binary, not as SQL text. Errors come
    out as Django's database errors."""
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def lock_meters(meter_ids) -> None:
    """Serialise writers of the same cumulative meters (PostgreSQL; SQLite writers are serial
    anyway): a writer must see the readings another one has just stored before it computes
    differences. Sorted, so that two writers never wait for each other in a circle."""
    if not meter_ids or not is_postgresql():
        return
    with pg_cursor() as cursor:
        cursor.execute("SELECT id FROM inventories_meter WHERE id = ANY(string_to_array(%s, ',')::bigint[]) "
                       "ORDER BY id FOR NO KEY UPDATE", [",".join(map(str, sorted(meter_ids)))])


def insert_fresh(rows: list[Row]) -> list[Row]:
    """Store rows of meters that have no reading stored in the rows' time range, so none can be
    a duplicate unless another writer stores the same reading at this moment. PostgreSQL: a
    binary COPY straight into the table, in a savepoint; if another writer did get there first,
    the savepoint is rolled back and the rows take the general path."""
    if not rows:
        return []
    if not is_postgresql():
        Reading.objects.bulk_create((Reading(meter_id=row.meter.id, ts=row.ts, value=row.value) for row in rows),
                                    batch_size=BULK_BATCH)  # SQLite writers are serial: nobody got there first
        return rows
    try:
        with transaction.atomic(), pg_cursor() as cursor:
            with cursor.copy(f"COPY {READINGS} (meter_id, ts, value) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "timestamptz", "numeric"])
                write = copy.write_row
                for row in rows:
                    write((row.meter.id, row.ts, row.value))
        return rows
    except IntegrityError:
        return insert_new(rows)


def insert_new(rows: list[Row]) -> list[Row]:
    """Store the rows whose (meter, ts) is not stored yet and return them. `rows` has no two
    rows with the same key."""
    if not rows:
        return []
    return _copy_insert(rows) if is_postgresql() else _generic_insert(rows)


def _copy_insert(rows: list[Row]) -> list[Row]:
    with pg_cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {INCOMING} "
            "(position integer NOT NULL, meter_id bigint NOT NULL, ts timestamptz NOT NULL, "
            "value numeric(20, 6) NOT NULL) ON COMMIT DELETE ROWS"
        )
        with cursor.copy(f"COPY {INCOMING} (position, meter_id, ts, value) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int4", "int8", "timestamptz", "numeric"])
            write = copy.write_row
            for position, row in enumerate(rows):
                write((position, row.meter.id, row.ts, row.value))
        # In (meter, ts) order, the index is written leaf by leaf.
        cursor.execute(
            f"INSERT INTO {READINGS} (meter_id, ts, value) SELECT meter_id, ts, value FROM {INCOMING} "
            "ORDER BY meter_id, ts ON CONFLICT (meter_id, ts) DO NOTHING"
        )
        stored = cursor.rowcount
        if stored == len(rows) or stored == 0:  # all new (a live feed) or all duplicates (a replay)
            positions = None
        else:
            # Which ones are new: the rows this (sub)transaction wrote carry its id in xmin, as
            # do the rows it copied into the temporary table just before.
            cursor.execute(
                f"SELECT i.position FROM {INCOMING} i JOIN {READINGS} r "
                "ON r.meter_id = i.meter_id AND r.ts = i.ts AND r.xmin = i.xmin"
            )
            positions = sorted(position for (position,) in cursor.fetchall())
        # Emptied at commit too; this is for a second batch in the same transaction.
        cursor.execute(f"DELETE FROM {INCOMING}")
    if positions is None:
        return list(rows) if stored else []
    return [rows[position] for position in positions]


def _generic_insert(rows: list[Row]) -> list[Row]:
    by_meter = defaultdict(list)
    for row in rows:
        by_meter[row.meter.id].append(row)
    new = []
    for meter_id, meter_rows in by_meter.items():
        low = min(row.ts for row in meter_rows)
        high = max(row.ts for row in meter_rows)
        stored = set(Reading.objects.filter(meter_id=meter_id, ts__range=(low, high)).values_list("ts", flat=True))
        new.extend(row for row in meter_rows if row.ts not in stored)
    Reading.objects.bulk_create(
        (Reading(meter_id=row.meter.id, ts=row.ts, value=row.value) for row in new),
        batch_size=BULK_BATCH, ignore_conflicts=True,
    )
    return new


@dataclass(slots=True)
class Neighbours:
    previous: tuple | None  # (ts, value)
    following: tuple | None
    stored_in_range: int  # readings stored in [low, high], the new ones included


def neighbours(ranges: dict[int, tuple[datetime.datetime, datetime.datetime]]) -> dict[int, Neighbours]:
    """For each meter: the reading before `low`, the reading after `high`, and how many
    readings lie in [low, high] — one query on PostgreSQL."""
    if not ranges:
        return {}
    if is_postgresql():
        return _neighbours_postgresql(ranges)
    return {meter_id: _neighbours_generic(meter_id, low, high) for meter_id, (low, high) in ranges.items()}


# The reading before a batch is looked for in this stretch first: the readings table is
# partitioned by month, and a search without a lower bound would visit every month's partition.
PREVIOUS_LOOKBACK = datetime.timedelta(days=31)


def _neighbours_postgresql(ranges) -> dict[int, Neighbours]:
    found = _neighbours_query({meter_id: (low - PREVIOUS_LOOKBACK, low, high)
                               for meter_id, (low, high) in ranges.items()})
    # Meters with nothing stored in the stretch (new meters, rare readings): look without a bound.
    farther = {meter_id: ("-infinity", *ranges[meter_id]) for meter_id, near in found.items()
               if near.previous is None}
    if farther:
        found.update(_neighbours_query(farther))
    return found


def _neighbours_query(windows) -> dict[int, Neighbours]:
    # The windows go as one JSON text: binding arrays of timestamps costs more in Python.
    windows = json.dumps([[meter_id, since if isinstance(since, str) else since.isoformat(), low.isoformat(),
                           high.isoformat()] for meter_id, (since, low, high) in windows.items()])
    with pg_cursor() as cursor:
        cursor.execute(
            f"""
            SELECT w.meter_id, p.ts, p.value, f.ts, f.value, c.n
            FROM (SELECT (e->>0)::bigint AS meter_id, (e->>1)::timestamptz AS since, (e->>2)::timestamptz AS low,
                         (e->>3)::timestamptz AS high
                  FROM jsonb_array_elements(%s::jsonb) e) w
            LEFT JOIN LATERAL (SELECT r.ts, r.value FROM {READINGS} r WHERE r.meter_id = w.meter_id
                               AND r.ts < w.low AND r.ts >= w.since ORDER BY r.ts DESC LIMIT 1) p ON true
            LEFT JOIN LATERAL (SELECT r.ts, r.value FROM {READINGS} r WHERE r.meter_id = w.meter_id
                               AND r.ts > w.high ORDER BY r.ts LIMIT 1) f ON true
            CROSS JOIN LATERAL (SELECT count(*) AS n FROM {READINGS} r WHERE r.meter_id = w.meter_id
                                AND r.ts BETWEEN w.low AND w.high) c
            """,
            [windows],
        )
        return {
            meter_id: Neighbours((p_ts, p_value) if p_ts else None, (f_ts, f_value) if f_ts else None, n)
            for meter_id, p_ts, p_value, f_ts, f_value, n in cursor.fetchall()
        }


def _neighbours_generic(meter_id, low, high) -> Neighbours:
    readings = Reading.objects.filter(meter_id=meter_id)
    previous = readings.filter(ts__lt=low).order_by("-ts").values_list("ts", "value").first()
    following = readings.filter(ts__gt=high).order_by("ts").values_list("ts", "value").first()
    return Neighbours(previous, following, readings.filter(ts__range=(low, high)).count())


def stored_between(meter_id: int, low: datetime.datetime, high: datetime.datetime) -> list[tuple]:
    """(ts, value) of the meter's readings in [low, high], in time order."""
    return list(Reading.objects.filter(meter_id=meter_id, ts__range=(low, high)).order_by("ts")
                .values_list("ts", "value"))
