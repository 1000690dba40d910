"""Keeping the daily and monthly roll-ups up to date: add what a batch changed.

PostgreSQL adds in one statement per table (INSERT ... ON CONFLICT DO UPDATE SET sum = sum +
excluded.sum), exact in numeric and safe with concurrent writers (keys sorted). SQLite stores
decimals as 15-digit REALs, so there the sum is read, added in Decimal and written back,
which keeps the rounding from accumulating; SQLite writers are serial.
"""

from __future__ import annotations

import json

from django.db import connection

from ..models import DailyRollup, MonthlyRollup
from .storage import is_postgresql, pg_cursor


def add_to_rollups(daily: dict, monthly: dict) -> None:
    """`daily`: {(meter_id, day): [consumption, count]}; `monthly`: {(meter_id, first day of
    month): [consumption, count]}."""
    for model, key_field, changes in ((DailyRollup, "day", daily), (MonthlyRollup, "month", monthly)):
        changes = {key: value for key, value in changes.items() if value[0] or value[1]}
        if not changes:
            continue
        if is_postgresql():
            _add_postgresql(model, key_field, changes)
        else:
            _add_generic(model, key_field, changes)


def _add_postgresql(model, key_field: str, changes: dict) -> None:
    # One JSON text parameter (decimals as strings, exact): cheaper to send than four arrays.
    rows = json.dumps([[meter_id, key.isoformat(), str(changes[(meter_id, key)][0]), changes[(meter_id, key)][1]]
                       for meter_id, key in sorted(changes)])
    table = model._meta.db_table
    with pg_cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS t (meter_id, {key_field}, consumption, reading_count)
            SELECT (e->>0)::bigint, (e->>1)::date, (e->>2)::numeric, (e->>3)::integer
            FROM jsonb_array_elements(%s::jsonb) e
            ON CONFLICT (meter_id, {key_field}) DO UPDATE
            SET consumption = t.consumption + EXCLUDED.consumption,
                reading_count = t.reading_count + EXCLUDED.reading_count
            """,
            [rows],
        )


def _add_generic(model, key_field: str, changes: dict) -> None:
    table = model._meta.db_table
    meter_ids = {meter_id for meter_id, _key in changes}
    keys = {key for _meter, key in changes}
    stored = {
        (meter_id, key): (consumption, count)
        for meter_id, key, consumption, count in model.objects.filter(
            meter_id__in=meter_ids, **{f"{key_field}__in": keys}
        ).values_list("meter_id", key_field, "consumption", "reading_count")
    }
    rows = []
    for (meter_id, key), (consumption, count) in sorted(changes.items()):
        old_consumption, old_count = stored.get((meter_id, key), (0, 0))
        rows.append((meter_id, key.isoformat(), str(old_consumption + consumption), old_count + count))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (meter_id, {key_field}, consumption, reading_count) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT (meter_id, {key_field}) DO UPDATE "
            "SET consumption = excluded.consumption, reading_count = excluded.reading_count",
            rows,
        )
