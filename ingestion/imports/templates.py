"""The downloadable spreadsheet templates: their columns, an example row or two, and (in the
workbook) a sheet that explains every column."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from inventories.models.inventories import LINE_PARAMETERS

ACTIVITY_REQUIRED = ("category", "quantity", "unit")
ACTIVITY_COLUMNS = ("category", "fuel", "description", "quantity", "unit", "period_start", "period_end",
                    *LINE_PARAMETERS)
READINGS_REQUIRED = ("meter", "ts", "value")
READINGS_COLUMNS = READINGS_REQUIRED

EXAMPLES = {
    "activity": [
        {"category": "fuel_combustion", "fuel": "natural_gas", "description": "Kiln natural gas",
         "quantity": "350000", "unit": "m3", "period_start": "2025-01-01", "period_end": "2025-12-31"},
        {"category": "purchased_electricity", "description": "Purchased electricity", "quantity": "2400000",
         "unit": "kWh", "period_start": "2025-01-01", "period_end": "2025-12-31"},
        {"category": "process", "description": "Limestone decomposition", "quantity": "500", "unit": "t",
         "emission_factor": "0.405", "emission_factor_unit": "tCO2/t"},
    ],
    "readings": [
        {"meter": "A-ELEC-01", "ts": "2025-03-01T08:00:00+08:00", "value": "123456.5"},
        {"meter": "A-ELEC-01", "ts": "2025-03-01T08:15:00+08:00", "value": "123460.25"},
    ],
}


def columns(kind: str) -> tuple[str, ...]:
    return ACTIVITY_COLUMNS if kind == "activity" else READINGS_COLUMNS


def required(kind: str) -> tuple[str, ...]:
    return ACTIVITY_REQUIRED if kind == "activity" else READINGS_REQUIRED


def explanations(kind: str) -> list[tuple[str, str]]:
    if kind == "readings":
        return [
            ("meter", _("The meter's identifier, as in the portal (e.g. A-ELEC-01).")),
            ("ts", _("The time of the reading, ISO 8601 (2025-03-01T08:15:00+08:00). Without an offset it is "
                     "read as local time of the portal; an Excel date-time cell is fine.")),
            ("value", _("The register (cumulative meter) or the interval's consumption (interval meter), in the "
                        "meter's unit; a decimal number, not negative.")),
        ]
    return [
        ("category", _("fuel_combustion, process, purchased_electricity, purchased_heat, exported_electricity "
                       "or exported_heat.")),
        ("fuel", _("For fuel_combustion: raw_coal, coke, crude_oil, fuel_oil, gasoline, kerosene, diesel, lpg, "
                   "refinery_dry_gas or natural_gas.")),
        ("description", _("Free text: the source, the invoice or the meter.")),
        ("quantity", _("The quantity, a decimal number, not negative.")),
        ("unit", _("Its unit: t, kg, m3, 10^4 Nm3, L, kWh, MWh, GJ, ...")),
        ("period_start", _("Optional: the first day the quantity covers (YYYY-MM-DD).")),
        ("period_end", _("Optional: the last day it covers (YYYY-MM-DD).")),
        *[(name, _("Optional: a measured value that replaces the library default.")) for name in LINE_PARAMETERS],
    ]


def template_csv(kind: str) -> bytes:
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=columns(kind), lineterminator="\r\n")
    writer.writeheader()
    for row in EXAMPLES[kind]:
        writer.writerow(row)
    return ("\ufeff" + output.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def template_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(list(columns(kind)))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in EXAMPLES[kind]:
        sheet.append([row.get(column, "") for column in columns(kind)])
    for index, column in enumerate(columns(kind), start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(14, len(column) + 4)
    help_sheet = workbook.create_sheet(_("instructions"))
    help_sheet.append([_("column"), _("meaning")])
    help_sheet.append(["", _("Fill in the first sheet; keep its header row. Required columns: %(columns)s. "
                             "Delete the example rows.") % {"columns": ", ".join(required(kind))}])
    for column, meaning in explanations(kind):
        help_sheet.append([column, meaning])
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 100
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
