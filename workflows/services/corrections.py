"""Changing an activity record: while data is collected, and while corrections are requested
only the records that an unresolved finding points at (inventories.policies)."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from inventories.calculation import CalculationError, calculate, parse_line
from inventories.choices import InventoryStatus
from inventories.models import ActivityRecord
from inventories.models.inventories import LINE_PARAMETERS
from inventories.policies import can_edit_activity, is_officer_of
from inventories.selectors import factor_library

from ..choices import AuditEntity
from ..exceptions import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from .audit import append_entry
from .common import lock_inventory

LINE_FIELDS = {"category", "fuel", "description", "quantity", "unit", *LINE_PARAMETERS}


def correct_activity_record(*, record_id, actor, line: dict) -> ActivityRecord:
    """Replace the record's line (CONTRACTS.md §3 form; fields left out are kept). The line is
    checked by the engine first. A correction under verification is written to the audit trail
    with the line before and after."""
    inventory_id = ActivityRecord.objects.filter(pk=record_id).values_list("inventory_id", flat=True).first()
    if inventory_id is None:
        raise NotFound(_("No such activity record."))
    with transaction.atomic():
        inventory = lock_inventory(inventory_id=inventory_id, actor=actor)
        record = ActivityRecord.objects.select_for_update().get(pk=record_id)
        if not is_officer_of(actor, inventory.enterprise_id):
            raise PermissionDenied(_("Only the enterprise's carbon officers change its activity data."))
        if not can_edit_activity(actor, inventory, record):
            raise TransitionNotAllowed(edit_refusal(inventory), code="data_frozen")
        before = record.as_line()
        merged = _merged_line(before, line)
        _check_line(inventory, merged)
        record.category = merged["category"]
        record.fuel = merged.get("fuel") or ""
        record.description = merged.get("description") or ""
        record.quantity = Decimal(str(merged["quantity"]))
        record.unit = merged["unit"]
        record.parameters = {key: str(merged[key]) for key in LINE_PARAMETERS if merged.get(key) not in (None, "")}
        record.full_clean(exclude=["unit", "inventory", "created_by"])
        record.save()
        if inventory.status == InventoryStatus.CORRECTIONS_REQUESTED:
            append_entry(entity=AuditEntity.ACTIVITY_RECORD, object_id=record.pk, inventory_id=inventory.pk,
                         name="correct", actor=actor, details={"before": before, "after": record.as_line()})
    return record


def edit_refusal(inventory) -> str:
    if inventory.status == InventoryStatus.CORRECTIONS_REQUESTED:
        return str(_("While corrections are requested, only the records that an open finding points at can be "
                     "changed, and none added."))
    return str(_("The inventory's data is frozen while it is %(state)s.") % {"state": inventory.get_status_display()})


def _merged_line(before: dict, changes) -> dict:
    if not isinstance(changes, dict):
        raise InvalidInput(_("An activity line is a JSON object."))
    unknown = set(changes) - LINE_FIELDS
    if unknown:
        raise InvalidInput(_("unknown field(s): %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    merged = {**before, **changes}
    return {key: value for key, value in merged.items() if value not in (None, "")}


def _check_line(inventory, line: dict) -> None:
    """The same checks `inventories.services.add_activity_record` makes before storing."""
    try:
        parsed = parse_line(line, 0)
        calculate([parsed], factor_library(inventory.factor_set),
                  period_start=inventory.period_start, period_end=inventory.period_end)
    except CalculationError as error:
        raise InvalidInput(str(error).removeprefix("line 0: ")) from error
