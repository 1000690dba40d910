"""What new readings change in a meter's series: consumption per day and month, and the
data-quality findings. Pure functions, no database.

A cumulative meter's consumption between two consecutive readings is the difference of their
registers (with the roll-over at `register_max`), and belongs to the day of the later reading.
An interval meter's reading is its own consumption, on the day of its timestamp. Days are
local days of settings.TIME_ZONE.

New readings may arrive in any order. Inserting a reading between two stored ones replaces
one difference by two, so the change is computed on a *window*: the stored reading before the
new ones, every reading between the first and the last new one, and the stored reading after.
The change to the roll-ups is (sum over the window with the new readings) minus (sum over the
window without them); pairs outside the window are untouched.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .meters import MeterInfo

ZERO = Decimal(0)
MIN_PAIRS_FOR_BASELINE = 8


class Point:
    """A reading in a window: its time (UTC), value, whether it is new, and its local day."""

    __slots__ = ("ts", "value", "new", "day")

    def __init__(self, ts: datetime.datetime, value: Decimal, new: bool, day: datetime.date):
        self.ts, self.value, self.new, self.day = ts, value, new, day

    def __repr__(self):
        return f"Point({self.ts.isoformat()}, {self.value}, new={self.new})"


@dataclass(slots=True)
class Baseline:
    """A meter's usual spacing of readings (seconds) and usual consumption per reading."""

    spacing: float | None = None
    consumption: Decimal | None = None


@dataclass
class Issue:
    meter_id: int
    kind: str
    ts: datetime.datetime
    details: dict


@dataclass
class Changes:
    """What to add to the roll-ups, which issues to record, and where old issues are stale."""

    daily: dict = field(default_factory=lambda: defaultdict(lambda: [ZERO, 0]))  # (meter, day) -> [sum, count]
    issues: list[Issue] = field(default_factory=list)
    stale: list[tuple[int, datetime.datetime, datetime.datetime]] = field(default_factory=list)

    def add(self, meter_id: int, day: datetime.date, consumption: Decimal, count: int) -> None:
        entry = self.daily[(meter_id, day)]
        entry[0] += consumption
        entry[1] += count

    def monthly(self) -> dict:
        months = defaultdict(lambda: [ZERO, 0])
        for (meter_id, day), (consumption, count) in self.daily.items():
            entry = months[(meter_id, day.replace(day=1))]
            entry[0] += consumption
            entry[1] += count
        return months


def register_delta(meter: MeterInfo, previous: Decimal, current: Decimal) -> tuple[Decimal, str | None]:
    """Consumption between two register values, and 'rollover' or 'negative_delta' when the
    register went down. A fall is a roll-over when the meter has a register maximum and the
    rolled-over consumption is less than half of it; otherwise it is a negative delta (a meter
    replaced or reset, a wrong reading), which counts as no consumption."""
    if current >= previous:
        return current - previous, None
    if meter.register_max:
        rolled = meter.register_max - previous + current
        if rolled < meter.register_max / 2:
            return rolled, "rollover"
    return ZERO, "negative_delta"


def window_changes(meter: MeterInfo, window: list[Point], baseline: Baseline | None, changes: Changes, *,
                   gap_factor: int, spike_factor: int) -> None:
    """Add to `changes` what the new points of `window` (sorted by time) change. Without a
    `baseline`, the window's own is used when it is long enough (see `window_baseline`)."""
    steps = pair_steps(meter, window)
    daily = defaultdict(lambda: [ZERO, 0])
    for point in window:
        if point.new:
            daily[point.day][1] += 1
    if meter.cumulative:
        for _previous, current, _spacing, amount, _event in steps:
            daily[current.day][0] += amount
        old = [point for point in window if not point.new]
        for _previous, current, _spacing, amount, _event in pair_steps(meter, old):
            daily[current.day][0] -= amount
    else:
        for point in window:
            if point.new:
                daily[point.day][0] += point.value
    for day, (amount, count) in daily.items():
        changes.add(meter.id, day, amount, count)
    baseline = window_baseline(steps) or baseline or Baseline()
    changes.issues.extend(_issues(meter, steps, baseline, gap_factor, spike_factor))


def pair_steps(meter: MeterInfo, window: list[Point]) -> list[tuple]:
    """(previous, current, spacing in seconds, consumption, register event) for each pair of
    consecutive points."""
    steps = []
    for previous, current in zip(window, window[1:]):
        spacing = (current.ts - previous.ts).total_seconds()
        if meter.cumulative:
            amount, event = register_delta(meter, previous.value, current.value)
        else:
            amount, event = current.value, None
        steps.append((previous, current, spacing, amount, event))
    return steps


def window_baseline(steps: list[tuple]) -> Baseline | None:
    """The usual spacing and consumption from the window itself, when it is long enough."""
    if len(steps) < MIN_PAIRS_FOR_BASELINE:
        return None
    amounts = [step[3] for step in steps if step[4] is None and step[3] > 0]
    consumption = _median(amounts) if len(amounts) >= MIN_PAIRS_FOR_BASELINE else None
    return Baseline(spacing=_median([step[2] for step in steps]), consumption=consumption)


def _median(values: list):
    """The median (of an even count: the upper middle one, which is enough for a yardstick)."""
    values.sort()
    return values[len(values) // 2]


def _issues(meter: MeterInfo, steps: list[tuple], baseline: Baseline, gap_factor: int, spike_factor: int):
    gap_after = gap_factor * baseline.spacing if baseline.spacing else None
    spike_above = baseline.consumption * spike_factor if baseline.consumption else None
    for previous, current, spacing, amount, event in steps:
        if not (previous.new or current.new):
            continue
        if event == "negative_delta":
            yield Issue(meter.id, "negative_delta", current.ts,
                        {"previous": str(previous.value), "value": str(current.value)})
        elif event == "rollover":
            yield Issue(meter.id, "rollover", current.ts,
                        {"previous": str(previous.value), "value": str(current.value), "consumption": str(amount)})
        if gap_after is not None and spacing > gap_after:
            yield Issue(meter.id, "gap", current.ts,
                        {"since": previous.ts.isoformat(), "seconds": int(spacing),
                         "usual_seconds": int(baseline.spacing)})
        if spike_above is not None and event is None and amount > spike_above:
            # A register's difference spans the whole gap; an interval reading does not.
            if meter.cumulative and baseline.spacing and spacing > baseline.spacing:
                if amount <= spike_above * Decimal(str(round(spacing / baseline.spacing, 6))):
                    continue
            yield Issue(meter.id, "spike", current.ts,
                        {"consumption": str(amount), "usual": str(baseline.consumption)})
