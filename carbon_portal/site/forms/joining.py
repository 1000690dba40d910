"""Forms of joining: the application of an enterprise, and the approver's decision. They shape
the input; the rules (the code's checksum, codes already registered or waiting, known regions,
who decides) are in `carbon_portal.accounts.applications`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.applications import normalise_credit_code
from carbon_portal.accounts.models import Industry, validate_phone
from carbon_portal.accounts.uscc import uscc_error
from carbon_portal.core.regions import region_choices

from . import TEXTAREA, PortalForm


class ApplicationForm(PortalForm):
    name = forms.CharField(label=_("Enterprise name"), max_length=200,
                           help_text=_("As on the business licence."))
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, min_length=18,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                                  help_text=_("The 18 characters of the business licence (GB 32100)."))
    industry = forms.ModelChoiceField(queryset=Industry.objects.all(), label=_("Industry (GB/T 4754)"),
                                      empty_label=_("— choose —"))
    region_code = forms.ChoiceField(label=_("Region (GB/T 2260)"))
    address = forms.CharField(label=_("Address"), max_length=300)
    contact_name = forms.CharField(label=_("Contact name"), max_length=150,
                                   help_text=_("The person who becomes the enterprise's administrator."))
    contact_email = forms.EmailField(label=_("Contact e-mail"), max_length=254,
                                     help_text=_("The decision and, once approved, the link to set a password are "
                                                 "sent here."))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=25, validators=[validate_phone])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = [("", _("— choose —")), *region_choices()]

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        error = uscc_error(code)
        if error:
            raise ValidationError(_("Invalid unified social credit code: %(error)s"), params={"error": error},
                                  code="invalid")
        return code


class DecisionForm(PortalForm):
    """Approving takes nothing; rejecting takes the reason, which the applicant is sent."""

    reason = forms.CharField(label=_("Reason for rejecting"), max_length=2000, widget=TEXTAREA,
                             help_text=_("Sent to the applicant."))

    def __init__(self, *args, reject: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not reject:
            del self.fields["reason"]
