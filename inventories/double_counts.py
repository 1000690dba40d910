"""Possible double counting of an inventory: the reads (groups, decisions, what the calculation
leaves out) and the one write, `decide_double_count`. The detection itself is the pure module
`inventories.double_counting`.

- `double_count_groups(inventory)` the suspected groups, each with its status (`unresolved`,
  `decided`, `reopened`) from the decisions taken.
- `unresolved_double_counts(inventory)`, `double_count_refusal(inventory)` (the reason the
  calculation is refused, naming the groups, or None) and `ensure_no_unresolved_double_count`,
  which raises `Conflict` with code `double_count_unresolved`.
- `calculation_exclusions(inventory)` the records settled groups leave out, each with the
  decision and its reason (the calculation stores them with its result).
- `decide_double_count(inventory_id=, actor=, counted=, reason=, group_key=|record_ids=)` records
  the officer's choice (one origin's records count, or all of them), while the data is collected.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from carbon_portal.core.data_generation import data_changed
from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from carbon_portal.core.text import clean_reason

from .choices import Category, Fuel, Origin
from .double_counting import (
    COUNT_ALL,
    UNRESOLVED,
    DecisionFacts,
    Group,
    RecordFacts,
    excluded_by,
    excluded_record_ids,
    find_groups,
    resolve,
)
from .models import ActivityRecord, DoubleCountDecision, DoubleCountDecisionRecord, Facility, Inventory
from .policies import COLLECTING_STATES, edit_refusal, is_officer_of
from .selectors import inventories_visible_to

MAX_REASON = 1000
MAX_RECORDS = 10000


# --- Reads ------------------------------------------------------------------------------------------


def record_facts(inventory: Inventory) -> list[RecordFacts]:
    rows = (ActivityRecord.objects.filter(inventory=inventory).order_by("id")
            .values_list("id", "origin", "category", "fuel", "quantity", "unit", "period_start", "period_end",
                         "meter__facility_id", "emission_source__facility_id", "meter__emission_source__facility_id"))
    return [
        RecordFacts(id=pk, origin=origin, category=category, fuel=fuel or "", quantity=quantity, unit=unit,
                    period_start=start, period_end=end,
                    facility_id=meter_facility or source_facility or meter_source_facility)
        for (pk, origin, category, fuel, quantity, unit, start, end, meter_facility, source_facility,
             meter_source_facility) in rows
    ]


def decision_facts(inventory: Inventory) -> list[DecisionFacts]:
    """The inventory's decisions, latest first."""
    entries: dict[int, list[tuple[int, bool]]] = {}
    for decision_id, record_id, counted in (DoubleCountDecisionRecord.objects
                                            .filter(decision__inventory=inventory)
                                            .values_list("decision_id", "record_id", "counted")):
        entries.setdefault(decision_id, []).append((record_id, counted))
    facts = []
    for decision_id, counted in (DoubleCountDecision.objects.filter(inventory=inventory)
                                 .order_by("-decided_at", "-id").values_list("id", "counted")):
        rows = entries.get(decision_id, [])
        facts.append(DecisionFacts(id=decision_id, counted=counted,
                                   record_ids=frozenset(record_id for record_id, _counted in rows),
                                   excluded_ids=frozenset(record_id for record_id, kept in rows if not kept)))
    return facts


def double_count_groups(inventory: Inventory) -> list[Group]:
    """The inventory's suspected double counts, each with its status."""
    groups = find_groups(record_facts(inventory), period_start=inventory.period_start,
                         period_end=inventory.period_end)
    if not groups:
        return groups
    return resolve(groups, decision_facts(inventory))


def unresolved_double_counts(inventory: Inventory) -> list[Group]:
    return [group for group in double_count_groups(inventory) if not group.resolved]


def group_of(inventory: Inventory, key: str) -> Group:
    """The current group named `key`; NotFound when there is none (any more)."""
    group = next((group for group in double_count_groups(inventory) if group.key == key), None)
    if group is None:
        raise NotFound(_("There is no such group of possibly double-counted records (any more)."))
    return group


def facility_names(groups: list[Group]) -> dict[int, str]:
    ids = {group.facility_id for group in groups if group.facility_id}
    return dict(Facility.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def group_label(group: Group, names: dict[int, str] | None = None) -> str:
    """"Main site · Purchased electricity · 2025-01-01 – 2025-12-31 (meter readings, invoice)"."""
    names = names if names is not None else facility_names([group])
    facility = names.get(group.facility_id) if group.facility_id else None
    energy = str(Category(group.category).label) if group.category in Category.values else group.category
    if group.fuel:
        energy += " · " + (str(Fuel(group.fuel).label) if group.fuel in Fuel.values else group.fuel)
    origins = ", ".join(origin_label(origin) for origin in group.origins)
    return (f"{facility or _('whole enterprise')} · {energy} · {group.period_start.isoformat()} – "
            f"{group.period_end.isoformat()} ({origins})")


def origin_label(origin: str) -> str:
    if origin == COUNT_ALL:
        return _("all of them")
    return str(Origin(origin).label) if origin in Origin.values else origin


def double_count_refusal(inventory: Inventory) -> str | None:
    """Why the inventory cannot be calculated because of possible double counting, or None."""
    return _refusal(unresolved_double_counts(inventory))


def _refusal(open_groups: list[Group]) -> str | None:
    if not open_groups:
        return None
    names = facility_names(open_groups)
    return _("Possible double counting is not settled: %(groups)s. Compare the records and choose which count "
             "before calculating.") % {"groups": "; ".join(group_label(group, names) for group in open_groups)}


def ensure_no_unresolved_double_count(inventory: Inventory) -> list[Group]:
    """The inventory's groups, all settled; else Conflict `double_count_unresolved` naming the others."""
    groups = double_count_groups(inventory)
    reason = _refusal([group for group in groups if not group.resolved])
    if reason:
        raise Conflict(reason, code="double_count_unresolved")
    return groups


def calculation_exclusions(inventory: Inventory, groups: list[Group] | None = None) -> list[dict]:
    """The records the settled groups leave out of the calculation, in record order, each with
    its line, origin, the decision, what it counted, its reason, who and when."""
    groups = double_count_groups(inventory) if groups is None else groups
    excluded = excluded_record_ids(groups)
    if not excluded:
        return []
    decision_of = {record_id: group.decision_id for group in groups if group.resolved
                   for record_id in group.excluded_ids}
    decisions = {decision.pk: decision for decision in DoubleCountDecision.objects
                 .filter(pk__in=set(decision_of.values())).select_related("decided_by")}
    rows = []
    for record in ActivityRecord.objects.filter(pk__in=excluded).order_by("id"):
        decision = decisions[decision_of[record.pk]]
        rows.append({
            "activity_record": record.pk, "origin": record.origin, "line": record.as_line(),
            "period_start": _date(record.period_start), "period_end": _date(record.period_end),
            "decision": decision.pk, "group": decision.group_key, "counted": decision.counted,
            "reason": decision.reason, "decided_by": _person(decision.decided_by),
            "decided_at": decision.decided_at.isoformat(),
        })
    return rows


def decisions_of(inventory: Inventory):
    """Every decision of the inventory, latest first, with who decided and its records."""
    return (DoubleCountDecision.objects.filter(inventory=inventory).select_related("decided_by")
            .prefetch_related("entries").order_by("-decided_at", "-id"))


def current_decision_ids(inventory: Inventory) -> set[int]:
    """The decisions that settle a group now (the others were superseded or wait for a new look)."""
    return {group.decision_id for group in double_count_groups(inventory) if group.resolved}


def group_records(inventory: Inventory, group: Group) -> dict[int, ActivityRecord]:
    """The group's records as model objects (for pages), by id."""
    records = (ActivityRecord.objects.filter(inventory=inventory, pk__in=group.record_ids)
               .select_related("meter", "emission_source__facility", "evidence", "created_by"))
    return {record.pk: record for record in records}


# --- Write ------------------------------------------------------------------------------------------


def decide_double_count(*, inventory_id, actor, counted, reason, group_key=None,
                        record_ids=None) -> DoubleCountDecision:
    """Record which of a group's records count: `counted` is an origin of the group (its records
    count, the others are left out of the calculation) or "all" (distinct energy, all count).
    The group is named by `group_key` or by all its `record_ids` (both: they must agree); ids
    that no longer make up the whole group (a record came or went) are refused with Conflict
    `group_changed`, so that the officer looks again. `reason` is required.

    NotFound when the actor cannot see the inventory; PermissionDenied for anyone but a carbon
    officer of the enterprise; Conflict (`data_frozen`) once the data is no longer collected."""
    with transaction.atomic():
        inventory = (inventories_visible_to(actor).select_for_update(of=("self",))
                     .filter(pk=inventory_id).first()) if _whole(inventory_id) else None
        if inventory is None:
            raise NotFound(_("No such inventory."))
        if not is_officer_of(actor, inventory.enterprise_id):
            raise PermissionDenied(_("Only the enterprise's carbon officers decide what counts."))
        if inventory.status not in COLLECTING_STATES:
            raise Conflict(edit_refusal(inventory), code="data_frozen")
        counted = _counted(counted)
        reason = _reason(reason)
        group = _chosen_group(inventory, group_key, record_ids)
        if counted != COUNT_ALL and counted not in group.origins:
            raise InvalidInput(_("None of the records compared comes from %(origin)s; choose one of: %(origins)s.")
                               % {"origin": origin_label(counted),
                                  "origins": ", ".join(origin_label(origin) for origin in group.origins)},
                               code="invalid_choice")
        excluded = excluded_by(group.records, counted)
        lines = {record.pk: record for record in ActivityRecord.objects.filter(pk__in=group.record_ids)}
        decision = DoubleCountDecision.objects.create(
            inventory=inventory, group_key=group.key, counted=counted, reason=reason, decided_by=actor,
            compared=[{
                "activity_record": record.id, "origin": record.origin, "line": lines[record.id].as_line(),
                "period_start": _date(record.period_start), "period_end": _date(record.period_end),
                "facility": record.facility_id, "counted": record.id not in excluded,
            } for record in group.records],
        )
        DoubleCountDecisionRecord.objects.bulk_create(
            DoubleCountDecisionRecord(decision=decision, record_id=record.id, counted=record.id not in excluded)
            for record in group.records)
        data_changed()
    return decision


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _counted(value) -> str:
    if not isinstance(value, str) or value not in (*Origin.values, COUNT_ALL):
        raise InvalidInput(_("Say what counts: one of %(choices)s.")
                           % {"choices": ", ".join((*Origin.values, COUNT_ALL))}, code="invalid_choice")
    return value


def _reason(value) -> str:
    return clean_reason(value, max_length=MAX_REASON, missing=_("Say why: a reason is required for the decision."))


def _ids(values) -> list[int]:
    if not isinstance(values, (list, tuple)) or not values or len(values) > MAX_RECORDS:
        raise InvalidInput(_("records must be a list of activity record ids."), code="invalid")
    ids = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
            raise InvalidInput(_("records must be a list of activity record ids."), code="invalid")
        ids.append(value)
    return ids


def _chosen_group(inventory: Inventory, key, record_ids) -> Group:
    if key in (None, "") and record_ids is None:
        raise InvalidInput(_("Name the group: its key or the ids of its records."), code="group_required")
    groups = double_count_groups(inventory)
    group = None
    if key not in (None, ""):
        if not isinstance(key, str):
            raise InvalidInput(_("The group key is text."), code="invalid")
        group = next((candidate for candidate in groups if candidate.key == key), None)
        if group is None:
            raise InvalidInput(_("There is no such group of possibly double-counted records (any more); look "
                                 "at the comparison again."), code="unknown_group")
    if record_ids is None:
        return group
    ids = set(_ids(record_ids))
    containing = [candidate for candidate in groups if ids & set(candidate.record_ids)]
    if len(containing) != 1 or (group is not None and containing[0] is not group):
        raise InvalidInput(_("These records are not one group of possibly double-counted records."),
                           code="unknown_group")
    group = containing[0]
    outside = ids - set(group.record_ids)
    if outside and ActivityRecord.objects.filter(inventory=inventory, pk__in=outside).exists():
        raise InvalidInput(_("These records are not one group of possibly double-counted records."),
                           code="unknown_group")
    if ids != set(group.record_ids):
        raise Conflict(_("The group has changed since it was shown: records came or went. Compare the records "
                         "again."), code="group_changed")
    return group


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _person(user) -> dict:
    return {"id": user.pk, "name": getattr(user, "display_name", "") or user.get_username()}


__all__ = [
    "UNRESOLVED", "calculation_exclusions", "current_decision_ids", "decide_double_count", "decision_facts",
    "decisions_of", "double_count_groups", "double_count_refusal", "ensure_no_unresolved_double_count",
    "facility_names", "group_label", "group_of", "group_records", "origin_label", "record_facts",
    "unresolved_double_counts",
]
