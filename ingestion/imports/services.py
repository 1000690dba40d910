"""Spreadsheet imports of activity data and of meter readings.

Row by row: a good row is imported, a bad one is refused with its row number and reason, and
the report (an ImportBatch) says which. A file that cannot be imported at all (unreadable,
wrong columns, too many rows, not a single good row, the same activity file a second time)
raises ImportRefused and leaves nothing behind: each import is one transaction.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carbon_portal.accounts.models import Enterprise
from carbon_portal.core.spreadsheets import formula_start
from carbon_portal.core.text import control_character, control_character_message
from inventories.calculation.decimals import is_decimal_text
from inventories.choices import Origin
from inventories.models import Inventory
from inventories.policies import ensure_can_edit_activity
from inventories.services import NewActivity, add_activity_batch

from ..evidence.services import store_evidence
from ..models import Evidence, ImportBatch
from ..readings.selectors import meters_writable_by
from ..readings.services import ingest_readings
from . import tables, templates

FREE_TEXT = ("description",)


class ImportRefused(ValidationError):
    """Nothing was imported; `report` has the refused rows when there were any."""

    def __init__(self, message, report: dict | None = None):
        super().__init__(message)
        self.report = report or {"rows": 0, "accepted": 0, "duplicates": 0, "refused": []}


@transaction.atomic
def import_activity(*, inventory: Inventory, imported_by, data: bytes, filename: str,
                    all_or_nothing: bool = False) -> ImportBatch:
    """Activity records (origin import) from the activity template. With `all_or_nothing`,
    one bad row refuses the whole file."""
    ensure_can_edit_activity(imported_by, inventory)
    evidence = _evidence(inventory.enterprise, imported_by, data, filename)
    earlier = ImportBatch.objects.filter(inventory=inventory, kind=ImportBatch.Kind.ACTIVITY, evidence=evidence).first()
    if earlier:
        raise ImportRefused(_("This file was imported into this inventory already (import #%(id)d of "
                              "%(date)s); importing it again would count its data twice.")
                            % {"id": earlier.pk, "date": earlier.created_at.date().isoformat()})
    rows = _rows(data, evidence, "activity")
    lines, numbers, refused = [], [], []
    for number, row in rows:
        try:
            _check_text(row)
            line, period_start, period_end = _activity_line(row)
        except ValidationError as error:
            refused.append({"row": number, "error": " ".join(error.messages)})
        else:
            lines.append(NewActivity(line=line, period_start=period_start, period_end=period_end))
            numbers.append(number)
    # With all_or_nothing, a row refused above stores nothing either (the transaction is undone).
    batch = add_activity_batch(inventory=inventory, actor=imported_by, lines=lines, origin=Origin.IMPORT,
                               evidence=evidence, all_or_nothing=all_or_nothing)
    refused = sorted(refused + [{"row": numbers[entry.index], "error": entry.message} for entry in batch.refused],
                     key=lambda entry: entry["row"])
    report = {"rows": len(rows), "accepted": batch.accepted, "duplicates": 0, "refused": refused}
    if not batch.accepted or (all_or_nothing and refused):
        raise ImportRefused(_("Nothing was imported: %(count)d of %(rows)d rows are wrong.")
                            % {"count": len(refused), "rows": len(rows)}, report)
    return ImportBatch.objects.create(enterprise=inventory.enterprise, inventory=inventory,
                                      kind=ImportBatch.Kind.ACTIVITY, evidence=evidence, created_by=imported_by,
                                      **report)


@transaction.atomic
def import_readings(*, enterprise: Enterprise, imported_by, data: bytes, filename: str) -> ImportBatch:
    """Meter readings from the readings template, for the enterprise's meters that the user
    may write. Times without an offset are local times of settings.TIME_ZONE. Readings that
    are stored already count as duplicates, as on every other path."""
    scope = meters_writable_by(imported_by).filter(enterprise=enterprise)
    if not scope.exists():
        raise ImportRefused(_("You may not send readings for the meters of %(enterprise)s.")
                            % {"enterprise": enterprise})
    evidence = _evidence(enterprise, imported_by, data, filename)
    rows = _rows(data, evidence, "readings")
    checked, refused = [], []
    for number, row in rows:
        try:
            _check_text(row)
        except ValidationError as error:
            refused.append({"row": number, "error": " ".join(error.messages)})
        else:
            checked.append((number, row))
    result = ingest_readings(rows=[row for _number, row in checked], scope=scope,
                             default_tz=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    refused = sorted(refused + [{"row": checked[entry["index"]][0], "error": entry["error"]}
                                for entry in result.rejected], key=lambda entry: entry["row"])
    report = {"rows": len(rows), "accepted": result.accepted, "duplicates": result.duplicates, "refused": refused}
    if not result.accepted and not result.duplicates:
        raise ImportRefused(_("Nothing was imported: all %(rows)d rows are wrong.") % {"rows": len(rows)}, report)
    return ImportBatch.objects.create(enterprise=enterprise, kind=ImportBatch.Kind.READINGS, evidence=evidence,
                                      created_by=imported_by, **report)


def _evidence(enterprise, user, data: bytes, filename: str) -> Evidence:
    try:
        evidence, _created = store_evidence(enterprise=enterprise, uploaded_by=user, data=data,
                                            original_name=filename, kind=Evidence.Kind.SPREADSHEET)
    except ValidationError as error:
        raise ImportRefused(error.messages[0]) from error
    if evidence.kind != Evidence.Kind.SPREADSHEET:
        raise ImportRefused(_("This file was uploaded as an invoice, not a spreadsheet."))
    return evidence


def _rows(data: bytes, evidence: Evidence, kind: str) -> list[tuple[int, dict]]:
    try:
        return tables.read_rows(data, evidence.content_type, known=templates.columns(kind),
                                required=templates.required(kind))
    except ValidationError as error:
        raise ImportRefused(error.messages[0]) from error


def _check_text(row: dict) -> None:
    """Refuse a row with a control character in a cell, or with a code or unit that a spreadsheet
    would run as a formula (= + - @). Free text (the description) may begin so: it is stored as
    it is and quoted in every export (carbon_portal.core.spreadsheets)."""
    for column, value in row.items():
        character = control_character(value, multiline=column in FREE_TEXT)
        if character:
            raise ValidationError(control_character_message(column, character))
        if column not in FREE_TEXT and formula_start(value) and not is_decimal_text(value):
            raise ValidationError(_("%(column)s: %(value)s looks like a spreadsheet formula (it begins with "
                                    "%(start)s); formulas are not imported.")
                                  % {"column": column, "value": value[:40], "start": value[0]})


def _activity_line(row: dict) -> tuple[dict, datetime.date | None, datetime.date | None]:
    line = {key: value for key, value in row.items() if value and key not in ("period_start", "period_end")}
    for key in templates.ACTIVITY_REQUIRED:
        if not row.get(key):
            raise ValidationError(_("%(column)s: missing") % {"column": key})
    period_start, period_end = _date(row, "period_start"), _date(row, "period_end")
    if period_start and period_end and period_end < period_start:
        raise ValidationError(_("period_end is before period_start"))
    return line, period_start, period_end


def _date(row: dict, column: str) -> datetime.date | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise ValidationError(_("%(column)s: %(value)r is not a date such as 2025-01-31")
                              % {"column": column, "value": value}) from None
