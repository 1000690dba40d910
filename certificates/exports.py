"""CSV and XLSX exports of the government view."""

import csv
import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .government import EXPORT_COLUMNS, GRADES


def _cell(value):
    return "" if value is None else str(value)


def rows_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for _key, title in EXPORT_COLUMNS])
    for row in rows:
        writer.writerow([_cell(row[key]) for key, _title in EXPORT_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 Chinese correctly


def rows_xlsx(rows: list[dict], ratings: dict | None = None) -> bytes:
    """Decimals are written as text, exactly as signed on the labels (no binary floating point)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Enterprises"
    sheet.append([title for _key, title in EXPORT_COLUMNS])
    for row in rows:
        sheet.append([row[key] if isinstance(row[key], int) else _cell(row[key]) for key, _title in EXPORT_COLUMNS])
    for index in range(1, len(EXPORT_COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    if ratings is not None:
        summary = workbook.create_sheet("Ratings")
        summary.append(["地区 Region", "行业 Industry", "企业数 Enterprises", "强度 L (aggregate)", "平均 K",
                        *[f"{grade}级" for grade in GRADES], "上年强度 Previous L", "同比 Change %"])
        for group in ratings["groups"]:
            summary.append([group.region, group.industry, group.count, _cell(group.intensity), _cell(group.mean_k),
                            *group.grade_counts, _cell(group.previous_intensity), _cell(group.change_percent)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
