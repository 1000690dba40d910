import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from carbon_portal.accounts.models import User
from ingestion.models import DailyRollup, MonthlyRollup
from ingestion.readings.activity import consumption_in_period, create_meter_activity
from ingestion.readings.services import ingest_readings
from inventories.models import ActivityRecord, Inventory, Meter

from .helpers import CST, cumulative_series, interval_series


@pytest.fixture
def inventory_a(demo):
    return Inventory.objects.get(enterprise__memberships__user__username="officer_a", year=2025)


@pytest.fixture
def readings(demo):
    scope = Meter.objects.filter(identifier__startswith="A-")
    rows = []
    for start in (datetime.datetime(2024, 12, 31, tzinfo=CST), datetime.datetime(2025, 2, 10, tzinfo=CST)):
        rows += cumulative_series("A-ELEC-01", start, 2, first=Decimal(1000) + start.month * 10000)
        rows += cumulative_series("A-GAS-01", start, 2, first=Decimal(500) + start.month * 1000, step=Decimal("1"))
        rows += interval_series("A-STEAM-01", start, 2)
    ingest_readings(rows=rows, scope=scope)


def test_activity_data_from_the_monthly_rollups_without_reading_the_raw_table(inventory_a, readings, officer_a):
    with CaptureQueriesContext(connection) as queries:
        report = create_meter_activity(inventory=inventory_a, created_by=officer_a)
    assert not [q["sql"] for q in queries if '"ingestion_reading"' in q["sql"]]
    records = {r.meter.identifier: r for r in report.created}
    assert sorted(records) == ["A-ELEC-01", "A-GAS-01", "A-STEAM-01"]
    electricity = records["A-ELEC-01"]
    expected = sum(MonthlyRollup.objects.filter(meter=electricity.meter, month__year=2025)
                   .values_list("consumption", flat=True), Decimal(0))
    assert (electricity.category, electricity.quantity, electricity.unit, electricity.origin) == (
        "purchased_electricity", expected, "kWh", "meter")
    assert (records["A-GAS-01"].category, records["A-GAS-01"].fuel) == ("fuel_combustion", "natural_gas")
    assert (records["A-STEAM-01"].category, records["A-STEAM-01"].unit) == ("purchased_heat", "GJ")
    # 31 December 2024 is outside the inventory's period.
    assert records["A-STEAM-01"].quantity == sum(DailyRollup.objects.filter(
        meter__identifier="A-STEAM-01", day__year=2025).values_list("consumption", flat=True), Decimal(0))
    assert (electricity.period_start, electricity.period_end) == (inventory_a.period_start, inventory_a.period_end)


def test_running_it_again_replaces_the_meter_records(inventory_a, readings, officer_a):
    manual = ActivityRecord.objects.filter(inventory=inventory_a).count()
    create_meter_activity(inventory=inventory_a, created_by=officer_a)
    report = create_meter_activity(inventory=inventory_a, created_by=officer_a)
    assert report.replaced == 3
    assert ActivityRecord.objects.filter(inventory=inventory_a).count() == manual + 3


def test_meters_that_cannot_become_activity_data_are_skipped_with_the_reason(inventory_a, readings, officer_a):
    Meter.objects.filter(identifier="A-STEAM-01").update(unit="t")
    Meter.objects.filter(identifier="A-GAS-01").update(energy_type="water")
    Meter.objects.create(enterprise=inventory_a.enterprise, identifier="A-NEW-01", name="new", energy_type="diesel",
                         unit="t", reading_kind="interval")
    report = create_meter_activity(inventory=inventory_a, created_by=officer_a)
    skipped = {entry["meter"]: entry["reason"] for entry in report.skipped}
    assert [r.meter.identifier for r in report.created] == ["A-ELEC-01"]
    assert "unit" in skipped["A-STEAM-01"]
    assert "Water" in skipped["A-GAS-01"]
    assert "no readings" in skipped["A-NEW-01"]


def test_part_months_at_the_edges_come_from_the_daily_rollups(readings):
    electricity = Meter.objects.get(identifier="A-ELEC-01")
    daily = dict(DailyRollup.objects.filter(meter=electricity).values_list("day", "consumption"))
    start, end = datetime.date(2025, 1, 1), datetime.date(2025, 2, 10)
    expected = sum((amount for day, amount in daily.items() if start <= day <= end), Decimal(0))
    assert consumption_in_period([electricity.pk], start, end) == {electricity.pk: expected}
    one_day = datetime.date(2025, 2, 11)
    assert consumption_in_period([electricity.pk], one_day, one_day) == {electricity.pk: daily[one_day]}


def test_only_an_officer_of_the_enterprise_may_do_it(inventory_a, readings):
    with pytest.raises(PermissionDenied):
        create_meter_activity(inventory=inventory_a, created_by=User.objects.get(username="reviewer_a"))
    client = APIClient()
    client.force_authenticate(User.objects.get(username="officer_b"))
    assert client.post(f"/api/v1/inventories/{inventory_a.pk}/meter-activity").status_code == 404
    client.force_authenticate(User.objects.get(username="officer_a"))
    answer = client.post(f"/api/v1/inventories/{inventory_a.pk}/meter-activity")
    assert answer.status_code == 201
    assert len(answer.json()["created"]) == 3
