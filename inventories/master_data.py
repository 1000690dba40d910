"""Master data: an enterprise's facilities, emission sources and meters (docs/interfaces.md §7).

Reads (`*_visible_to`, `*_for`) are scoped to the user: officers and reviewers see their
enterprises' master data, platform administrators all of it. Writes (`create_*`, `update_*`)
are for the enterprise's carbon officers only; each runs in one transaction and refuses with
`carbon_portal.core.errors`: `NotFound` for what the user cannot see, `PermissionDenied` for a
reader who is no officer, `InvalidInput` (with the field first in the message) for bad values,
a name or identifier already taken included.

Activity data keeps its own copy of quantity and unit, and a calculation keeps its factor
snapshot, so changing master data never alters an inventory already submitted.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from carbon_portal.accounts.models import Enterprise, Role
from carbon_portal.core.errors import InvalidInput, NotFound, PermissionDenied
from carbon_portal.core.text import clean_text

from .calculation.decimals import is_number_text
from .choices import Category, EnergyType, Fuel
from .models import EmissionSource, Facility, Meter
from .models.facilities import METER_UNITS
from .policies import is_officer_of
from .selectors import meters_visible_to

# --- Reads -----------------------------------------------------------------------------------------


def _is_admin(user) -> bool:
    return user.is_superuser or Role.ADMIN in user.roles


def enterprises_readable_by(user) -> QuerySet[Enterprise]:
    if not user.is_authenticated:
        return Enterprise.objects.none()
    if _is_admin(user):
        return Enterprise.objects.all()
    return Enterprise.objects.filter(memberships__user=user,
                                     memberships__role__in=[Role.OFFICER, Role.REVIEWER]).distinct()


def enterprises_writable_by(user) -> QuerySet[Enterprise]:
    """Enterprises whose master data `user` may change: those where they are a carbon officer."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user, memberships__role=Role.OFFICER).distinct()


def facilities_visible_to(user) -> QuerySet[Facility]:
    return (Facility.objects.filter(enterprise__in=enterprises_readable_by(user))
            .select_related("enterprise").order_by("enterprise__name", "name"))


def sources_visible_to(user) -> QuerySet[EmissionSource]:
    return (EmissionSource.objects.filter(facility__enterprise__in=enterprises_readable_by(user))
            .select_related("facility", "facility__enterprise").order_by("facility__name", "name"))


def master_meters_visible_to(user) -> QuerySet[Meter]:
    return meters_visible_to(user).select_related("enterprise", "facility", "emission_source").order_by("identifier")


def facility_for(user, facility_id) -> Facility:
    facility = facilities_visible_to(user).filter(pk=_id(facility_id)).first()
    if facility is None:
        raise NotFound(_("No such facility."))
    return facility


def source_for(user, source_id) -> EmissionSource:
    source = sources_visible_to(user).filter(pk=_id(source_id)).first()
    if source is None:
        raise NotFound(_("No such emission source."))
    return source


def meter_for(user, identifier: str) -> Meter:
    meter = master_meters_visible_to(user).filter(identifier=identifier).first()
    if meter is None:
        raise NotFound(_("No such meter."))
    return meter


def can_write(user, enterprise_id: int) -> bool:
    return is_officer_of(user, enterprise_id)


# --- Checks ----------------------------------------------------------------------------------------


def _id(value) -> int:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, bool):
        return -1
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else -1


def _ensure_officer(user, enterprise_id: int) -> None:
    if not is_officer_of(user, enterprise_id):
        raise PermissionDenied(_("Only the enterprise's carbon officers change its master data."))


def _text(field: str, label, value, *, max_length: int, required: bool = True, multiline: bool = False) -> str:
    return clean_text(field, label, value, max_length=max_length, required=required, multiline=multiline)


def _choice(field: str, value, choices, *, required: bool = True) -> str:
    value = "" if value is None else value
    if not required and value == "":
        return ""
    allowed = [key for key, _label in choices]
    if value not in allowed:
        raise InvalidInput(_("%(field)s: one of %(choices)s.") % {"field": field, "choices": ", ".join(allowed)})
    return value


def _decimal(field: str, value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, (int, str)) and not isinstance(value, bool) and is_number_text(str(value)):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
    else:
        number = None
    if number is None or not number.is_finite():
        raise InvalidInput(_("%(field)s: enter a number with the digits 0-9.") % {"field": field})
    if number <= 0 or number >= Decimal("1e14"):
        raise InvalidInput(_("%(field)s: a number above 0 and below 10^14.") % {"field": field})
    return number


def _save(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(messages[0] if field == "__all__" else f"{field}: {messages[0]}") from None
    obj.save()


def _enterprise_for_create(actor, enterprise) -> Enterprise:
    """The enterprise a new object belongs to: the one given (the actor must be its officer), or
    the actor's only one."""
    if enterprise is None or enterprise == "":
        writable = list(enterprises_writable_by(actor)[:2])
        if len(writable) == 1:
            return writable[0]
        if not writable:
            raise PermissionDenied(_("Only the enterprise's carbon officers change its master data."))
        raise InvalidInput(_("enterprise: say which enterprise."))
    enterprise_id = enterprise.pk if isinstance(enterprise, Enterprise) else _id(enterprise)
    found = Enterprise.objects.filter(pk=enterprise_id).first()
    if found is None:
        raise InvalidInput(_("enterprise: no such enterprise."))
    _ensure_officer(actor, found.pk)
    return found


# --- Facilities ------------------------------------------------------------------------------------


def _check_facility_name(facility: Facility) -> None:
    taken = Facility.objects.filter(enterprise_id=facility.enterprise_id, name=facility.name)
    if taken.exclude(pk=facility.pk).exists():
        raise InvalidInput(_("name: the enterprise already has a facility of this name."), code="duplicate")


BOUNDARY_MAX_LENGTH = 4000


def _boundary(value) -> str:
    return _text("boundary", _("Boundary"), value, max_length=BOUNDARY_MAX_LENGTH, required=False, multiline=True)


@transaction.atomic
def create_facility(*, actor, name, address="", boundary="", enterprise=None) -> Facility:
    owner = _enterprise_for_create(actor, enterprise)
    facility = Facility(enterprise=owner, name=_text("name", _("Name"), name, max_length=200),
                        address=_text("address", _("Address"), address, max_length=300, required=False),
                        boundary=_boundary(boundary))
    _check_facility_name(facility)
    _save(facility)
    return facility


@transaction.atomic
def update_facility(*, actor, facility_id, changes: dict) -> Facility:
    facility = facility_for(actor, facility_id)
    _ensure_officer(actor, facility.enterprise_id)
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    if "name" in changes:
        facility.name = _text("name", _("Name"), changes["name"], max_length=200)
    if "address" in changes:
        facility.address = _text("address", _("Address"), changes["address"], max_length=300, required=False)
    if "boundary" in changes:
        facility.boundary = _boundary(changes["boundary"])
    _check_facility_name(facility)
    _save(facility)
    return facility


# --- Emission sources ------------------------------------------------------------------------------


def _own_facility(actor, enterprise_id: int | None, facility_id) -> Facility:
    facility = facilities_visible_to(actor).filter(pk=_id(facility_id)).first()
    if facility is None or (enterprise_id is not None and facility.enterprise_id != enterprise_id):
        raise InvalidInput(_("facility: no such facility in this enterprise."))
    return facility


def _check_source(source: EmissionSource) -> None:
    if source.category == Category.FUEL_COMBUSTION and not source.fuel:
        raise InvalidInput(_("fuel: say which fuel a combustion source burns."))
    if source.category != Category.FUEL_COMBUSTION and source.fuel:
        raise InvalidInput(_("fuel: only a fuel combustion source has a fuel."))
    taken = EmissionSource.objects.filter(facility_id=source.facility_id, name=source.name)
    if taken.exclude(pk=source.pk).exists():
        raise InvalidInput(_("name: the facility already has an emission source of this name."), code="duplicate")


@transaction.atomic
def create_source(*, actor, facility, name, category, fuel="") -> EmissionSource:
    owner = _own_facility(actor, None, facility.pk if isinstance(facility, Facility) else facility)
    _ensure_officer(actor, owner.enterprise_id)
    source = EmissionSource(facility=owner, name=_text("name", _("Name"), name, max_length=200),
                            category=_choice("category", category, Category.choices),
                            fuel=_choice("fuel", fuel, Fuel.choices, required=False))
    _check_source(source)
    _save(source)
    return source


@transaction.atomic
def update_source(*, actor, source_id, changes: dict) -> EmissionSource:
    source = source_for(actor, source_id)
    _ensure_officer(actor, source.facility.enterprise_id)
    source = EmissionSource.objects.select_for_update().get(pk=source.pk)
    if "facility" in changes:
        source.facility = _own_facility(actor, source.facility.enterprise_id, changes["facility"])
    if "name" in changes:
        source.name = _text("name", _("Name"), changes["name"], max_length=200)
    if "category" in changes:
        source.category = _choice("category", changes["category"], Category.choices)
    if "fuel" in changes:
        source.fuel = _choice("fuel", changes["fuel"], Fuel.choices, required=False)
    _check_source(source)
    _save(source)
    return source


# --- Meters ----------------------------------------------------------------------------------------

METER_FIELDS = ("name", "energy_type", "unit", "reading_kind", "register_max", "facility", "emission_source",
                "parent", "is_active")
MAX_METER_DEPTH = 6  # main meter -> sub-meter -> ...: deeper trees are a mistake, not a site


def _parent_meter(actor, meter: Meter, raw) -> Meter | None:
    """The main meter named by `raw` (a Meter or an identifier): of the same enterprise and energy,
    and not the meter itself or one of its own sub-meters."""
    if raw in (None, ""):
        return None
    identifier = raw.identifier if isinstance(raw, Meter) else raw
    if not isinstance(identifier, str):
        raise InvalidInput(_("parent: the identifier of the main meter."))
    parent = master_meters_visible_to(actor).filter(identifier=identifier, enterprise_id=meter.enterprise_id).first()
    if parent is None:
        raise InvalidInput(_("parent: no such meter in this enterprise."))
    if parent.energy_type != meter.energy_type:
        raise InvalidInput(_("parent: a main meter measures the same energy as its sub-meters."))
    ancestor, depth = parent, 1
    while ancestor is not None:
        if meter.pk is not None and ancestor.pk == meter.pk:
            raise InvalidInput(_("parent: a meter cannot be its own main meter, directly or through its "
                                 "sub-meters."))
        depth += 1
        if depth > MAX_METER_DEPTH:
            raise InvalidInput(_("parent: meters nest at most %(depth)d deep.") % {"depth": MAX_METER_DEPTH})
        ancestor = ancestor.parent
    return parent


def _apply_meter(actor, meter: Meter, values: dict) -> None:
    if "name" in values:
        meter.name = _text("name", _("Name"), values["name"], max_length=200)
    if "energy_type" in values:
        meter.energy_type = _choice("energy_type", values["energy_type"], EnergyType.choices)
    if "unit" in values:
        meter.unit = _choice("unit", values["unit"], METER_UNITS)
    if "reading_kind" in values:
        meter.reading_kind = _choice("reading_kind", values["reading_kind"], Meter.ReadingKind.choices)
    if "register_max" in values:
        meter.register_max = _decimal("register_max", values["register_max"])
    if "is_active" in values:
        if not isinstance(values["is_active"], bool):
            raise InvalidInput(_("%(field)s: true or false.") % {"field": "active"})
        meter.is_active = values["is_active"]
    if "facility" in values:
        raw = values["facility"]
        meter.facility = None if raw in (None, "") else _own_facility(actor, meter.enterprise_id, raw)
    if "emission_source" in values:
        raw = values["emission_source"]
        if raw in (None, ""):
            meter.emission_source = None
        else:
            source = sources_visible_to(actor).filter(pk=_id(raw), facility__enterprise_id=meter.enterprise_id).first()
            if source is None:
                raise InvalidInput(_("emission_source: no such emission source in this enterprise."))
            meter.emission_source = source
            if meter.facility_id is None:
                meter.facility = source.facility
    if "parent" in values:
        meter.parent = _parent_meter(actor, meter, values["parent"])
    elif meter.parent_id and "energy_type" in values and meter.parent.energy_type != meter.energy_type:
        raise InvalidInput(_("parent: a main meter measures the same energy as its sub-meters."))
    if meter.emission_source_id and meter.emission_source.facility_id != meter.facility_id:
        raise InvalidInput(_("emission_source: the source belongs to another facility than the meter's."))
    if meter.reading_kind != Meter.ReadingKind.CUMULATIVE and meter.register_max is not None:
        raise InvalidInput(_("register_max: only a cumulative register rolls over."))
    if meter.energy_type == EnergyType.ELECTRICITY and meter.unit not in ("kWh", "MWh"):
        raise InvalidInput(_("unit: electricity is measured in kWh or MWh."))


@transaction.atomic
def create_meter(*, actor, identifier, name, energy_type, unit, reading_kind, register_max=None,
                 facility=None, emission_source=None, parent=None, is_active=True, enterprise=None) -> Meter:
    owner = _enterprise_for_create(actor, enterprise)
    identifier = _text("identifier", _("Identifier"), identifier, max_length=64)
    if Meter.objects.filter(identifier=identifier).exists():
        raise InvalidInput(_("identifier: a meter with this identifier is already registered."), code="duplicate")
    meter = Meter(enterprise=owner, identifier=identifier)
    _apply_meter(actor, meter, {
        "name": name, "energy_type": energy_type, "unit": unit, "reading_kind": reading_kind,
        "register_max": register_max, "facility": facility, "emission_source": emission_source,
        "parent": parent, "is_active": is_active})
    _save(meter)
    return meter


@transaction.atomic
def update_meter(*, actor, identifier, changes: dict) -> Meter:
    """Change a meter; its identifier stays (devices and their keys send readings by it)."""
    meter = meter_for(actor, identifier)
    _ensure_officer(actor, meter.enterprise_id)
    if "identifier" in changes and changes["identifier"] != meter.identifier:
        raise InvalidInput(_("identifier: a meter's identifier cannot change; register a new meter."))
    meter = Meter.objects.select_for_update(of=("self",)).select_related("emission_source").get(pk=meter.pk)
    _apply_meter(actor, meter, {key: value for key, value in changes.items() if key in METER_FIELDS})
    _save(meter)
    return meter
