"""Series of readings and snapshots of what the write path stored."""

import datetime
from decimal import Decimal

from ingestion.models import DailyRollup, MonthlyRollup, QualityIssue, Reading

CST = datetime.timezone(datetime.timedelta(hours=8))


def quarter_hours(start: datetime.datetime, days: int):
    for step in range(days * 96):
        yield start + datetime.timedelta(minutes=15 * step)


def cumulative_series(meter: str, start: datetime.datetime, days: int, *, first=Decimal("1000"), step=Decimal("2.5")):
    """A register that grows by `step` (plus a little daily shape) every quarter hour."""
    value = first
    rows = []
    for index, ts in enumerate(quarter_hours(start, days)):
        rows.append({"meter": meter, "ts": ts.isoformat(), "value": str(value)})
        value += step + Decimal(index % 4) / 4
    return rows


def interval_series(meter: str, start: datetime.datetime, days: int, *, amount=Decimal("0.75")):
    return [{"meter": meter, "ts": ts.isoformat(), "value": str(amount + Decimal(i % 3) / 10)}
            for i, ts in enumerate(quarter_hours(start, days))]


def snapshot():
    """Everything the readings path writes, comparable with ==."""
    return {
        "readings": list(Reading.objects.order_by("meter_id", "ts").values_list("meter_id", "ts", "value")),
        "daily": list(DailyRollup.objects.order_by("meter_id", "day")
                      .values_list("meter_id", "day", "consumption", "reading_count")),
        "monthly": list(MonthlyRollup.objects.order_by("meter_id", "month")
                        .values_list("meter_id", "month", "consumption", "reading_count")),
        "issues": list(QualityIssue.objects.order_by("meter_id", "kind", "ts").values_list("meter_id", "kind", "ts")),
    }
