"""Writing activity data: the one way a line (docs/interfaces.md §3 form) becomes, or changes, an
activity record, whoever sends it (the portal, the API, invoices, imports, meters, the demo).

- `add_activity(inventory=, actor=, line=...)` stores one line and returns its record;
  `add_activity(inventory=, actor=, lines=[...])` stores all of them or, if one is bad, none
  (`InvalidLines` names each bad line).
- `add_activity_batch(inventory=, actor=, lines=[...])` stores the good lines and reports the
  bad ones (`ActivityBatch.refused`), as imports and meter activity need.
- `correct_activity(record_id=, actor=, changes={...})` merges `changes` into a record's line
  (fields left out are kept; a field sent empty is removed).
- `remove_activity(record_id=, actor=, reason=...)` deletes a record while the data is collected;
  the reason is required. Results keep their own copy of the line (`ResultLine.activity_record`
  becomes null), and `inventories.signals.activity_removed`, sent inside the transaction, lets
  workflows append the removal (who, why, the line) to the audit trail.

Each is one transaction with keyword-only arguments. Each checks the edit permission itself
(`inventories.policies.ensure_can_edit_activity`: `PermissionDenied` for anyone but a carbon
officer of the enterprise, `Conflict` with code `data_frozen` when the inventory's state does
not allow it), then checks every line with the calculation engine against the inventory's
factor library, built once per call, so that a line that could not be calculated is never
stored (`InvalidInput` with the reason). Lines are stored with one bulk insert. A correction
sends `inventories.signals.activity_corrected` inside its transaction (workflows writes the
audit entry of a correction under verification).

Lines in `lines` are dicts or `NewActivity` (a line with the meter, emission source and period
it came with); the keyword arguments of the same names apply to the dicts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from carbon_portal.core.data_generation import data_changed
from carbon_portal.core.errors import Conflict, InvalidInput, NotFound
from carbon_portal.core.text import clean_reason, control_character, control_character_message

from .calculation import CalculationError, calculate, parse_line
from .choices import Origin
from .models import ActivityRecord, Inventory
from .models.inventories import LINE_PARAMETERS
from .policies import COLLECTING_STATES, edit_refusal, ensure_can_edit_activity
from .selectors import factor_library, inventories_visible_to
from .signals import activity_corrected, activity_removed

# The fields of an activity line (docs/interfaces.md §3); any other is refused.
LINE_FIELDS = frozenset({"category", "fuel", "description", "quantity", "unit", *LINE_PARAMETERS})

# Checked by the engine or set by the service, not by the model's field validation.
NOT_CLEANED = ["unit", "inventory", "created_by", "evidence", "meter", "emission_source"]


@dataclass(frozen=True)
class NewActivity:
    """A line with what it was collected from, for `lines`."""

    line: dict
    meter: object = None
    emission_source: object = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None


EXTRAS = ("meter", "emission_source", "period_start", "period_end")


@dataclass(frozen=True)
class LineRefused:
    index: int  # position in `lines`
    message: str


@dataclass
class ActivityBatch:
    """What `add_activity_batch` did: the stored records, how many lines were good (stored, or
    not stored because of `all_or_nothing`), and the bad lines with their reasons."""

    records: list[ActivityRecord] = field(default_factory=list)
    accepted: int = 0
    refused: list[LineRefused] = field(default_factory=list)


class InvalidLines(InvalidInput):
    """Lines of a batch that could not be stored; `refused` names each one."""

    def __init__(self, refused: list[LineRefused]):
        super().__init__("; ".join(f"line {entry.index}: {entry.message}" for entry in refused))
        self.refused = refused


@transaction.atomic
def add_activity(
    *,
    inventory: Inventory,
    actor,
    line: dict | None = None,
    lines: list[dict | NewActivity] | None = None,
    origin: str = Origin.MANUAL,
    evidence=None,
    meter=None,
    emission_source=None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> ActivityRecord | list[ActivityRecord]:
    """Store `line` (returns its record) or all of `lines` (returns their records, in order).
    A bad line stores nothing: `InvalidInput` with the reason for `line`, `InvalidLines`
    naming every bad line for `lines`."""
    if (line is None) == (lines is None):
        raise TypeError("add_activity takes either `line` or `lines`")
    batch = _add(inventory=inventory, actor=actor, items=[line] if lines is None else lines, origin=origin,
                 evidence=evidence, all_or_nothing=True,
                 extras={"meter": meter, "emission_source": emission_source, "period_start": period_start,
                         "period_end": period_end})
    if batch.refused:
        if lines is None:
            raise InvalidInput(batch.refused[0].message)
        raise InvalidLines(batch.refused)
    return batch.records if line is None else batch.records[0]


@transaction.atomic
def add_activity_batch(
    *,
    inventory: Inventory,
    actor,
    lines: list[dict | NewActivity],
    origin: str,
    evidence=None,
    all_or_nothing: bool = False,
) -> ActivityBatch:
    """Store the good ones of `lines` and report the bad ones; with `all_or_nothing`, one bad
    line stores none. Refused permission or a frozen inventory raise, as for `add_activity`."""
    return _add(inventory=inventory, actor=actor, items=lines, origin=origin, evidence=evidence,
                extras={}, all_or_nothing=all_or_nothing)


def correct_activity(*, record_id, actor, changes: dict) -> ActivityRecord:
    """Merge `changes` (docs/interfaces.md §3 fields) into the record's line and store it, checked by
    the engine first. While corrections are requested only a record that an unresolved finding
    points at may change. NotFound when the actor cannot see the record."""
    inventory_id = ActivityRecord.objects.filter(pk=record_id).values_list("inventory_id", flat=True).first()
    if inventory_id is None:
        raise NotFound(_("No such activity record."))
    with transaction.atomic():
        if not inventories_visible_to(actor).filter(pk=inventory_id).exists():
            raise NotFound(_("No such inventory."))
        inventory = _locked(inventory_id)
        record = ActivityRecord.objects.select_for_update().get(pk=record_id)
        ensure_can_edit_activity(actor, inventory, record)
        before = record.as_line()
        if not isinstance(changes, dict):
            raise InvalidInput(_("An activity line is a JSON object."))
        merged = {key: value for key, value in {**before, **changes}.items() if value not in (None, "")}
        for name, value in LineCheck(inventory).fields(merged).items():
            setattr(record, name, value)
        _clean(record)
        record.save()
        activity_corrected.send(sender=ActivityRecord, record=record, inventory=inventory, actor=actor,
                                before=before, after=record.as_line())
    return record


MAX_REMOVAL_REASON = 1000


def remove_activity(*, record_id, actor, reason: str) -> dict:
    """Delete a record while the inventory's data is collected, for `reason` (required). Returns
    the record's line as it was. NotFound when the actor cannot see the record; Conflict
    (`data_frozen`) once the data is no longer collected, even while corrections are requested."""
    inventory_id = ActivityRecord.objects.filter(pk=record_id).values_list("inventory_id", flat=True).first()
    if inventory_id is None:
        raise NotFound(_("No such activity record."))
    reason = _removal_reason(reason)
    with transaction.atomic():
        if not inventories_visible_to(actor).filter(pk=inventory_id).exists():
            raise NotFound(_("No such inventory."))
        inventory = _locked(inventory_id)
        record = ActivityRecord.objects.select_for_update().get(pk=record_id)
        ensure_can_edit_activity(actor, inventory, record)
        if inventory.status not in COLLECTING_STATES:
            raise Conflict(edit_refusal(inventory), code="data_frozen")
        line = record.as_line()
        removed = {"line": line, "origin": record.origin, "evidence_id": record.evidence_id,
                   "meter_id": record.meter_id, "created_by_id": record.created_by_id,
                   "created_at": record.created_at.isoformat()}
        try:
            record.delete()
        except ProtectedError as error:
            raise Conflict(_("This record is part of a verification sample and cannot be removed."),
                           code="data_frozen") from error
        activity_removed.send(sender=ActivityRecord, record_id=record_id, inventory=inventory, actor=actor,
                              reason=reason, removed=removed)
    return line


def _removal_reason(reason) -> str:
    return clean_reason(reason, max_length=MAX_REMOVAL_REASON, missing=_("Say why the record is removed."))


class LineCheck:
    """The engine's checks of lines against an inventory's factor library (built once)."""

    def __init__(self, inventory: Inventory):
        self.inventory = inventory
        self.library = factor_library(inventory.factor_set)

    def fields(self, line) -> dict:
        """The record fields of `line`; InvalidInput with the reason if it could not be calculated."""
        if not isinstance(line, dict):
            raise InvalidInput(_("An activity line is a JSON object."))
        unknown = set(line) - LINE_FIELDS
        if unknown:  # in the engine's words, as its own reasons for refusing a line
            raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
        for key, value in line.items():  # the last line of defence for every path (MQTT, imports, invoices)
            character = control_character(value, multiline=key == "description") if isinstance(value, str) else None
            if character:
                raise InvalidInput(control_character_message(key, character))
        try:
            # A dry run against the inventory's library catches a missing default or an
            # unconvertible unit now rather than at calculation time.
            calculate([parse_line(line, 0)], self.library, period_start=self.inventory.period_start,
                      period_end=self.inventory.period_end)
        except CalculationError as error:
            raise InvalidInput(str(error).removeprefix("line 0: ")) from error
        return {
            "category": line["category"],
            "fuel": line.get("fuel") or "",
            "description": line.get("description") or "",
            "quantity": Decimal(str(line["quantity"])),
            "unit": line["unit"],
            "parameters": {key: str(line[key]) for key in LINE_PARAMETERS if line.get(key) not in (None, "")},
        }


def _add(*, inventory, actor, items, origin, evidence, extras: dict, all_or_nothing: bool) -> ActivityBatch:
    inventory = _locked(inventory.pk)
    ensure_can_edit_activity(actor, inventory)
    check = LineCheck(inventory)
    batch = ActivityBatch()
    records = []
    for index, item in enumerate(items):
        entry = item if isinstance(item, NewActivity) else NewActivity(line=item)
        try:
            record = ActivityRecord(
                inventory=inventory, origin=origin, evidence=evidence, created_by=actor,
                **{name: getattr(entry, name) or extras.get(name) for name in EXTRAS},
                **check.fields(entry.line),
            )
            _clean(record)
        except InvalidInput as error:
            batch.refused.append(LineRefused(index=index, message=str(error)))
        else:
            records.append(record)
    batch.accepted = len(records)
    if records and not (all_or_nothing and batch.refused):
        batch.records = ActivityRecord.objects.bulk_create(records, batch_size=1000)
        data_changed()
    return batch


def _locked(inventory_id: int) -> Inventory:
    """The inventory as it is now, its row locked for the rest of the transaction (its state
    cannot move while data is written)."""
    return Inventory.objects.select_for_update(of=("self",)).select_related("factor_set").get(pk=inventory_id)


def _clean(record: ActivityRecord) -> None:
    try:
        record.full_clean(exclude=NOT_CLEANED, validate_constraints=False)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise InvalidInput(" ".join(f"{name}: {message}" for name, messages in error.message_dict.items()
                                        for message in messages)) from error
        raise InvalidInput(" ".join(error.messages)) from error
