import datetime
import random
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ingestion.models import DailyRollup, MonthlyRollup, QualityIssue, Reading
from ingestion.readings.services import ingest_readings
from inventories.models import Meter

from .factories import make_demo_meters
from .helpers import CST, cumulative_series, interval_series, snapshot

START = datetime.datetime(2025, 3, 1, tzinfo=CST)


@pytest.fixture
def scope_a(db):
    """The meters of enterprise A; B-ELEC-01 exists too, outside the scope."""
    make_demo_meters()
    return Meter.objects.filter(identifier__startswith="A-")


def daily(identifier):
    return {day: (consumption, count) for day, consumption, count in DailyRollup.objects.filter(
        meter__identifier=identifier).values_list("day", "consumption", "reading_count")}


def test_replaying_seven_days_of_readings_changes_nothing(scope_a):
    week = cumulative_series("A-ELEC-01", START, 7) + interval_series("A-STEAM-01", START, 7)
    first = ingest_readings(rows=week, scope=scope_a)
    assert first.as_dict() == {"accepted": 2 * 7 * 96, "duplicates": 0, "rejected": []}
    stored = snapshot()

    # The device re-sends its offline cache: whole, then shuffled in small batches.
    again = ingest_readings(rows=week, scope=scope_a)
    assert again.as_dict() == {"accepted": 0, "duplicates": 2 * 7 * 96, "rejected": []}
    shuffled = random.Random(4).sample(week, len(week))
    for start in range(0, len(shuffled), 100):
        assert ingest_readings(rows=shuffled[start:start + 100], scope=scope_a).accepted == 0
    assert snapshot() == stored


def test_rollups_of_a_cumulative_and_an_interval_meter(scope_a):
    ingest_readings(rows=cumulative_series("A-ELEC-01", START, 2) + interval_series("A-STEAM-01", START, 2),
                    scope=scope_a)
    electricity = daily("A-ELEC-01")
    # The first reading of a register is its starting point: 95 differences on day one.
    values = [Decimal(row["value"]) for row in cumulative_series("A-ELEC-01", START, 2)]
    assert electricity[datetime.date(2025, 3, 1)] == (values[95] - values[0], 96)
    assert electricity[datetime.date(2025, 3, 2)] == (values[191] - values[95], 96)
    steam = daily("A-STEAM-01")
    amounts = [Decimal(row["value"]) for row in interval_series("A-STEAM-01", START, 2)]
    assert steam[datetime.date(2025, 3, 1)] == (sum(amounts[:96]), 96)
    month = MonthlyRollup.objects.get(meter__identifier="A-ELEC-01", month=datetime.date(2025, 3, 1))
    assert (month.consumption, month.reading_count) == (values[191] - values[0], 192)


def test_days_are_local_days(scope_a):
    # 16:30 UTC on 1 March is 00:30 on 2 March in Shanghai.
    ingest_readings(rows=[{"meter": "A-STEAM-01", "ts": "2025-03-01T16:30:00Z", "value": "4"}], scope=scope_a)
    assert daily("A-STEAM-01") == {datetime.date(2025, 3, 2): (Decimal("4"), 1)}


def test_out_of_order_batches_give_the_same_result_as_in_order(scope_a):
    rows = cumulative_series("A-ELEC-01", START, 3) + interval_series("A-STEAM-01", START, 3)
    ingest_readings(rows=rows, scope=scope_a)
    expected = snapshot()
    Reading.objects.all().delete()
    DailyRollup.objects.all().delete()
    MonthlyRollup.objects.all().delete()
    QualityIssue.objects.all().delete()

    shuffled = random.Random(7).sample(rows, len(rows))
    for start in range(0, len(shuffled), 37):
        ingest_readings(rows=shuffled[start:start + 37], scope=scope_a)
    assert snapshot()["readings"] == expected["readings"]
    assert snapshot()["daily"] == expected["daily"]
    assert snapshot()["monthly"] == expected["monthly"]


def test_a_late_reading_between_two_stored_ones_splits_their_difference(scope_a):
    ingest_readings(rows=[
        {"meter": "A-ELEC-01", "ts": "2025-03-01T23:00:00+08:00", "value": "100"},
        {"meter": "A-ELEC-01", "ts": "2025-03-02T01:00:00+08:00", "value": "160"},
    ], scope=scope_a)
    assert daily("A-ELEC-01") == {datetime.date(2025, 3, 1): (Decimal("0"), 1),
                                  datetime.date(2025, 3, 2): (Decimal("60"), 1)}
    ingest_readings(rows=[{"meter": "A-ELEC-01", "ts": "2025-03-01T23:45:00+08:00", "value": "130"}],
                    scope=scope_a)
    assert daily("A-ELEC-01") == {datetime.date(2025, 3, 1): (Decimal("30"), 2),
                                  datetime.date(2025, 3, 2): (Decimal("30"), 1)}


def test_duplicates_in_a_batch_and_a_different_value_for_a_stored_time(scope_a):
    row = {"meter": "A-STEAM-01", "ts": "2025-03-01T08:00:00+08:00", "value": "5"}
    result = ingest_readings(rows=[row, dict(row), {**row, "value": "6"}], scope=scope_a)
    assert result.as_dict() == {"accepted": 1, "duplicates": 2, "rejected": []}
    assert ingest_readings(rows=[{**row, "value": "7"}], scope=scope_a).duplicates == 1
    assert Reading.objects.get().value == Decimal("5")  # the first value stays
    assert daily("A-STEAM-01") == {datetime.date(2025, 3, 1): (Decimal("5"), 1)}


def test_a_cumulative_register_rolling_over(scope_a):
    # A-ELEC-01 rolls over at 99,999,999 kWh.
    rows = [{"meter": "A-ELEC-01", "ts": f"2025-03-01T0{h}:00:00+08:00", "value": v}
            for h, v in ((1, "99999900"), (2, "99999990"), (3, "15.5"), (4, "40.5"))]
    ingest_readings(rows=rows, scope=scope_a)
    assert daily("A-ELEC-01")[datetime.date(2025, 3, 1)] == (Decimal("90") + Decimal("9") + Decimal("15.5") + 25, 4)
    issue = QualityIssue.objects.get(meter__identifier="A-ELEC-01")
    assert (issue.kind, issue.details["consumption"]) == ("rollover", "24.500000")


def test_a_register_going_backwards_is_a_negative_delta_that_counts_nothing(scope_a):
    rows = [{"meter": "A-ELEC-01", "ts": f"2025-03-01T0{h}:00:00+08:00", "value": v}
            for h, v in ((1, "5000"), (2, "5100"), (3, "20"), (4, "70"))]
    ingest_readings(rows=rows, scope=scope_a)
    assert daily("A-ELEC-01")[datetime.date(2025, 3, 1)] == (Decimal("150"), 4)
    assert list(QualityIssue.objects.values_list("kind", flat=True)) == ["negative_delta"]


def test_a_batch_with_bad_rows_stores_the_good_ones_and_names_the_bad_ones(scope_a):
    good = {"meter": "A-STEAM-01", "ts": "2025-03-01T08:00:00+08:00", "value": "5"}
    rows = [
        good,
        {"ts": "2025-03-01T08:00:00+08:00", "value": "5"},
        {"meter": "NO-SUCH-METER", "ts": "2025-03-01T08:00:00+08:00", "value": "5"},
        {"meter": "B-ELEC-01", "ts": "2025-03-01T08:00:00+08:00", "value": "5"},
        {"meter": "A-STEAM-01", "ts": "yesterday", "value": "5"},
        {"meter": "A-STEAM-01", "ts": "2025-03-01T08:15:00", "value": "5"},
        {"meter": "A-STEAM-01", "ts": "2025-03-01T08:30:00+08:00", "value": "five"},
        {"meter": "A-STEAM-01", "ts": "2025-03-01T08:45:00+08:00", "value": "-1"},
        {"meter": "A-STEAM-01", "ts": "2025-03-01T09:00:00+08:00", "value": "NaN"},
        {"meter": "A-ELEC-01", "ts": "2025-03-01T09:00:00+08:00", "value": "100000000"},
        {"meter": "A-STEAM-01", "ts": "2999-01-01T00:00:00+08:00", "value": "5"},
        ["A-STEAM-01", "2025-03-01T09:15:00+08:00", "5"],
        {"meter": "A-STEAM-01", "ts": "2025-03-01T09:30:00+08:00"},
        {"meter": "A-STEAM-01", "ts": "2025-03-01T09:45:00+08:00", "value": True},
        {**good, "ts": "2025-03-01T10:00:00+08:00"},
    ]
    result = ingest_readings(rows=rows, scope=scope_a)
    assert (result.accepted, result.duplicates) == (2, 0)
    errors = {entry["index"]: entry["error"] for entry in result.rejected}
    assert sorted(errors) == list(range(1, 14))
    assert errors[1] == "meter: missing"
    assert "not a meter you may write to" in errors[2]
    assert "not a meter you may write to" in errors[3]  # another enterprise's meter
    assert "ISO 8601" in errors[4]
    assert "no UTC offset" in errors[5]
    assert "not a decimal number" in errors[6]
    assert "negative" in errors[7]
    assert "finite" in errors[8]
    assert "register maximum" in errors[9]
    assert "future" in errors[10]
    assert "expected an object" in errors[11]
    assert errors[12] == "value: missing"
    assert "decimal number" in errors[13]
    assert Reading.objects.count() == 2
    # The reading from the future is refused, and the officer sees it.
    assert QualityIssue.objects.get().kind == "future"


def test_values_are_exact_decimals(scope_a):
    ingest_readings(rows=[{"meter": "A-STEAM-01", "ts": "2025-03-01T08:00:00+08:00", "value": 0.1},
                          {"meter": "A-STEAM-01", "ts": "2025-03-01T08:15:00+08:00", "value": "0.2"},
                          {"meter": "A-STEAM-01", "ts": "2025-03-01T08:30:00+08:00", "value": "1.0000004"}],
                    scope=scope_a)
    assert daily("A-STEAM-01")[datetime.date(2025, 3, 1)] == (Decimal("1.3"), 3)


def test_gaps_and_spikes_are_found(scope_a):
    rows = interval_series("A-STEAM-01", START, 1)
    del rows[40:52]  # three hours missing
    rows[60]["value"] = "90"  # 18:00, about a hundred times the usual quarter hour
    ingest_readings(rows=rows, scope=scope_a)
    issues = {(kind, ts.astimezone(CST).strftime("%H:%M")) for kind, ts in
              QualityIssue.objects.values_list("kind", "ts")}
    assert issues == {("gap", "13:00"), ("spike", "18:00")}


def test_a_single_reading_is_judged_against_the_meter_history(scope_a):
    ingest_readings(rows=interval_series("A-STEAM-01", START, 3), scope=scope_a)
    assert not QualityIssue.objects.exists()
    later = START + datetime.timedelta(days=3, hours=6)
    ingest_readings(rows=[{"meter": "A-STEAM-01", "ts": later.isoformat(), "value": "50"}], scope=scope_a)
    assert set(QualityIssue.objects.values_list("kind", flat=True)) == {"gap", "spike"}


def test_a_backfilled_gap_is_no_longer_a_gap(scope_a):
    rows = interval_series("A-STEAM-01", START, 1)
    ingest_readings(rows=rows[:40] + rows[52:], scope=scope_a)
    assert list(QualityIssue.objects.values_list("kind", flat=True)) == ["gap"]
    ingest_readings(rows=rows[40:52], scope=scope_a)
    assert not QualityIssue.objects.exists()


@pytest.mark.django_db
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(24)), cut=st.lists(st.integers(1, 23), max_size=5),
       values=st.lists(st.decimals(min_value=0, max_value=50, places=2), min_size=24, max_size=24))
def test_any_order_and_batching_gives_the_rollups_of_the_sorted_series(scope_a, order, cut, values):
    register, rows = Decimal("99999950"), []
    for hour, step in enumerate(values):
        register = (register + step) % Decimal("99999999")
        ts = START + datetime.timedelta(hours=hour)
        rows.append({"meter": "A-ELEC-01", "ts": ts.isoformat(), "value": str(register)})
    expected_total = sum(values[1:], Decimal(0))
    with transaction.atomic():
        shuffled = [rows[i] for i in order]
        bounds = [0, *sorted(set(cut)), len(rows)]
        for low, high in zip(bounds, bounds[1:]):
            ingest_readings(rows=shuffled[low:high], scope=scope_a)
        total = sum(DailyRollup.objects.values_list("consumption", flat=True), Decimal(0))
        monthly = MonthlyRollup.objects.get()
        transaction.set_rollback(True)
    assert total == expected_total
    assert (monthly.consumption, monthly.reading_count) == (expected_total, 24)
