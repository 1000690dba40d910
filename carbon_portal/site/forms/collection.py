"""Forms of the data-collection pages. They only shape the input; the services check it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inventories.choices import EnergyType

from . import CheckedForm


class UploadForm(CheckedForm):
    file = forms.FileField(label=_("File"))


class InvoiceForm(CheckedForm):
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40, required=False)
    invoice_code = forms.CharField(label=_("Invoice code"), max_length=20, required=False)
    issue_date = forms.CharField(label=_("Issue date"), max_length=10, required=False,
                                 widget=forms.TextInput(attrs={"placeholder": "2025-03-31"}))
    seller_name = forms.CharField(label=_("Seller"), max_length=200, required=False)
    seller_tax_id = forms.CharField(label=_("Seller tax id"), max_length=20, required=False)
    buyer_name = forms.CharField(label=_("Buyer"), max_length=200, required=False)
    buyer_tax_id = forms.CharField(label=_("Buyer tax id"), max_length=20, required=False)
    total_amount = forms.CharField(label=_("Total amount"), max_length=30, required=False)
    total_tax = forms.CharField(label=_("Total tax"), max_length=30, required=False)
    total_with_tax = forms.CharField(label=_("Total with tax"), max_length=30, required=False)


class InvoiceOverrideForm(CheckedForm):
    override_reason = forms.CharField(
        label=_("Reason for confirming anyway"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this invoice belongs to the inventory although the checks above do not fit. "
                    "The verifier sees it."))


class InvoiceLineForm(CheckedForm):
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    energy_type = forms.ChoiceField(label=_("Energy type"), choices=[("", "—"), *EnergyType.choices],
                                    required=False)
    quantity = forms.CharField(label=_("Quantity"), max_length=30, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    unit_price = forms.CharField(label=_("Unit price"), max_length=30, required=False)
    amount = forms.CharField(label=_("Amount"), max_length=30, required=False)
    tax_rate = forms.CharField(label=_("Tax rate"), max_length=10, required=False)
    tax = forms.CharField(label=_("Tax"), max_length=30, required=False)


InvoiceLineFormSet = forms.formset_factory(InvoiceLineForm, extra=1, can_delete=True, max_num=200)


class ImportForm(CheckedForm):
    kind = forms.ChoiceField(label=_("What the file holds"),
                             choices=[("activity", _("Activity data")), ("readings", _("Meter readings"))])
    inventory = forms.TypedChoiceField(label=_("Inventory (for activity data)"), coerce=int, required=False,
                                       empty_value=None)
    file = forms.FileField(label=_("CSV or Excel file"))
    all_or_nothing = forms.BooleanField(label=_("Import nothing if any row is wrong"), required=False)

    def __init__(self, *args, inventories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inventory"].choices = [("", "—")] + [(i.pk, str(i)) for i in inventories]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "activity" and not data.get("inventory"):
            self.add_error("inventory", _("Choose the inventory the activity data belongs to."))
        return data
