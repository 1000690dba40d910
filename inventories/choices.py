from django.utils.translation import gettext_lazy as _
from django.db import models


class Category(models.TextChoices):
    """Emission categories of GB/T 32150 (docs/interfaces.md §3)."""

    FUEL_COMBUSTION = "fuel_combustion", _("Fuel combustion")
    PROCESS = "process", _("Industrial process")
    PURCHASED_ELECTRICITY = "purchased_electricity", _("Purchased electricity")
    PURCHASED_HEAT = "purchased_heat", _("Purchased heat")
    EXPORTED_ELECTRICITY = "exported_electricity", _("Exported electricity")
    EXPORTED_HEAT = "exported_heat", _("Exported heat")


class EnergyType(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    NATURAL_GAS = "natural_gas", _("Natural gas")
    HEAT = "heat", _("Heat")
    STEAM = "steam", _("Steam")
    DIESEL = "diesel", _("Diesel")
    GASOLINE = "gasoline", _("Gasoline")
    RAW_COAL = "raw_coal", _("Raw coal")
    LPG = "lpg", _("LPG")
    FUEL_OIL = "fuel_oil", _("Fuel oil")
    WATER = "water", _("Water")
    OTHER = "other", _("Other")


class Fuel(models.TextChoices):
    """Fuels with defaults in the factor library (docs/reference.md)."""

    RAW_COAL = "raw_coal", _("Raw coal")
    COKE = "coke", _("Coke")
    CRUDE_OIL = "crude_oil", _("Crude oil")
    FUEL_OIL = "fuel_oil", _("Fuel oil")
    GASOLINE = "gasoline", _("Gasoline")
    KEROSENE = "kerosene", _("Kerosene")
    DIESEL = "diesel", _("Diesel")
    LPG = "lpg", _("LPG")
    REFINERY_DRY_GAS = "refinery_dry_gas", _("Refinery dry gas")
    NATURAL_GAS = "natural_gas", _("Natural gas")


class Origin(models.TextChoices):
    MANUAL = "manual", _("Manual entry")
    INVOICE = "invoice", _("Invoice")
    METER = "meter", _("Meter readings")
    IMPORT = "import", _("Spreadsheet import")


class InventoryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COLLECTING = "collecting", _("Collecting data")
    CALCULATED = "calculated", _("Calculated")
    IN_REVIEW = "in_review", _("In internal review")
    SUBMITTED = "submitted", _("Submitted")
    VERIFYING = "verifying", _("Being verified")
    CORRECTIONS_REQUESTED = "corrections_requested", _("Corrections requested")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    CERTIFIED = "certified", _("Certified")
