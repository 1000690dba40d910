"""CSV and XLSX exports of the government view.

Every cell goes through `carbon_portal.core.spreadsheets`: text that a spreadsheet would run as a
formula is quoted; the figures are numbers (XLSX number cells showing the decimals exactly as
signed on the labels, never binary floating point text).
"""

import csv
import io
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from carbon_portal.core.spreadsheets import append_row, csv_cell

from .government import EXPORT_COLUMNS, GRADES

# The figures: decimal text in the labels' payloads, numbers in the exports. Codes (credit code,
# region) stay text; the region's GB/T 2260 name is in the column beside its code.
NUMBER_COLUMNS = frozenset({"total_tco2e", "energy_related_tco2", "energy_tce", "added_value_10k_yuan", "intensity",
                            "industry_average", "k", "intensity_change_percent"})


def _number(value):
    if isinstance(value, str):
        try:
            return Decimal(value) if value.isascii() else value
        except InvalidOperation:
            return value
    return value


def _values(row: dict) -> list:
    return [_number(row[key]) if key in NUMBER_COLUMNS else row[key] for key, _title in EXPORT_COLUMNS]


def rows_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(title) for _key, title in EXPORT_COLUMNS])
    for row in rows:
        writer.writerow([csv_cell(value) for value in _values(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 Chinese correctly


def rows_xlsx(rows: list[dict], ratings: dict | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Enterprises"
    append_row(sheet, [title for _key, title in EXPORT_COLUMNS])
    for row in rows:
        append_row(sheet, _values(row))
    for index in range(1, len(EXPORT_COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    if ratings is not None:
        summary = workbook.create_sheet("Ratings")
        append_row(summary, ["地区代码 Region code", "地区 Region", "行业 Industry", "企业数 Enterprises",
                             "强度 L (aggregate)", "平均 K", *[f"{grade}级" for grade in GRADES],
                             "上年强度 Previous L", "同比 Change %"])
        for group in ratings["groups"]:
            append_row(summary, [group.region, group.region_name, group.industry, group.count,
                                 _number(group.intensity), _number(group.mean_k), *group.grade_counts,
                                 _number(group.previous_intensity), _number(group.change_percent)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
