"""Forms of the master-data pages: facilities, emission sources, meters, device keys. They shape
the input; the rules (names taken, which values fit together, who may) are in
`inventories.master_data` and `ingestion.device_key_services`."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from inventories.choices import Category, EnergyType, Fuel
from inventories.models import Meter
from inventories.models.facilities import METER_UNITS

from . import TEXTAREA, PortalForm


class _EnterpriseChoice:
    """An enterprise field, hidden when the officer has only one."""

    def _enterprise_field(self, enterprises):
        self.fields["enterprise"].queryset = enterprises
        if enterprises.count() == 1:
            self.fields["enterprise"].initial = enterprises.first().pk
            self.fields["enterprise"].widget = forms.HiddenInput()


class FacilityForm(_EnterpriseChoice, PortalForm):
    enterprise = forms.ModelChoiceField(queryset=None, label=_("Enterprise"), empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    boundary = forms.CharField(
        label=_("Boundary"), max_length=4000, required=False, widget=TEXTAREA,
        help_text=_("The organisational and operational boundary (GB/T 32150): which sites, installations and "
                    "activities are inside the inventory, and what is outside (e.g. leased-out buildings, "
                    "canteens run by others)."))

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is None:  # editing: the enterprise stays
            del self.fields["enterprise"]
        else:
            self._enterprise_field(enterprises)


class ProductForm(_EnterpriseChoice, PortalForm):
    enterprise = forms.ModelChoiceField(queryset=None, label=_("Enterprise"), empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Product code or model number"), max_length=64, required=False)
    declared_unit = forms.CharField(label=_("Declared unit"), max_length=30,
                                    help_text=_("The unit a footprint is declared per, e.g. t, piece, m2."))
    description = forms.CharField(label=_("Description"), max_length=2000, required=False, widget=TEXTAREA)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("Only active products can be added to an inventory."))

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is None:  # editing: the enterprise stays
            del self.fields["enterprise"]
        else:
            self._enterprise_field(enterprises)


class InventoryProductForm(PortalForm):
    """A catalogue product listed in an inventory, with its output and value of the year."""

    product = forms.ModelChoiceField(queryset=None, label=_("Product"), empty_label=_("— choose a product —"))
    output = forms.DecimalField(label=_("Output in the declared unit"), min_value=Decimal("0.000001"),
                                max_digits=20, decimal_places=6,
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    value_10k_yuan = forms.DecimalField(label=_("Output value (10^4 yuan)"), required=False,
                                        min_value=Decimal("0.0001"), max_digits=16, decimal_places=4,
                                        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                                        help_text=_("Needed when the site's emissions are allocated by value."))

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        if products is None:  # editing: the product stays
            del self.fields["product"]
        else:
            self.fields["product"].queryset = products


class SourceForm(PortalForm):
    facility = forms.ModelChoiceField(queryset=None, label=_("Facility"), empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    fuel = forms.ChoiceField(label=_("Fuel"), required=False, choices=[("", _("— not a fuel —"))] + list(Fuel.choices),
                             help_text=_("Only for fuel combustion, and required there."))

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities


class MeterForm(_EnterpriseChoice, PortalForm):
    enterprise = forms.ModelChoiceField(queryset=None, label=_("Enterprise"), empty_label=None)
    identifier = forms.CharField(label=_("Identifier"), max_length=64,
                                 help_text=_("What the device sends its readings by: letters, digits, '.', '_' and "
                                             "'-'. It cannot change later."))
    name = forms.CharField(label=_("Name"), max_length=200)
    energy_type = forms.ChoiceField(label=_("Energy type"), choices=EnergyType.choices)
    unit = forms.ChoiceField(label=_("Unit"), choices=METER_UNITS)
    reading_kind = forms.ChoiceField(label=_("Reading kind"), choices=Meter.ReadingKind.choices)
    register_max = forms.DecimalField(
        label=_("Register maximum"), required=False, min_value=Decimal("0.000001"), max_digits=20, decimal_places=6,
        help_text=_("For a cumulative meter: the value at which the register rolls over to zero."))
    facility = forms.ModelChoiceField(queryset=None, label=_("Facility"), required=False,
                                      empty_label=_("— none —"))
    emission_source = forms.ModelChoiceField(queryset=None, label=_("Emission source"), required=False,
                                             empty_label=_("— none —"),
                                             help_text=_("What the meter measures; its facility is taken if none is "
                                                         "chosen."))
    parent = forms.ModelChoiceField(queryset=None, label=_("Main meter"), required=False, empty_label=_("— none —"),
                                    help_text=_("If this is a sub-meter: the meter upstream of it, of the same energy."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, facilities, sources, meters, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["emission_source"].queryset = sources
        self.fields["parent"].queryset = meters
        if enterprises is None:  # editing: enterprise and identifier stay
            del self.fields["enterprise"]
            del self.fields["identifier"]
        else:
            self._enterprise_field(enterprises)


class DeviceKeyForm(PortalForm):
    name = forms.CharField(label=_("Name of the device"), max_length=100,
                           help_text=_("E.g. the gateway or logger that sends this meter's readings."))
