"""The enterprise's product catalogue: what it makes, in which declared unit (GB/T 24067).

An inventory lists the products of its year (`InventoryProduct`) with their output and value;
each entry keeps its own copy of the name and declared unit taken when it was added, so that a
later change of the catalogue never alters an inventory."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Enterprise


class Product(models.Model):
    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="catalogue_products",
                                   verbose_name=_("enterprise"))
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("product code or model number"), max_length=64, blank=True)
    declared_unit = models.CharField(_("declared unit"), max_length=30, help_text=_("e.g. t, piece, m2"))
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("catalogue product")
        verbose_name_plural = _("catalogue products")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="product_unique_name")]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.code else self.name
