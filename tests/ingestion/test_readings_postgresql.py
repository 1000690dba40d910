"""The PostgreSQL write path: COPY into a temporary table, INSERT ... ON CONFLICT DO NOTHING,
and writers of the same meter serialised. Skipped on SQLite."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from ingestion.models import DailyRollup, MonthlyRollup, Reading
from ingestion.readings import storage
from ingestion.readings.services import ingest_readings
from inventories.models import Meter

from .helpers import CST, cumulative_series

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the COPY path is PostgreSQL's; set DATABASE_URL=postgres://... to run it")
START = datetime.datetime(2025, 3, 1, tzinfo=CST)


def test_readings_go_through_copy_and_a_temporary_table(demo, monkeypatch):
    def no_generic(rows):
        raise AssertionError("the generic path was used on PostgreSQL")

    monkeypatch.setattr(storage, "_generic_insert", no_generic)
    rows = cumulative_series("A-ELEC-01", START, 2)
    with transaction.atomic():
        first = ingest_readings(rows=rows[:100], scope=Meter.objects.all())
        # A second batch in the same transaction finds the temporary table empty again.
        second = ingest_readings(rows=rows[50:], scope=Meter.objects.all())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {storage.INCOMING}")
            assert cursor.fetchone()[0] == 0
    assert (first.accepted, second.accepted, second.duplicates) == (100, 92, 50)
    assert Reading.objects.count() == 192
    values = [Decimal(row["value"]) for row in rows]
    assert MonthlyRollup.objects.get().consumption == values[-1] - values[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_of_one_cumulative_meter_keep_the_rollups_right(demo):
    rows = cumulative_series("A-ELEC-01", START, 4)
    halves = [rows[0::2], rows[1::2]]  # interleaved: every batch lands between the other's readings
    errors = []

    def write(part):
        try:
            for start in range(0, len(part), 16):
                ingest_readings(rows=part[start:start + 16], scope=Meter.objects.all())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    values = [Decimal(row["value"]) for row in rows]
    assert Reading.objects.count() == len(rows)
    assert sum(DailyRollup.objects.values_list("consumption", flat=True), Decimal(0)) == values[-1] - values[0]
    assert sum(DailyRollup.objects.values_list("reading_count", flat=True)) == len(rows)


def test_a_reading_stored_meanwhile_by_another_writer_sends_the_batch_the_safe_way(demo, monkeypatch):
    rows = cumulative_series("A-STEAM-01", START, 1)
    ingest_readings(rows=rows[10:20], scope=Meter.objects.all())
    real = storage.neighbours

    def blind(ranges):  # as if another writer stored rows[10:20] after we looked
        return {meter_id: storage.Neighbours(None, None, 0) for meter_id in real(ranges)}

    monkeypatch.setattr(storage, "neighbours", blind)
    result = ingest_readings(rows=rows[:40], scope=Meter.objects.all())
    assert (result.accepted, result.duplicates) == (30, 10)
    assert Reading.objects.count() == 40
