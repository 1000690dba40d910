"""Monthly partitions of the readings table on PostgreSQL (migration 0005 makes the table
`PARTITION BY RANGE (ts)`); `manage.py readings_partitions` and the task
`ingestion.tasks.readings_partitions` run these.

A month is a calendar month in UTC: the partition `ingestion_reading_2026_01` holds
[2026-01-01 00:00 UTC, 2026-02-01 00:00 UTC). Rows of a month without a partition land in
`ingestion_reading_default`. Creating, attaching, detaching and dropping partitions needs the
table's owner (the role that migrates), not the application role.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from ..models import Reading
from .storage import pg_cursor

PARENT = Reading._meta.db_table
DEFAULT = f"{PARENT}_default"
MONTHLY = re.compile(rf"^{PARENT}_(\d{{4}})_(\d{{2}})$")


def month_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The first day of the (UTC) month of `moment`."""
    if isinstance(moment, datetime.datetime):
        moment = moment.astimezone(datetime.UTC)
    return datetime.date(moment.year, moment.month, 1)


def add_months(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def parse_month(text: str) -> datetime.date:
    """'YYYY-MM' -> the first day of that month; ValueError otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"{text!r} is not a month (YYYY-MM)")
    return datetime.date(int(match[1]), int(match[2]), 1)


def retention_cutoff(today: datetime.date | None = None) -> datetime.date | None:
    """The first month to keep under READINGS_RETENTION_MONTHS (0: keep for ever, None)."""
    if settings.READINGS_RETENTION_MONTHS <= 0:
        return None
    current = month_of(today or datetime.datetime.now(datetime.UTC))
    return add_months(current, -settings.READINGS_RETENTION_MONTHS)


def partition_name(month: datetime.date) -> str:
    return f"{PARENT}_{month:%Y_%m}"


def _bound(month: datetime.date) -> str:
    return f"'{month:%Y-%m-%d} 00:00:00+00'"  # from a date: no quoting needed


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [PARENT])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def monthly_tables() -> tuple[dict[datetime.date, str], dict[datetime.date, str]]:
    """({month: partition} attached to the readings table, {month: table} of the same name pattern
    that are standalone tables, i.e. detached earlier)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relispartition FROM pg_class c "
            "WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname LIKE %s",
            [f"{PARENT}\\_%"],
        )
        rows = cursor.fetchall()
    attached, detached = {}, {}
    for name, is_partition in rows:
        match = MONTHLY.match(name)
        if match:
            (attached if is_partition else detached)[datetime.date(int(match[1]), int(match[2]), 1)] = name
    return attached, detached


def default_months() -> dict[datetime.date, int]:
    """{month: rows} held by the DEFAULT partition."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT date_trunc('month', ts AT TIME ZONE 'UTC')::date, count(*) FROM {DEFAULT} GROUP BY 1")
        return dict(cursor.fetchall())


def create_month(month: datetime.date) -> int:
    """Attach a partition for `month`, moving that month's rows out of the DEFAULT partition
    into it; returns how many were moved. Call only for a month without a partition. One
    transaction; ATTACH takes a SHARE UPDATE EXCLUSIVE lock on the readings table (writers go
    on) and an ACCESS EXCLUSIVE lock on the DEFAULT partition while it checks it."""
    name = partition_name(month)
    low, high = _bound(month), _bound(add_months(month, 1))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {DEFAULT} IN SHARE ROW EXCLUSIVE MODE")  # no rows of the month arrive meanwhile
        cursor.execute(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        cursor.execute(
            f"WITH moved AS (DELETE FROM {DEFAULT} WHERE ts >= {low} AND ts < {high} RETURNING meter_id, ts, value) "
            f"INSERT INTO {name} (meter_id, ts, value) SELECT meter_id, ts, value FROM moved ORDER BY meter_id, ts"
        )
        moved = cursor.rowcount
        cursor.execute(f"ALTER TABLE {PARENT} ATTACH PARTITION {name} FOR VALUES FROM ({low}) TO ({high})")
    return moved


@dataclass
class Maintenance:
    created: list[datetime.date] = field(default_factory=list)
    existing: list[datetime.date] = field(default_factory=list)
    moved: dict[datetime.date, int] = field(default_factory=dict)  # rows moved out of DEFAULT, by month
    archived: list[dict] = field(default_factory=list)
    default_rows: dict[datetime.date, int] = field(default_factory=dict)  # what DEFAULT still holds

    def as_dict(self) -> dict:
        return {
            "partitioned": True,
            "created": [f"{m:%Y-%m}" for m in self.created],
            "existing": [f"{m:%Y-%m}" for m in self.existing],
            "moved_from_default": {f"{m:%Y-%m}": n for m, n in self.moved.items()},
            "archived": self.archived,
            "default_rows": {f"{m:%Y-%m}": n for m, n in sorted(self.default_rows.items())},
        }


def ensure_ahead(ahead: int, *, today: datetime.date | None = None, report: Maintenance | None = None) -> Maintenance:
    """Partitions for the current UTC month and `ahead` months after it (idempotent)."""
    report = report or Maintenance()
    current = month_of(today or datetime.datetime.now(datetime.UTC))
    attached, _detached = monthly_tables()
    for month in (add_months(current, n) for n in range(ahead + 1)):
        if month in attached:
            report.existing.append(month)
            continue
        moved = create_month(month)
        report.created.append(month)
        if moved:
            report.moved[month] = moved
    return report


def archive_before(before: datetime.date, output: Path | None, *, report: Maintenance | None = None) -> Maintenance:
    """Detach every monthly partition of a month before `before`. With `output`: write each one
    (attached, or detached by an earlier run) to `output/<table>.csv` (meter_id, meter, ts in UTC,
    value; key order) and drop it. Each table in its own transaction; an existing file is never
    overwritten."""
    report = report or Maintenance()
    attached, detached = monthly_tables()
    tables = {m: (name, True) for m, name in attached.items() if m < before}
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        tables.update({m: (name, False) for m, name in detached.items() if m < before})
        existing = [str(output / f"{name}.csv") for name, _attached in tables.values()
                    if (output / f"{name}.csv").exists()]
        if existing:
            raise FileExistsError(f"will not overwrite {', '.join(sorted(existing))}")
    for month in sorted(tables):
        name, is_attached = tables[month]
        entry = {"month": f"{month:%Y-%m}", "table": name, "detached": is_attached, "file": None, "dropped": False}
        with transaction.atomic():
            with connection.cursor() as cursor:
                if is_attached:
                    cursor.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {name}")
                cursor.execute(f"SELECT count(*) FROM {name}")
                entry["rows"] = cursor.fetchone()[0]
            if output is not None:
                path = output / f"{name}.csv"
                _export(name, path)
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE {name}")
                entry.update(file=str(path), dropped=True)
        report.archived.append(entry)
    return report


def _export(table: str, path: Path) -> None:
    """COPY the table out as CSV (client side: no server file access needed), in UTC; the file
    gets its name only once it is complete."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as out, pg_cursor() as cursor:
        cursor.execute("SET LOCAL timezone = 'UTC'")
        with cursor.copy(
            f"COPY (SELECT r.meter_id, m.identifier AS meter, r.ts, r.value FROM {table} r "
            "LEFT JOIN inventories_meter m ON m.id = r.meter_id ORDER BY r.meter_id, r.ts) "
            "TO STDOUT WITH (FORMAT csv, HEADER)"
        ) as copy:
            for data in copy:
                out.write(data)
    partial.replace(path)


def maintain(*, ahead: int, archive: datetime.date | None = None, output: Path | None = None) -> Maintenance:
    """Partitions ahead, then (optionally) the archive; what DEFAULT still holds."""
    report = ensure_ahead(ahead)
    if archive is not None:
        archive_before(archive, output, report=report)
    report.default_rows = default_months()
    return report
