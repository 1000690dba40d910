"""The readings table partitioned by month on PostgreSQL (migration 0005) and
`manage.py readings_partitions`. The PostgreSQL tests are skipped on SQLite."""

import csv
import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection

from ingestion import tasks
from ingestion.models import Reading
from ingestion.readings import partitions, storage
from ingestion.readings.services import ingest_readings
from inventories.models import Meter

from .helpers import cumulative_series, snapshot

postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="partitions are PostgreSQL's; set DATABASE_URL=postgres://... to run them")
NOW = datetime.datetime.now(datetime.UTC)
CURRENT = partitions.month_of(NOW)


def month(offset: int) -> datetime.date:
    return partitions.add_months(CURRENT, offset)


def at(offset: int, day: int = 1) -> datetime.datetime:
    """Midnight UTC of `day` in the month `offset` months from the current one."""
    return datetime.datetime.combine(month(offset).replace(day=day), datetime.time(), datetime.UTC)


def sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else None


def where(meter_id: int) -> dict[str, int]:
    """{table holding them: readings} of a meter."""
    return dict(sql("SELECT tableoid::regclass::text, count(*) FROM ingestion_reading WHERE meter_id = %s GROUP BY 1",
                    [meter_id]))


def exists(table: str) -> bool:
    return sql("SELECT to_regclass(%s) IS NOT NULL", [table])[0][0]


def run(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("readings_partitions", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@postgresql
def test_the_table_is_partitioned_by_month_on_ts_with_a_default(db):
    assert partitions.is_partitioned()
    assert sql("SELECT pg_get_partkeydef('ingestion_reading'::regclass)") == [("RANGE (ts)",)]
    assert sql("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'ingestion_reading'::regclass "
               "AND contype = 'p'") == [("PRIMARY KEY (meter_id, ts)",)]
    attached, _detached = partitions.monthly_tables()
    assert {month(n) for n in range(-12, 4)} <= set(attached)
    assert exists(partitions.DEFAULT)
    # Nothing references the readings (their key is composite), and they reference nothing.
    assert sql("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND "
               "'ingestion_reading'::regclass IN (conrelid, confrelid)") == [(0,)]


@postgresql
def test_readings_of_two_months_land_in_their_partitions_and_duplicates_stay_duplicates(demo):
    rows = cumulative_series("A-ELEC-01", at(-2, 28), 8)  # across the end of a month
    meter = Meter.objects.get(identifier="A-ELEC-01")
    first = ingest_readings(rows=rows[:400], scope=Meter.objects.all())  # a live feed: the COPY path
    assert (first.accepted, first.duplicates) == (400, 0)
    assert sum(where(meter.id).values()) == 400
    assert set(where(meter.id)) == {partitions.partition_name(month(-2)), partitions.partition_name(month(-1))}
    stored = snapshot()

    again = ingest_readings(rows=rows[:400], scope=Meter.objects.all())  # a replay: ON CONFLICT, all duplicates
    assert (again.accepted, again.duplicates) == (0, 400)
    assert snapshot() == stored

    more = ingest_readings(rows=rows[300:], scope=Meter.objects.all())  # partly duplicates: xmin says which
    assert (more.accepted, more.duplicates) == (len(rows) - 400, 100)
    assert Reading.objects.filter(meter=meter).count() == len(rows)
    assert where(meter.id).get(partitions.DEFAULT) is None


@postgresql
def test_a_batch_another_writer_stored_meanwhile_counts_as_duplicates_across_partitions(demo, monkeypatch):
    rows = cumulative_series("A-STEAM-01", at(-3, 28), 5)
    ingest_readings(rows=rows[50:150], scope=Meter.objects.all())
    real = storage.neighbours
    monkeypatch.setattr(storage, "neighbours",  # as if rows[50:150] were stored after we looked
                        lambda ranges: {m: storage.Neighbours(None, None, 0) for m in real(ranges)})
    result = ingest_readings(rows=rows, scope=Meter.objects.all())  # COPY fails, the general path takes over
    assert (result.accepted, result.duplicates) == (len(rows) - 100, 100)
    assert Reading.objects.filter(meter__identifier="A-STEAM-01").count() == len(rows)


@postgresql
def test_the_orm_reads_and_deletes_across_partitions(demo):
    ingest_readings(rows=cumulative_series("A-ELEC-01", at(-2, 28), 5), scope=Meter.objects.all())
    meter = Meter.objects.get(identifier="A-ELEC-01")
    reading = Reading.objects.filter(meter=meter).order_by("-ts").first()
    assert Reading.objects.get(pk=(meter.id, reading.ts)).value == reading.value
    Reading.objects.filter(meter=meter, ts__lt=at(-1)).delete()
    assert set(where(meter.id)) == {partitions.partition_name(month(-1))}


@postgresql
def test_the_command_creates_partitions_ahead_once(db):
    first = run("--ahead", "6")
    assert set(first["created"]) | set(first["existing"]) == {f"{month(n):%Y-%m}" for n in range(7)}
    assert f"{month(6):%Y-%m}" in first["created"]
    second = run("--ahead", "6")
    assert second["created"] == [] and len(second["existing"]) == 7
    assert exists(partitions.partition_name(month(6)))


@postgresql
def test_the_command_moves_a_new_months_rows_out_of_the_default_partition(db):
    sql("INSERT INTO ingestion_reading (meter_id, ts, value) VALUES (1, %s, 1), (1, %s, 2), (1, %s, 3)",
        [at(8, 2), at(8, 20), at(9, 1)])
    assert where(1) == {partitions.DEFAULT: 3}
    report = run("--ahead", "8")
    assert report["moved_from_default"] == {f"{month(8):%Y-%m}": 2}
    assert report["default_rows"] == {f"{month(9):%Y-%m}": 1}
    assert where(1) == {partitions.partition_name(month(8)): 2, partitions.DEFAULT: 1}


@postgresql
def test_archive_detaches_and_with_output_exports_and_drops(db, tmp_path):
    sql("INSERT INTO ingestion_reading (meter_id, ts, value) VALUES (1, %s, 1.5), (1, %s, 2.5), (2, %s, 7)",
        [at(-12, 3), at(-11, 4), at(-10, 5)])
    oldest, older, old = (partitions.partition_name(month(n)) for n in (-12, -11, -10))

    detached = run("--archive-before", f"{month(-11):%Y-%m}")  # no --output: detach only
    assert [(e["table"], e["rows"], e["dropped"]) for e in detached["archived"]] == [(oldest, 1, False)]
    assert exists(oldest) and sql("SELECT relispartition FROM pg_class WHERE relname = %s", [oldest]) == [(False,)]
    assert Reading.objects.count() == 2

    exported = run("--archive-before", f"{month(-10):%Y-%m}", "--output", str(tmp_path))
    assert [(e["table"], e["rows"], e["dropped"]) for e in exported["archived"]] == [(oldest, 1, True),
                                                                                    (older, 1, True)]
    assert not exists(oldest) and not exists(older) and exists(old)
    with open(tmp_path / f"{older}.csv", newline="") as file:
        assert list(csv.reader(file)) == [["meter_id", "meter", "ts", "value"],
                                          ["1", "", f"{at(-11, 4):%Y-%m-%d} 00:00:00+00", "2.500000"]]
    assert Reading.objects.count() == 1

    sql("INSERT INTO ingestion_reading (meter_id, ts, value) VALUES (1, %s, 1)", [at(-9, 1)])
    (tmp_path / f"{old}.csv").write_text("kept")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="will not overwrite"):
        run("--archive-before", f"{month(-8):%Y-%m}", "--output", str(tmp_path))
    assert exists(old)


@postgresql
def test_the_retention_setting_and_the_task_detach_old_months(db, settings):
    settings.READINGS_RETENTION_MONTHS = 11
    assert partitions.retention_cutoff() == month(-11)
    report = tasks.readings_partitions(ahead=4)
    assert [e["table"] for e in report["archived"]] == [partitions.partition_name(month(-12))]
    assert f"{month(4):%Y-%m}" in report["created"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the embedded default's plain table")
def test_sqlite_keeps_a_plain_table_and_the_command_says_so(db):
    assert not partitions.is_partitioned()
    assert run() == {"partitioned": False}
    assert tasks.readings_partitions() == {"partitioned": False}


def test_months_are_parsed_and_counted():
    assert partitions.parse_month("2026-02") == datetime.date(2026, 2, 1)
    assert partitions.add_months(datetime.date(2026, 11, 1), 3) == datetime.date(2027, 2, 1)
    assert partitions.add_months(datetime.date(2026, 1, 1), -13) == datetime.date(2024, 12, 1)
    assert partitions.month_of(datetime.datetime(2026, 3, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))) \
        == datetime.date(2026, 2, 1)
    with pytest.raises(ValueError):
        partitions.parse_month("2026-13")


@postgresql
def test_the_reading_before_a_batch_is_found_months_back(demo):
    """The previous reading is looked for in the last 31 days first, then without a bound."""
    meter = Meter.objects.get(identifier="A-ELEC-01")
    ingest_readings(rows=cumulative_series("A-ELEC-01", at(-6, 10), 1)[:4], scope=Meter.objects.all())
    ingest_readings(rows=cumulative_series("A-ELEC-01", at(-1, 10), 1)[:4], scope=Meter.objects.all())
    near = storage.neighbours({meter.id: (at(-1, 11), at(-1, 12))})[meter.id]
    far = storage.neighbours({meter.id: (at(-3, 1), at(-3, 2))})[meter.id]
    assert near.previous[0] == at(-1, 10) + datetime.timedelta(minutes=45)
    assert far.previous[0] == at(-6, 10) + datetime.timedelta(minutes=45)
    assert far.following[0] == at(-1, 10) and far.stored_in_range == 0
