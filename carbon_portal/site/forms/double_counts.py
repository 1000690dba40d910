"""The officer's choice on a group of possibly double-counted records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inventories.double_counting import COUNT_ALL
from inventories.double_counts import MAX_REASON, origin_label

from . import TEXTAREA, PortalForm


class DoubleCountDecisionForm(PortalForm):
    counted = forms.ChoiceField(label=_("Which records count?"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Why? (required)"), widget=TEXTAREA, max_length=MAX_REASON)
    # The records as shown: if one came or went meanwhile, the service refuses and the page shows it again.
    records = forms.CharField(widget=forms.HiddenInput, max_length=200000)

    def __init__(self, *args, origins=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(origin, _("Only the %(origin)s records (the others are left out of the calculation)")
                    % {"origin": origin_label(origin)}) for origin in origins]
        choices.append((COUNT_ALL, _("These are distinct: all of them count")))
        self.fields["counted"].choices = choices

    def clean_records(self):
        text = self.cleaned_data["records"]
        parts = [part for part in text.split(",") if part]
        if not parts or not all(part.isascii() and part.isdigit() and len(part) < 19 for part in parts):
            raise forms.ValidationError(_("The records compared are missing; open the comparison again."))
        return [int(part) for part in parts]
