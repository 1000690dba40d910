"""Meter readings, their daily and monthly roll-ups, and the data-quality issues found in them.

Readings are the big table: keyed by (meter, ts) so that a re-sent reading is a duplicate,
never a second row. A calculation never reads them: it reads the roll-ups, which the write
path keeps up to date (`ingestion.readings.rollups`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventories.models import Meter


class Reading(models.Model):
    """One value of a meter at a moment: the register for a cumulative meter, the consumption
    of the interval for an interval meter (in the meter's unit)."""

    pk = models.CompositePrimaryKey("meter_id", "ts")
    # The primary key (meter_id, ts) serves lookups by meter: no second index on the big table.
    # No database-level foreign key either: checking it costs more than the insert itself at
    # 100,000 rows a second. The write path takes meter ids only from the meters table, in the
    # same transaction, and deleting a meter through Django deletes its readings (CASCADE).
    meter = models.ForeignKey(Meter, models.CASCADE, related_name="readings", db_index=False,
                              db_constraint=False, verbose_name=_("meter"))
    ts = models.DateTimeField(_("time"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)

    class Meta:
        ordering = ["meter", "ts"]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")

    def __str__(self):
        return f"{self.meter_id} {self.ts.isoformat()} {self.value}"


class DailyRollup(models.Model):
    """Consumption of a meter on one local day (settings.TIME_ZONE), maintained on write."""

    pk = models.CompositePrimaryKey("meter_id", "day")
    meter = models.ForeignKey(Meter, models.CASCADE, related_name="daily_rollups", db_index=False,
                              verbose_name=_("meter"))
    day = models.DateField(_("day"))
    consumption = models.DecimalField(_("consumption"), max_digits=24, decimal_places=6)
    reading_count = models.PositiveIntegerField(_("readings"))

    class Meta:
        ordering = ["meter", "day"]
        verbose_name = _("daily roll-up")
        verbose_name_plural = _("daily roll-ups")


class MonthlyRollup(models.Model):
    """Consumption of a meter in one local month; `month` is the month's first day."""

    pk = models.CompositePrimaryKey("meter_id", "month")
    meter = models.ForeignKey(Meter, models.CASCADE, related_name="monthly_rollups", db_index=False,
                              verbose_name=_("meter"))
    month = models.DateField(_("month"))
    consumption = models.DecimalField(_("consumption"), max_digits=24, decimal_places=6)
    reading_count = models.PositiveIntegerField(_("readings"))

    class Meta:
        ordering = ["meter", "month"]
        verbose_name = _("monthly roll-up")
        verbose_name_plural = _("monthly roll-ups")


class QualityIssue(models.Model):
    """A data-quality finding on a meter's readings, shown to the officer. At most one of each
    kind per meter and moment, so that re-sent readings do not repeat it."""

    class Kind(models.TextChoices):
        GAP = "gap", _("Gap in the readings")
        NEGATIVE_DELTA = "negative_delta", _("Register went backwards")
        ROLLOVER = "rollover", _("Register rolled over")
        SPIKE = "spike", _("Spike in consumption")
        FUTURE = "future", _("Reading in the future")

    meter = models.ForeignKey(Meter, models.CASCADE, related_name="quality_issues", db_index=False,
                              verbose_name=_("meter"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    ts = models.DateTimeField(_("time"), help_text=_("The reading at which the issue shows."))
    details = models.JSONField(_("details"), default=dict)
    detected_at = models.DateTimeField(_("detected at"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["meter", "-ts"]
        verbose_name = _("data-quality issue")
        verbose_name_plural = _("data-quality issues")
        constraints = [models.UniqueConstraint(fields=["meter", "kind", "ts"], name="quality_issue_once")]
        indexes = [models.Index(fields=["meter", "ts"], name="quality_issue_meter_ts")]

    def __str__(self):
        return f"{self.meter_id} {self.get_kind_display()} {self.ts.isoformat()}"
