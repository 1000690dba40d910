"""Forms of the people pages (an enterprise's people; verifier bodies and authorities for platform
administrators). They shape the input; the rules are in `carbon_portal.accounts.invitations`,
`people` and `bodies`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Industry, Role
from carbon_portal.core.regions import region_choices

from . import PortalForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InviteForm(PortalForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             help_text=_("The invitation link is sent there; it works once, for a limited time."))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(role, labels[role]) for role in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
            self.fields["role"].widget = forms.HiddenInput()


class ActionForm(PortalForm):
    """A button without fields (deactivate, resend, ...): a refusal shows above it."""


class VerifierBodyForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, min_length=18,
                                  help_text=_("18 characters; the last one is a check character."))
    accreditation_number = forms.CharField(label=_("Accreditation number"), max_length=50)
    scope = forms.ModelMultipleChoiceField(label=_("Accredited scope (industries)"), queryset=Industry.objects.all(),
                                           widget=forms.SelectMultiple(attrs={"size": 10}))
    accredited_from = forms.DateField(label=_("Accredited from"), widget=DATE)
    accredited_until = forms.DateField(label=_("Accredited until"), widget=DATE)

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    def clean(self):
        data = super().clean()
        start, end = data.get("accredited_from"), data.get("accredited_until")
        if start and end and end < start:
            self.add_error("accredited_until", _("The accreditation ends before it starts."))
        return data


class AuthorityForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    region_codes = forms.MultipleChoiceField(
        label=_("Jurisdiction: regions"), widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("A province or prefecture covers everything in it."))
    industries = forms.ModelMultipleChoiceField(
        label=_("Jurisdiction: industries"), queryset=Industry.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}), help_text=_("None chosen: every industry."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_codes"].choices = region_choices()
