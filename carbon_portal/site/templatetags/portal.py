"""Template helpers of the role portals: number formatting, state labels, the role navigation."""

from decimal import Decimal, InvalidOperation

from django import template
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.applications import may_decide_applications
from carbon_portal.accounts.models import Role
from inventories.choices import Category, Fuel, InventoryStatus
from workflows.choices import AuditEntity, EngagementStatus, FindingStatus
from workflows.selectors import unread_notification_count

from .. import form_tokens
from ..selectors import user_roles

register = template.Library()


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


@register.filter
def num(value, places=None):
    """A decimal for people: thousands grouped; with `places`, rounded to that many decimals
    (kept, so that a column lines up); without, trailing zeros dropped."""
    number = _decimal(value)
    if number is None:
        return "—" if value in (None, "") else value
    if places not in (None, ""):
        return f"{number:,.{int(places)}f}"
    text = format(number.normalize(), ",f")
    return text


@register.filter
def percent(value, places=1):
    number = _decimal(value)
    return "—" if number is None else f"{number:,.{int(places)}f} %"


# The three state sets have no name in common.
STATE_LABELS = {**dict(InventoryStatus.choices), **dict(EngagementStatus.choices), **dict(FindingStatus.choices)}


@register.filter
def state_label(value):
    """The label of an inventory, engagement or finding state, as the audit trail stores it."""
    return STATE_LABELS.get(value, value or "—")


STEP_LABELS = {
    "open": _("Opened for data collection"), "calculate": _("Calculated"), "reopen": _("Reopened"),
    "submit_review": _("Sent for internal review"), "approve": _("Approved and submitted"),
    "return": _("Returned to the preparer"), "accept": _("Engagement accepted"),
    "decline": _("Engagement declined"), "request_corrections": _("Corrections requested"),
    "resubmit": _("Resubmitted"), "verify": _("Verified"), "reject": _("Rejected"), "certify": _("Certified"),
    "choose": _("Verifier body chosen"), "propose": _("Proposed to the verifier body"),
    "withdraw": _("Choice withdrawn"), "start_review": _("Review started"), "issue_opinion": _("Opinion issued"),
    "raise": _("Finding raised"), "respond": _("Finding answered"), "close": _("Finding closed"),
    "record": _("Opinion recorded"), "draw": _("Records sampled"), "check": _("Sampled record checked"),
    "correct": _("Record corrected"), "remove": _("Record removed"),
}


@register.filter
def step_label(value):
    return STEP_LABELS.get(value, value)


@register.filter
def entity_label(value):
    return dict(AuditEntity.choices).get(value, value)


@register.filter
def category_label(value):
    return dict(Category.choices).get(value, value)


@register.filter
def fuel_label(value):
    return dict(Fuel.choices).get(value, value)


@register.filter
def local_name(obj):
    """An organisation's English name when the page is in English and it has one."""
    if obj is None:
        return ""
    english = getattr(obj, "name_en", "")
    code = getattr(obj, "code", "")  # an industry: its code before the name
    if english and (get_language() or "").startswith("en"):
        return f"{code} {english}" if code else english
    return str(obj)


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def portal_nav(context):
    """The entries of the header for the signed-in user's roles: (label, url, key)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"entries": [], "unread": 0}
    roles = user_roles(user)
    entries = [(_("My portal"), reverse("site:dashboard"), "dashboard")]
    if roles & {Role.OFFICER, Role.REVIEWER, Role.ADMIN}:
        entries.append((_("Inventories"), reverse("site:inventory_list"), "inventories"))
    if Role.OFFICER in roles:
        entries.append((_("Data collection"), reverse("ingestion:index"), "collection"))
    if roles & {Role.OFFICER, Role.REVIEWER}:
        entries.append((_("Master data"), reverse("site:master_data"), "master_data"))
    if Role.REVIEWER in roles:
        entries.append((_("Review"), reverse("site:review_queue"), "review"))
    if roles & {Role.VERIFIER, Role.ADMIN}:
        entries.append((_("Verification"), reverse("site:engagement_list"), "verification"))
    if roles & {Role.OFFICER, Role.REVIEWER, Role.ADMIN}:
        entries.append((_("Labels"), reverse("certificates_portal:labels"), "labels"))
    if roles & {Role.GOVERNMENT, Role.ADMIN}:
        entries.append((_("Ratings"), reverse("government:dashboard"), "government"))
    if roles & {Role.GOVERNMENT, Role.ADMIN} and may_decide_applications(user):
        entries.append((_("Applications to join"), reverse("joining:queue"), "joining"))
    if roles & {Role.ENTERPRISE_ADMIN, Role.ADMIN}:
        entries.append((_("People"), reverse("site:people"), "people"))
    if Role.ADMIN in roles:
        entries.append((_("Organisations"), reverse("site:organisations"), "organisations"))
    return {"entries": entries, "unread": unread_notification_count(user)}


MAIN_PATH = ("draft", "collecting", "calculated", "in_review", "submitted", "verifying", "verified", "certified")
# Where the side states sit on the main path.
SIDE_STATES = {"corrections_requested": "verifying", "rejected": "verifying"}


@register.simple_tag
def lifecycle(status):
    """The main path of docs/workflows.md with each state marked done, current or to come."""
    anchor = SIDE_STATES.get(status, status)
    position = MAIN_PATH.index(anchor) if anchor in MAIN_PATH else -1
    steps = []
    for index, state in enumerate(MAIN_PATH):
        if index < position:
            mark = "done"
        elif index == position:
            mark = "current"
        else:
            mark = "todo"
        label = STATE_LABELS[state]
        if index == position and status in SIDE_STATES:
            label = STATE_LABELS[status]
            mark = "current side"
        steps.append({"state": state, "label": label, "mark": mark})
    return steps


FACTOR_LABELS = {
    "ncv": _("Net calorific value (NCV)"),
    "carbon_content": _("Carbon content per unit of heat (CC)"),
    "oxidation_rate": _("Oxidation rate (OF)"),
    "emission_factor": _("Emission factor (EF)"),
    "density": _("Density"),
    "standard_coal": _("Standard-coal coefficient"),
    "energy_equivalent": _("Energy equivalent"),
    "gj_per_tce": _("Heat of one tonne of standard coal"),
}


@register.filter
def factor_label(name):
    return FACTOR_LABELS.get(name, name)


@register.filter
def is_zero(value):
    number = _decimal(value)
    return number is not None and number == 0


@register.filter
def parameter_pairs(parameters):
    """A record's parameters as (name, "value unit"), each unit joined to its value."""
    parameters = parameters or {}
    pairs = []
    for key, value in parameters.items():
        if key.endswith("_unit") and key.removesuffix("_unit") in parameters:
            continue
        unit = parameters.get(f"{key}_unit", "")
        pairs.append((key, f"{value} {unit}".strip()))
    return pairs


@register.simple_tag(takes_context=True)
def form_token(context, *parts):
    """The hidden one-time token of a form that must be sent once (carbon_portal/site/form_tokens.py)."""
    from django.utils.html import format_html

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', form_tokens.FIELD,
                       form_tokens.issue(request.user, ":".join(str(part) for part in parts)))
