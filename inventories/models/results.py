"""Calculation results: immutable, each with the snapshot of the factor values it used."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Category
from .factors import FactorSet
from .inventories import ActivityRecord, Inventory


class ImmutableError(Exception):
    pass


class CalculationResult(models.Model):
    inventory = models.ForeignKey(Inventory, models.CASCADE, related_name="results", verbose_name=_("inventory"))
    factor_set = models.ForeignKey(FactorSet, models.PROTECT, related_name="+", verbose_name=_("factor set"))
    factor_snapshot = models.JSONField(_("factor values used"))
    factor_tables = models.JSONField(
        _("factor tables of the lines"), default=list,
        help_text=_("Each distinct table of factors the lines used, stored once; a line points at its table."))
    total_tco2e = models.DecimalField(_("total emissions (tCO2e)"), max_digits=24, decimal_places=6)
    by_category = models.JSONField(_("emissions by category"))
    energy_tce = models.DecimalField(_("comprehensive energy consumption (tce)"), max_digits=24, decimal_places=6)
    # The total less industrial process emissions: the numerator of the carbon intensity L (docs/reference.md).
    energy_related_tco2e = models.DecimalField(_("energy-related emissions (tCO2e)"), max_digits=24,
                                               decimal_places=6)
    added_value_10k_yuan = models.DecimalField(_("added value (10^4 yuan)"), max_digits=16, decimal_places=4,
                                               null=True, blank=True)
    intensity_tco2e_per_10k_yuan = models.DecimalField(_("carbon intensity (tCO2e per 10^4 yuan)"),
                                                       max_digits=20, decimal_places=6, null=True, blank=True)
    calculated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                      verbose_name=_("calculated by"))
    calculated_at = models.DateTimeField(auto_now_add=True)
    # Records left out as double counting (inventories.double_counting): what, which decision, why.
    exclusions = models.JSONField(
        _("records excluded as double counting"), default=list, blank=True,
        help_text=_("Each record left out of this calculation, with the decision and its reason."))

    class Meta:
        ordering = ["inventory", "-calculated_at", "-id"]
        get_latest_by = ["calculated_at", "id"]
        verbose_name = _("calculation result")
        verbose_name_plural = _("calculation results")

    def __str__(self):
        return f"{self.inventory}: {self.total_tco2e.normalize()} tCO2e"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("A calculation result is never changed; calculate again instead.")
        super().save(*args, **kwargs)

    @property
    def carbon_intensity(self) -> Decimal | None:
        """L of the grading (docs/reference.md): energy-related CO2 per 10^4 yuan of added value, unrounded.

        `intensity_tco2e_per_10k_yuan` is the same figure stored to 6 places; grading compares the exact one.
        """
        if not self.added_value_10k_yuan:
            return None
        return self.energy_related_tco2e / self.added_value_10k_yuan


class ResultLine(models.Model):
    """One activity record's share of a result, with the trace of how it was computed."""

    result = models.ForeignKey(CalculationResult, models.CASCADE, related_name="lines", verbose_name=_("result"))
    index = models.PositiveIntegerField(_("line"))
    activity_record = models.ForeignKey(ActivityRecord, models.SET_NULL, null=True, blank=True, related_name="+",
                                        verbose_name=_("activity record"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    inputs = models.JSONField(_("inputs"), help_text=_("The activity line as it was calculated."))
    tco2e = models.DecimalField(_("emissions (tCO2e)"), max_digits=24, decimal_places=6)
    activity_gj = models.DecimalField(_("activity data (GJ)"), max_digits=24, decimal_places=6, null=True)
    energy_tce = models.DecimalField(_("energy (tce)"), max_digits=24, decimal_places=6)
    factor_table = models.PositiveIntegerField(_("factor table"),
                                               help_text=_("Position in the result's factor tables."))
    formula = models.TextField(_("formula"))
    conversions = models.JSONField(_("unit conversions"), default=list)

    class Meta:
        ordering = ["result", "index"]
        verbose_name = _("result line")
        verbose_name_plural = _("result lines")
        constraints = [models.UniqueConstraint(fields=["result", "index"], name="result_line_unique_index")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("A result line is never changed.")
        super().save(*args, **kwargs)

    @property
    def factors(self) -> dict:
        """The factors of this line: name -> value, unit, origin, source (the engine's trace)."""
        return self.result.factor_tables[self.factor_table]
