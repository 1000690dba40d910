from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Industry
from certificates.models import AllocationBasis, UpstreamInput

from . import CheckedForm


class GovernmentFilterForm(CheckedForm):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.all(), required=False)
    region = forms.RegexField(label=_("Region code"), regex=r"^[0-9]{6}$", required=False,
                              help_text=_("e.g. 330100 for a city and its districts"))


class BaselineForm(CheckedForm):
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.all())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    average_intensity = forms.DecimalField(label=_("Average carbon intensity (tCO2 per 10^4 yuan)"), max_digits=16,
                                           decimal_places=6, min_value=Decimal("0.000001"))
    source = forms.CharField(label=_("Source (notice, statistics)"), max_length=300, required=False)

    def __init__(self, *args, industries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if industries is not None:
            self.fields["industry"].queryset = industries


class StatusChangeForm(CheckedForm):
    action = forms.ChoiceField(choices=[("suspend", _("Suspend")), ("resume", _("Resume")), ("revoke", _("Revoke"))])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class FootprintMethodForm(CheckedForm):
    allocation_basis = forms.ChoiceField(label=_("Allocation basis"), choices=AllocationBasis.choices)
    note = forms.CharField(label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UpstreamInputForm(CheckedForm):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    description = forms.CharField(label=_("Input"), max_length=200)
    quantity = forms.DecimalField(label=_("Quantity in the year"), max_digits=20, decimal_places=6, min_value=0)
    unit = forms.CharField(label=_("Unit"), max_length=30)
    source = forms.ChoiceField(label=_("Valued by"), choices=UpstreamInput.Source.choices)
    emission_factor = forms.DecimalField(label=_("Emission factor (tCO2e per unit)"), required=False, max_digits=20,
                                         decimal_places=9, min_value=0)
    factor_source = forms.CharField(label=_("Source of the factor"), required=False, max_length=300)
    supplier_identifier = forms.CharField(label=_("Supplier's label identifier"), required=False, max_length=140)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
