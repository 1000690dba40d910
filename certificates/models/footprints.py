"""Inputs of product carbon footprints (GB/T 24067-2024, cradle-to-gate).

The site's emissions of the inventory are allocated to its products (inventories.InventoryProduct)
by physical output or by value; each product adds its upstream inputs, valued either with an
emission factor (with its source) or with the footprint of a supplier's product label issued by
this portal, resolved by its identifier, so that footprints chain along the supply chain.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from inventories.models import Inventory, InventoryProduct

from .labels import Label


class AllocationBasis(models.TextChoices):
    PHYSICAL = "physical", _("By physical output")
    ECONOMIC = "economic", _("By output value")


class FootprintMethod(models.Model):
    """How an inventory's site emissions are shared among its products."""

    inventory = models.OneToOneField(Inventory, models.CASCADE, related_name="footprint_method",
                                     verbose_name=_("inventory"))
    allocation_basis = models.CharField(_("allocation basis"), max_length=10, choices=AllocationBasis.choices,
                                        default=AllocationBasis.PHYSICAL)
    note = models.TextField(_("justification of the allocation"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("footprint method")
        verbose_name_plural = _("footprint methods")

    def __str__(self):
        return f"{self.inventory}: {self.get_allocation_basis_display()}"


class UpstreamInput(models.Model):
    """A purchased material or part consumed for a product's output of the inventory year."""

    class Source(models.TextChoices):
        FACTOR = "factor", _("Emission factor")
        LABEL = "label", _("Supplier's product label")

    product = models.ForeignKey(InventoryProduct, models.CASCADE, related_name="upstream_inputs",
                                verbose_name=_("product"))
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity consumed in the year"), max_digits=20, decimal_places=6,
                                   validators=[MinValueValidator(Decimal("0"))])
    unit = models.CharField(_("unit"), max_length=30)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    emission_factor = models.DecimalField(_("emission factor (tCO2e per unit)"), max_digits=20, decimal_places=9,
                                          null=True, blank=True, validators=[MinValueValidator(Decimal("0"))])
    factor_source = models.CharField(_("source of the factor"), max_length=300, blank=True)
    supplier_label = models.ForeignKey(Label, models.PROTECT, null=True, blank=True, related_name="used_as_input",
                                       verbose_name=_("supplier's label"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product", "id"]
        verbose_name = _("upstream input")
        verbose_name_plural = _("upstream inputs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source="factor", emission_factor__isnull=False, supplier_label__isnull=True)
                | models.Q(source="label", emission_factor__isnull=True, supplier_label__isnull=False),
                name="upstream_input_one_source",
            ),
        ]

    def __str__(self):
        return f"{self.description} {self.quantity.normalize()} {self.unit}"

    def clean(self):
        if self.source == self.Source.FACTOR and not self.factor_source:
            raise ValidationError({"factor_source": _("Name the source of the emission factor.")})
