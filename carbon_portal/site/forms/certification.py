from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Industry
from carbon_portal.core.errors import InvalidInput
from carbon_portal.core.regions import region_label
from certificates.government import check_region_filter, region_filter_choices
from certificates.models import AllocationBasis, UpstreamInput

from . import CheckedForm


class RegionFilterField(forms.ChoiceField):
    """A region of GB/T 2260 in the user's jurisdiction: offered as a select (names, codes), checked
    against the region table and the jurisdiction, not the options alone (an administrator's
    select lists the prefectures; any county code works in the address)."""

    user = None  # set by the form

    def valid_value(self, value):
        return True  # checked in validate()

    def validate(self, value):
        super().validate(value)
        if value:
            try:
                check_region_filter(self.user, value)
            except InvalidInput as error:
                raise ValidationError(str(error), code=error.code) from None


class GovernmentFilterForm(CheckedForm):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.all(), required=False)
    region = RegionFilterField(label=_("Region"), required=False,
                               help_text=_("A province or city includes its districts and counties."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.user = user
        choices = region_filter_choices(user)
        selected = self.data.get("region") if self.is_bound else None
        if selected and selected not in dict(choices):  # an administrator's county: shown as chosen
            try:
                choices.append((check_region_filter(user, selected), region_label(selected)))
            except InvalidInput:
                pass
        field.choices = [("", _("All regions of your jurisdiction")), *choices]


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
