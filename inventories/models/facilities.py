"""What an enterprise measures: facilities, their emission sources and meters."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Enterprise

from ..choices import Category, EnergyType, Fuel

METER_UNITS = [("kWh", "kWh"), ("MWh", "MWh"), ("m3", "m³"), ("GJ", "GJ"), ("t", "t"), ("L", "L"), ("kg", "kg")]


class Facility(models.Model):
    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="facilities", verbose_name=_("enterprise"))
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    boundary = models.TextField(
        _("boundary"), blank=True,
        help_text=_("The organisational and operational boundary (GB/T 32150): what is inside the inventory and "
                    "what is outside."),
    )

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="facility_unique_name")]

    def __str__(self):
        return self.name


class EmissionSource(models.Model):
    facility = models.ForeignKey(Facility, models.CASCADE, related_name="emission_sources", verbose_name=_("facility"))
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    fuel = models.CharField(_("fuel"), max_length=30, choices=Fuel.choices, blank=True)

    class Meta:
        ordering = ["facility", "name"]
        verbose_name = _("emission source")
        verbose_name_plural = _("emission sources")

    def __str__(self):
        return f"{self.facility} · {self.name}"


class Meter(models.Model):
    class ReadingKind(models.TextChoices):
        CUMULATIVE = "cumulative", _("Cumulative register")
        INTERVAL = "interval", _("Interval consumption")

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="meters", verbose_name=_("enterprise"))
    facility = models.ForeignKey(
        Facility, models.SET_NULL, null=True, blank=True, related_name="meters", verbose_name=_("facility")
    )
    emission_source = models.ForeignKey(
        EmissionSource, models.SET_NULL, null=True, blank=True, related_name="meters",
        verbose_name=_("emission source"),
    )
    identifier = models.CharField(
        _("identifier"), max_length=64, unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", _("Letters, digits, '.', '_' and '-' only."))],
    )
    name = models.CharField(_("name"), max_length=200)
    energy_type = models.CharField(_("energy type"), max_length=20, choices=EnergyType.choices)
    unit = models.CharField(_("unit"), max_length=8, choices=METER_UNITS)
    reading_kind = models.CharField(_("reading kind"), max_length=10, choices=ReadingKind.choices)
    register_max = models.DecimalField(
        _("register maximum"), max_digits=20, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("For a cumulative meter: the value at which the register rolls over to zero."),
    )
    parent = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="sub_meters", verbose_name=_("main meter"),
        help_text=_("The meter upstream of this one, of the same energy: this meter is one of its sub-meters."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("meter")
        verbose_name_plural = _("meters")

    def __str__(self):
        return self.identifier
