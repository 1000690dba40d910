"""Forms of the role portals. They shape and check the input a person types; the rules of the
lifecycle stay in the services, whose refusals the views attach to the field they concern."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carbon_portal.core.text import control_character, control_character_message
from inventories.calculation.decimals import is_number_text
from inventories.choices import Category, Fuel
from workflows.choices import AssuranceLevel, Conclusion
from workflows.models.engagements import DEFAULT_MATERIALITY_PERCENT

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _no_control_characters(label, multiline: bool):
    def validate(value):
        character = control_character(value, multiline=multiline) if isinstance(value, str) else None
        if character:
            raise ValidationError(control_character_message(label, character), code="control_character")

    return validate


def _ascii_digits(to_python):
    def parse(value):
        number = to_python(value)  # what is no number at all: the field's own message
        # What Python reads as a number though it is not one here ("１２３", "1_000"): the engine's definition.
        if number is not None and isinstance(value, str) and not is_number_text(value):
            raise ValidationError(_("Enter a number with the digits 0-9."), code="invalid")
        return number

    return parse


class CheckedForm(forms.Form):
    """Every text field refuses control characters (tab and line breaks only in a text area);
    every number field takes the digits 0-9 only (Python also reads "１２３" and "1_000")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                field.validators.append(_no_control_characters(field.label or name,
                                                               isinstance(field.widget, forms.Textarea)))
            elif isinstance(field, forms.IntegerField):  # DecimalField and FloatField too
                field.to_python = _ascii_digits(field.to_python)


class PortalForm(CheckedForm):
    """Labels without the trailing colon (the layout puts them above the field)."""

    label_suffix = ""


class InventoryCreateForm(PortalForm):
    enterprise = forms.ModelChoiceField(queryset=None, label=_("Enterprise"), empty_label=None)
    year = forms.IntegerField(label=_("Reporting year"), min_value=1990, max_value=2100)
    added_value_10k_yuan = forms.DecimalField(
        label=_("Industrial added value (10^4 yuan)"), required=False, min_value=Decimal("0.0001"),
        max_digits=16, decimal_places=4,
        help_text=_("Needed for the carbon intensity and the grade; can be left empty for now."))
    period_start = forms.DateField(label=_("Period start"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("Empty: 1 January of the year."))
    period_end = forms.DateField(label=_("Period end"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Empty: 31 December of the year."))

    def __init__(self, *args, enterprises, existing_years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.existing = existing_years or set()  # {(enterprise_id, year)} already opened
        if enterprises.count() == 1:
            self.fields["enterprise"].initial = enterprises.first().pk
            self.fields["enterprise"].widget = forms.HiddenInput()
        if not self.is_bound:
            self.fields["year"].initial = datetime.date.today().year - 1

    def clean(self):
        data = super().clean()
        enterprise, year = data.get("enterprise"), data.get("year")
        if enterprise is not None and year is not None and (enterprise.pk, year) in self.existing:
            self.add_error("year", _("There is already an inventory of %(year)s for this enterprise.")
                           % {"year": year})
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


# Units a person is offered; any other unit the engine can convert is accepted too.
UNIT_SUGGESTIONS = ("kWh", "MWh", "m3", "10^4 Nm3", "t", "kg", "L", "GJ", "TJ")

# The optional parameters of a line: (field, its unit field or None, label, unit help).
LINE_PARAMETER_FIELDS = (
    ("ncv", "ncv_unit", _("Net calorific value"), "GJ/t, GJ/10^4 Nm3, MJ/kg"),
    ("carbon_content", "carbon_content_unit", _("Carbon content per unit of heat"), "tC/TJ, tC/GJ"),
    ("oxidation_rate", None, _("Oxidation rate (fraction, e.g. 0.98)"), ""),
    ("emission_factor", "emission_factor_unit", _("Emission factor"), "tCO2/t, tCO2/MWh, tCO2/GJ"),
    ("density", "density_unit", _("Density"), "kg/L, t/m3"),
)


class ActivityLineForm(PortalForm):
    """One activity line in the form of docs/interfaces.md §3."""

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    fuel = forms.ChoiceField(label=_("Fuel"), required=False,
                             choices=[("", _("— not a fuel —"))] + list(Fuel.choices),
                             help_text=_("Only for fuel combustion."))
    description = forms.CharField(label=_("Description"), required=False, max_length=300,
                                  help_text=_("What this line is, e.g. the meter, the invoice or the process."))
    quantity = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0"), max_digits=24, decimal_places=8,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    unit = forms.CharField(label=_("Unit"), max_length=20,
                           widget=forms.TextInput(attrs={"list": "unit-suggestions", "autocomplete": "off"}),
                           help_text=_("e.g. kWh, MWh, m3, t, GJ, L"))
    ncv = forms.DecimalField(label=_("Net calorific value"), required=False, min_value=Decimal("0"),
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    ncv_unit = forms.CharField(label=_("Unit of the net calorific value"), required=False, max_length=30)
    carbon_content = forms.DecimalField(label=_("Carbon content per unit of heat"), required=False,
                                        min_value=Decimal("0"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    carbon_content_unit = forms.CharField(label=_("Unit of the carbon content"), required=False, max_length=30)
    oxidation_rate = forms.DecimalField(label=_("Oxidation rate (fraction, e.g. 0.98)"), required=False,
                                        min_value=Decimal("0"), max_value=Decimal("1"),
                                        widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    emission_factor = forms.DecimalField(label=_("Emission factor"), required=False, min_value=Decimal("0"),
                                         widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                         help_text=_("Required for industrial process lines."))
    emission_factor_unit = forms.CharField(label=_("Unit of the emission factor"), required=False, max_length=30)
    density = forms.DecimalField(label=_("Density"), required=False, min_value=Decimal("0"),
                                 widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    density_unit = forms.CharField(label=_("Unit of the density"), required=False, max_length=30)

    BASIC_FIELDS = ("category", "fuel", "description", "quantity", "unit")
    PARAMETER_FIELDS = ("ncv", "ncv_unit", "carbon_content", "carbon_content_unit", "oxidation_rate",
                        "emission_factor", "emission_factor_unit", "density", "density_unit")

    def clean(self):
        """Say plainly, next to the field, what the engine would refuse; anything else the engine
        finds is attached by the view."""
        data = super().clean()
        category, fuel = data.get("category"), data.get("fuel")
        if category == Category.FUEL_COMBUSTION and not fuel:
            self.add_error("fuel", _("Choose the fuel that was burnt."))
        if category and category != Category.FUEL_COMBUSTION:
            if fuel:
                self.add_error("fuel", _("A fuel is only given for fuel combustion."))
            for name in ("ncv", "carbon_content", "oxidation_rate", "density"):
                if data.get(name) is not None:
                    self.add_error(name, _("This parameter only applies to fuel combustion."))
        if category == Category.PROCESS and data.get("emission_factor") is None \
                and "emission_factor" not in self.errors:
            self.add_error("emission_factor", _("An industrial process line needs its emission factor."))
        for name, unit_name, _label, _units in LINE_PARAMETER_FIELDS:
            if unit_name is None:
                continue
            if data.get(name) is not None and not data.get(unit_name):
                self.add_error(unit_name, _("Give the unit of this value."))
            if data.get(unit_name) and data.get(name) is None and name not in self.errors:
                self.add_error(name, _("A unit was given without its value."))
        return data

    def line(self) -> dict:
        """The cleaned data as a line of docs/interfaces.md §3 (decimal strings, empty fields left out)."""
        line = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            line[name] = format(value.normalize(), "f") if isinstance(value, Decimal) else value.strip() \
                if isinstance(value, str) else value
        return line

    @property
    def basic(self):
        return [self[name] for name in self.BASIC_FIELDS]

    @property
    def parameters(self):
        return [self[name] for name in self.PARAMETER_FIELDS]

    def has_parameters(self) -> bool:
        return any(self[name].value() not in (None, "") for name in self.PARAMETER_FIELDS)

    def attach_engine_error(self, message: str) -> None:
        """Put an error of the engine next to the field it concerns (else above the form), in the
        reader's language where the case is a known one, with the engine's own words kept."""
        text = str(message)
        lowered = text.lower()
        unit = re.search(r"cannot convert unit '([^']*)'", text) or re.search(r"unknown unit '([^']*)'", text)
        if unit:
            self.add_error("unit", _("The calculation cannot use the unit “%(unit)s” for this line. Use a unit of "
                                     "the fuel or energy, such as t, m3, 10^4 Nm3, GJ, kWh or MWh. (%(detail)s)")
                           % {"unit": unit.group(1), "detail": text})
            return
        if "unknown fuel" in lowered:
            self.add_error("fuel", _("The factor library has no values for this fuel. (%(detail)s)") % {"detail": text})
            return
        for name in ("emission_factor_unit", "carbon_content_unit", "ncv_unit", "density_unit", "emission_factor",
                     "carbon_content", "oxidation_rate", "density", "ncv"):
            if name in lowered:
                self.add_error(name, text)
                return
        if "unit" in lowered:
            self.add_error("unit", text)
            return
        for name in ("quantity", "fuel", "category"):
            if name in lowered:
                self.add_error(name, text)
                return
        self.add_error(None, text)


class TransitionForm(PortalForm):
    """A lifecycle step with its comment (required to return, the reason to decline)."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=TEXTAREA, max_length=4000)


class RemoveActivityForm(PortalForm):
    """Removing an activity line while collecting: the reason goes into the audit trail."""

    reason = forms.CharField(label=_("Why is this line removed?"), widget=TEXTAREA, max_length=1000)


class AcceptEngagementForm(PortalForm):
    no_conflict = forms.BooleanField(
        label=_("We declare that our body has no conflict of interest with this enterprise "
                "(no consulting, no shareholding, no family or employment ties in the last three years)."),
        required=False)
    declaration = forms.CharField(label=_("Conflict-of-interest declaration"), required=False, widget=TEXTAREA,
                                  max_length=4000,
                                  help_text=_("Describe your independence from the enterprise; it is kept in the "
                                              "audit trail."))

    def clean(self):
        data = super().clean()
        if not data.get("no_conflict"):
            self.add_error("no_conflict", _("Tick the declaration to accept; a body with a conflict of interest "
                                            "must decline."))
        return data


class ChooseVerifierForm(PortalForm):
    verifier_body = forms.ModelChoiceField(queryset=None, label=_("Verifier body"),
                                           empty_label=_("— choose an accredited body —"))

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verifier_body"].queryset = bodies


class FindingResponseForm(PortalForm):
    response = forms.CharField(label=_("Your response"), widget=TEXTAREA, max_length=4000,
                               help_text=_("Say what you corrected or why the data is right."))


class FindingCommentForm(PortalForm):
    comment = forms.CharField(label=_("Comment"), required=False, widget=TEXTAREA, max_length=4000)


class SampleForm(PortalForm):
    METHOD_RANDOM, METHOD_CHOSEN = "random", "chosen"
    method = forms.ChoiceField(label=_("How"), widget=forms.RadioSelect, initial=METHOD_RANDOM,
                               choices=[(METHOD_RANDOM, _("Draw at random (seeded, repeatable)")),
                                        (METHOD_CHOSEN, _("Choose the records myself"))])
    size = forms.IntegerField(label=_("Sample size"), required=False, min_value=1,
                              help_text=_("Empty: the square root of the number of records, rounded up."))
    seed = forms.IntegerField(label=_("Random seed"), required=False, min_value=0, max_value=2**31 - 1,
                              help_text=_("Empty: a new seed, recorded so the draw can be repeated."))
    records = forms.MultipleChoiceField(label=_("Records"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].choices = [(str(record.pk), _record_label(record)) for record in records]

    def clean(self):
        data = super().clean()
        if data.get("method") == self.METHOD_CHOSEN and not data.get("records"):
            self.add_error("records", _("Tick the records to sample."))
        return data


class SampleCheckForm(PortalForm):
    conforms = forms.TypedChoiceField(label=_("Does the record agree with its evidence?"), widget=forms.RadioSelect,
                                      coerce=lambda value: value == "yes",
                                      choices=[("yes", _("Yes, it agrees")), ("no", _("No, it does not"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.TextInput, max_length=2000)


class RaiseFindingForm(PortalForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=4000,
                             help_text=_("What does not conform, and what the enterprise must do."))
    activity_records = forms.MultipleChoiceField(label=_("Activity records it is about"), required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    result_lines = forms.MultipleChoiceField(label=_("Result lines it is about"), required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, records=(), lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_records"].choices = [(str(record.pk), _record_label(record)) for record in records]
        self.fields["result_lines"].choices = [
            (str(line.pk), f"#{line.index + 1} {line.get_category_display()} · {_plain(line.tco2e, 3)} tCO2e")
            for line in lines]

    def clean(self):
        data = super().clean()
        if not data.get("activity_records") and not data.get("result_lines"):
            self.add_error("activity_records", _("Tick the activity records or result lines the finding is about."))
        return data


class OpinionForm(PortalForm):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices, widget=forms.RadioSelect)
    assurance_level = forms.ChoiceField(label=_("Level of assurance"), choices=AssuranceLevel.choices,
                                        initial=AssuranceLevel.REASONABLE)
    materiality_threshold_percent = forms.DecimalField(
        label=_("Materiality threshold (%)"), initial=DEFAULT_MATERIALITY_PERCENT, min_value=Decimal("0.01"),
        max_value=Decimal("100"), decimal_places=2, max_digits=5)
    misstatement_tco2e = forms.DecimalField(label=_("Misstatement found (tCO2e)"), initial=Decimal("0"),
                                            min_value=Decimal("0"), max_digits=24, decimal_places=6)
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)


def _plain(value: Decimal, places: int) -> str:
    return f"{value:,.{places}f}"


def _record_label(record) -> str:
    what = record.get_fuel_display() if record.fuel else record.get_category_display()
    label = f"#{record.pk} {what} · {format(record.quantity.normalize(), ',f')} {record.unit}"
    return f"{label} · {record.description}" if record.description else label
