"""Verifier bodies with their accreditation, and authorities with their jurisdiction: registered
and changed by platform administrators (their people: `invitations`, `people`).

A verifier body: name, unified social credit code (check character verified), accreditation
number, the industries of its accredited scope and the accreditation's dates (until >= from).
An authority: name and its jurisdiction, regions of GB/T 2260 (`carbon_portal.core.regions`:
a code ending in zeros covers what lies in it) and industries (none: every industry).

Each write runs in one transaction, is recorded in the security log and refuses with
`carbon_portal.core.errors`: `PermissionDenied` for anyone but a platform administrator,
`InvalidInput` with the field first in the message.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from carbon_portal.core.errors import InvalidInput, NotFound, PermissionDenied
from carbon_portal.security.events import record_event
from carbon_portal.security.models import EventKind

from .invitations import _id, _text, is_platform_admin
from .models import Authority, Industry, VerifierBody
from .uscc import uscc_error

# No kind of its own in the security log yet: what decides whose data a body or authority sees.
EVENT_KIND = EventKind.ORGANISATION_CHANGED


# --- Reads -----------------------------------------------------------------------------------------


def _ensure_admin(user) -> None:
    if not is_platform_admin(user):
        raise PermissionDenied(_("Only a platform administrator manages verifier bodies and authorities."))


def verifier_bodies_for(user) -> QuerySet[VerifierBody]:
    if not is_platform_admin(user):
        return VerifierBody.objects.none()
    return VerifierBody.objects.prefetch_related("scope").order_by("name")


def authorities_for(user) -> QuerySet[Authority]:
    if not is_platform_admin(user):
        return Authority.objects.none()
    return Authority.objects.prefetch_related("industries").order_by("name")


def verifier_body_for(user, body_id) -> VerifierBody:
    body = verifier_bodies_for(user).filter(pk=_id(body_id)).first()
    if body is None:
        raise NotFound(_("No such verifier body."))
    return body


def authority_for(user, authority_id) -> Authority:
    authority = authorities_for(user).filter(pk=_id(authority_id)).first()
    if authority is None:
        raise NotFound(_("No such authority."))
    return authority


# --- Verifier bodies -------------------------------------------------------------------------------

BODY_FIELDS = ("name", "name_en", "credit_code", "accreditation_number", "scope", "accredited_from",
               "accredited_until")


def register_verifier_body(*, actor, name, credit_code, accreditation_number, scope, accredited_from,
                           accredited_until, name_en="") -> VerifierBody:
    _ensure_admin(actor)
    values = _body_values(name=name, name_en=name_en, credit_code=credit_code,
                          accreditation_number=accreditation_number, accredited_from=accredited_from,
                          accredited_until=accredited_until)
    industries = _industries(scope, label=_("Accredited scope"), required=True)
    with transaction.atomic():
        _body_unique(values)
        body = VerifierBody.objects.create(**values)
        body.scope.set(industries)
        _record("verifier_body_registered", actor, verifier_body_id=body.pk, name=body.name,
                accreditation_number=body.accreditation_number, scope=sorted(i.code for i in industries),
                accredited_from=body.accredited_from, accredited_until=body.accredited_until)
    return body


def _apply_changes(organisation, values: dict, industries_field: str, industries) -> list[str]:
    """Save `values` on `organisation` and set its industries (unless None); the names that changed."""
    changed = sorted(name for name, value in values.items() if getattr(organisation, name) != value)
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.save()
    related = getattr(organisation, industries_field)
    if industries is not None and set(related.all()) != set(industries):
        related.set(industries)
        changed.append(industries_field)
    return changed


def update_verifier_body(*, actor, verifier_body_id, changes: dict) -> VerifierBody:
    _ensure_admin(actor)
    with transaction.atomic():
        body = verifier_body_for(actor, verifier_body_id)
        body = VerifierBody.objects.select_for_update().get(pk=body.pk)
        current = {name: getattr(body, name) for name in BODY_FIELDS if name != "scope"}
        merged = {**current, **{k: v for k, v in changes.items() if k in current}}
        values = _body_values(**merged)
        _body_unique(values, exclude=body.pk)
        industries = (_industries(changes["scope"], label=_("Accredited scope"), required=True)
                      if "scope" in changes else None)
        changed = _apply_changes(body, values, "scope", industries)
        _record("verifier_body_changed", actor, verifier_body_id=body.pk, name=body.name, changed=changed,
                scope=sorted(body.scope.values_list("code", flat=True)), accredited_from=body.accredited_from,
                accredited_until=body.accredited_until)
    return body


def _body_values(*, name, name_en, credit_code, accreditation_number, accredited_from, accredited_until) -> dict:
    values = {
        "name": _text(_("Name"), name, max_length=200),
        "name_en": _text(_("English name"), name_en, max_length=200, required=False),
        "credit_code": _text(_("Unified social credit code"), credit_code, max_length=18).upper(),
        "accreditation_number": _text(_("Accreditation number"), accreditation_number, max_length=50),
        "accredited_from": _date(_("Accredited from"), accredited_from),
        "accredited_until": _date(_("Accredited until"), accredited_until),
    }
    error = uscc_error(values["credit_code"])
    if error:
        raise InvalidInput(_("Unified social credit code: not valid (%(error)s).") % {"error": error})
    if values["accredited_until"] < values["accredited_from"]:
        raise InvalidInput(_("Accredited until: the accreditation ends before it starts."))
    return values


def _body_unique(values: dict, *, exclude=None) -> None:
    others = VerifierBody.objects.exclude(pk=exclude) if exclude else VerifierBody.objects.all()
    if others.filter(credit_code=values["credit_code"]).exists():
        raise InvalidInput(_("Unified social credit code: another verifier body has this code."))
    if others.filter(accreditation_number=values["accreditation_number"]).exists():
        raise InvalidInput(_("Accreditation number: another verifier body has this number."))


# --- Authorities -----------------------------------------------------------------------------------


def register_authority(*, actor, name, region_codes, industries=(), name_en="") -> Authority:
    _ensure_admin(actor)
    values = {"name": _text(_("Name"), name, max_length=200),
              "name_en": _text(_("English name"), name_en, max_length=200, required=False),
              "region_codes": _regions(region_codes)}
    chosen = _industries(industries, label=_("Industries"), required=False)
    with transaction.atomic():
        authority = Authority.objects.create(**values)
        authority.industries.set(chosen)
        _record("authority_registered", actor, authority_id=authority.pk, name=authority.name,
                region_codes=authority.region_codes, industries=sorted(i.code for i in chosen))
    return authority


def update_authority(*, actor, authority_id, changes: dict) -> Authority:
    _ensure_admin(actor)
    with transaction.atomic():
        authority = authority_for(actor, authority_id)
        authority = Authority.objects.select_for_update().get(pk=authority.pk)
        values = {}
        if "name" in changes:
            values["name"] = _text(_("Name"), changes["name"], max_length=200)
        if "name_en" in changes:
            values["name_en"] = _text(_("English name"), changes["name_en"], max_length=200, required=False)
        if "region_codes" in changes:
            values["region_codes"] = _regions(changes["region_codes"])
        chosen = (_industries(changes["industries"], label=_("Industries"), required=False)
                  if "industries" in changes else None)
        changed = _apply_changes(authority, values, "industries", chosen)
        _record("authority_changed", actor, authority_id=authority.pk, name=authority.name, changed=changed,
                region_codes=authority.region_codes,
                industries=sorted(authority.industries.values_list("code", flat=True)))
    return authority


def _regions(codes) -> list[str]:
    from carbon_portal.core.regions import is_known_region

    if isinstance(codes, str) or not isinstance(codes, list | tuple | set | frozenset):
        raise InvalidInput(_("Regions: choose at least one region."))
    cleaned = []
    for code in codes:
        if not isinstance(code, str) or not is_known_region(code):
            raise InvalidInput(_("Regions: %(code)s is not a region code of GB/T 2260.") % {"code": str(code)[:20]})
        if code not in cleaned:
            cleaned.append(code)
    if not cleaned:
        raise InvalidInput(_("Regions: choose at least one region."))
    return sorted(cleaned)


# --- Helpers ---------------------------------------------------------------------------------------


def _industries(values, *, label, required: bool) -> list[Industry]:
    values = list(values or [])
    codes = [value.pk if isinstance(value, Industry) else value for value in values]
    if any(not isinstance(code, str) for code in codes):
        raise InvalidInput(_("%(field)s: choose industries from the list.") % {"field": label})
    found = list(Industry.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise InvalidInput(_("%(field)s: choose industries from the list.") % {"field": label})
    if required and not found:
        raise InvalidInput(_("%(field)s: choose at least one industry.") % {"field": label})
    return found


def _date(label, value) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise InvalidInput(_("%(field)s: enter a date.") % {"field": label})
    return value


def _record(action: str, actor, **details) -> None:
    record_event(kind=EVENT_KIND, user=actor, action=action, **details)
