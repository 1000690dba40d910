"""Forms of the master-data pages: facilities, emission sources, meters, device keys. They shape
the input; the rules (names taken, which values fit together, who may) are in
`inventories.master_data` and `ingestion.device_key_services`."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from inventories.choices import Category, EnergyType, Fuel
from inventories.models import Meter
from inventories.models.facilities import METER_UNITS

from . import PortalForm


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

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is None:  # editing: the enterprise stays
            del self.fields["enterprise"]
        else:
            self._enterprise_field(enterprises)


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
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, facilities, sources, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["emission_source"].queryset = sources
        if enterprises is None:  # editing: enterprise and identifier stay
            del self.fields["enterprise"]
            del self.fields["identifier"]
        else:
            self._enterprise_field(enterprises)


class DeviceKeyForm(PortalForm):
    name = forms.CharField(label=_("Name of the device"), max_length=100,
                           help_text=_("E.g. the gateway or logger that sends this meter's readings."))
