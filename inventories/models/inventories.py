"""A yearly inventory of one enterprise and the activity data collected for it."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from carbon_portal.accounts.models import Enterprise

from ..choices import Category, Fuel, InventoryStatus, Origin
from .facilities import EmissionSource, Meter
from .factors import FactorSet
from .products import Product

# Line parameters a user may give to override a library default (docs/interfaces.md §3).
LINE_PARAMETERS = (
    "ncv", "ncv_unit", "carbon_content", "carbon_content_unit", "oxidation_rate", "oxidation_rate_unit",
    "emission_factor", "emission_factor_unit", "density", "density_unit", "standard_coal", "standard_coal_unit",
    "region", "programme",
)


class Inventory(FSMModelMixin, models.Model):
    """A yearly inventory. Its status is moved only by the lifecycle that the workflows app
    declares on top of it (`workflows.lifecycle.InventoryProcess`)."""

    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="inventories", verbose_name=_("enterprise"))
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    added_value_10k_yuan = models.DecimalField(
        _("industrial added value (10^4 yuan)"), max_digits=16, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    factor_set = models.ForeignKey(
        FactorSet, models.PROTECT, related_name="inventories", verbose_name=_("factor set"),
        help_text=_("The library edition this inventory is calculated with."),
    )
    # Moved only by the lifecycle's transitions; never written directly.
    status = FSMField(_("status"), max_length=30, choices=InventoryStatus.choices,
                      default=InventoryStatus.DRAFT, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "enterprise"]
        verbose_name = _("inventory")
        verbose_name_plural = _("inventories")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="inventory_one_per_year"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="inventory_period_ordered"),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year}"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class InventoryProduct(models.Model):
    """A product of the site in the inventory year (for product footprints, GB/T 24067). It keeps
    its own copy of the catalogue product's name and declared unit, taken when it was added."""

    inventory = models.ForeignKey(Inventory, models.CASCADE, related_name="products", verbose_name=_("inventory"))
    product = models.ForeignKey(Product, models.PROTECT, null=True, blank=True, related_name="inventory_entries",
                                verbose_name=_("catalogue product"))
    name = models.CharField(_("name"), max_length=200)
    declared_unit = models.CharField(_("declared unit"), max_length=30, help_text=_("e.g. t, piece, m2"))
    output = models.DecimalField(_("output in declared units"), max_digits=20, decimal_places=6,
                                 validators=[MinValueValidator(Decimal("0"))])
    value_10k_yuan = models.DecimalField(_("output value (10^4 yuan)"), max_digits=16, decimal_places=4,
                                         null=True, blank=True, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        ordering = ["inventory", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [models.UniqueConstraint(fields=["inventory", "product"], name="inventory_product_once")]

    def __str__(self):
        return self.name


class ActivityRecord(models.Model):
    """One line of activity data: a quantity of a fuel or energy over a period, with its evidence."""

    inventory = models.ForeignKey(Inventory, models.CASCADE, related_name="activity_records",
                                  verbose_name=_("inventory"))
    emission_source = models.ForeignKey(EmissionSource, models.SET_NULL, null=True, blank=True,
                                        related_name="activity_records", verbose_name=_("emission source"))
    meter = models.ForeignKey(Meter, models.SET_NULL, null=True, blank=True, related_name="activity_records",
                              verbose_name=_("meter"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    fuel = models.CharField(_("fuel"), max_length=30, choices=Fuel.choices, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=24, decimal_places=8,
                                   validators=[MinValueValidator(Decimal("0"))])
    unit = models.CharField(_("unit"), max_length=20)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True,
                                  help_text=_("Measured values that override library defaults."))
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    evidence = models.ForeignKey("ingestion.Evidence", models.PROTECT, null=True, blank=True,
                                 related_name="activity_records", verbose_name=_("evidence"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["inventory", "id"]
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=0),
                                              name="activity_quantity_not_negative")]

    def __str__(self):
        return f"{self.get_category_display()} {self.quantity.normalize()} {self.unit}"

    def as_line(self) -> dict:
        """The record in the line form of docs/interfaces.md §3, which the engine reads."""
        return activity_line(category=self.category, fuel=self.fuel, description=self.description,
                             quantity=self.quantity, unit=self.unit, parameters=self.parameters)


def activity_line(*, category: str, fuel: str, description: str, quantity: Decimal, unit: str,
                  parameters: dict) -> dict:
    line = {"category": category, "quantity": format(quantity.normalize(), "f"), "unit": unit}
    if fuel:
        line["fuel"] = fuel
    if description:
        line["description"] = description
    line.update({key: value for key, value in parameters.items() if key in LINE_PARAMETERS})
    return line
