"""Industry averages of carbon intensity, the reference of the carbon-efficiency value K."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Authority, Industry


class IndustryBaseline(models.Model):
    """The average carbon intensity of an industry in a year, against which K is computed."""

    class Basis(models.TextChoices):
        SET_BY_AUTHORITY = "set", _("Set by the authority")
        COMPUTED = "computed", _("Computed from verified inventories")

    industry = models.ForeignKey(Industry, models.PROTECT, related_name="baselines", verbose_name=_("industry"))
    year = models.PositiveSmallIntegerField(_("year"))
    average_intensity = models.DecimalField(
        _("average carbon intensity (tCO2 per 10^4 yuan)"), max_digits=16, decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
    )
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices, default=Basis.SET_BY_AUTHORITY)
    authority = models.ForeignKey(Authority, models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("authority"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    inventory_count = models.PositiveIntegerField(
        _("verified inventories"), null=True, blank=True,
        help_text=_("For a computed average: how many verified inventories it was computed from."),
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("set by"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "industry"]
        verbose_name = _("industry baseline")
        verbose_name_plural = _("industry baselines")
        constraints = [models.UniqueConstraint(fields=["industry", "year"], name="baseline_unique_year")]

    def __str__(self):
        return f"{self.industry_id} {self.year}: {self.average_intensity.normalize()}"
