"""Many activity records at once (spreadsheet imports, meter activity).

`inventories.services.add_activity_record` checks one line with the calculation engine and
stores it; it builds the inventory's factor library each time, which is right for one line
and too slow for thousands. `RecordBatch` does the same checks with the library built once,
and stores the records with one bulk insert.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carbon_portal.api.read_cache import data_changed
from inventories.calculation import CalculationError, calculate, parse_line
from inventories.models import ActivityRecord, Inventory
from inventories.models.inventories import LINE_PARAMETERS
from inventories.selectors import factor_library

LINE_FIELDS = {"category", "fuel", "description", "quantity", "unit", *LINE_PARAMETERS}


class RecordBatch:
    def __init__(self, *, inventory: Inventory, created_by, origin: str, evidence=None):
        self.inventory, self.created_by, self.origin, self.evidence = inventory, created_by, origin, evidence
        self.library = factor_library(inventory.factor_set)
        self.records: list[ActivityRecord] = []

    def add(self, line: dict, *, meter=None, emission_source=None, period_start: datetime.date | None = None,
            period_end: datetime.date | None = None) -> ActivityRecord:
        """Check `line` (CONTRACTS.md §3 form) as `add_activity_record` does and keep the record
        for `save`; ValidationError with the reason if it could not be calculated."""
        unknown = set(line) - LINE_FIELDS
        if unknown:
            raise ValidationError(_("unknown field(s): %(fields)s") % {"fields": ", ".join(sorted(unknown))})
        try:
            calculate([parse_line(line, 0)], self.library, period_start=self.inventory.period_start,
                      period_end=self.inventory.period_end)
        except CalculationError as error:
            raise ValidationError(str(error).removeprefix("line 0: ")) from error
        record = ActivityRecord(
            inventory=self.inventory, category=line["category"], fuel=line.get("fuel") or "",
            description=line.get("description") or "", quantity=Decimal(str(line["quantity"])), unit=line["unit"],
            parameters={key: str(line[key]) for key in LINE_PARAMETERS if line.get(key) not in (None, "")},
            origin=self.origin, evidence=self.evidence, emission_source=emission_source, meter=meter,
            period_start=period_start, period_end=period_end, created_by=self.created_by,
        )
        record.full_clean(exclude=["unit", "inventory", "created_by", "evidence", "meter", "emission_source"],
                          validate_constraints=False)
        self.records.append(record)
        return record

    def save(self) -> list[ActivityRecord]:
        records = ActivityRecord.objects.bulk_create(self.records, batch_size=1000)
        data_changed()
        return records
