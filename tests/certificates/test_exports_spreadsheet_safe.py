"""The government exports: text a spreadsheet would run as a formula is quoted; figures are numbers."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from carbon_portal.core.spreadsheets import csv_cell, spreadsheet_safe
from certificates.exports import rows_csv, rows_xlsx
from certificates.government import EXPORT_COLUMNS

ROW = {key: None for key, _title in EXPORT_COLUMNS} | {
    "enterprise": '=HYPERLINK("http://evil.example","click")', "credit_code": "91330100MA2XXXXX1X",
    "region_code": "330100", "industry": "C30", "year": 2025, "total_tco2e": "1837.840000",
    "energy_related_tco2": "1287.840000", "energy_tce": "-12.5", "added_value_10k_yuan": "8000.0000",
    "intensity": "0.229730", "k": "0.208845", "grade": 1, "band": "low", "rating": "@SUM(1+1)*cmd|' /C calc'!A0",
    "intensity_change_percent": Decimal("-5.0"), "label": "+CN-2025-0001", "status": "active",
    "valid_until": "2026-12-31", "verifier": "=cmd|' /C calc'!A0",
}


def test_formula_text_is_quoted_and_numbers_are_left_alone():
    assert [spreadsheet_safe(v) for v in ("=1+2", "+1", "-x", "@a", "\tx", "\rx", "plain", None)] == [
        "'=1+2", "'+1", "'-x", "'@a", "'\tx", "'\rx", "plain", ""]
    assert [csv_cell(v) for v in (Decimal("-5.0"), -3, 2.5, Decimal("1E+3"))] == ["-5.0", "-3", "2.5", "1000"]


def test_the_csv_export_quotes_formulas_and_keeps_numbers():
    rows = list(csv.reader(io.StringIO(rows_csv([ROW]).decode("utf-8-sig"))))
    cells = dict(zip([key for key, _title in EXPORT_COLUMNS], rows[1]))
    assert cells["enterprise"] == "'" + ROW["enterprise"]
    assert cells["verifier"].startswith("'=") and cells["rating"].startswith("'@") and cells["label"] == "'+CN-2025-0001"
    assert cells["intensity_change_percent"] == "-5.0" and cells["energy_tce"] == "-12.5"
    assert cells["total_tco2e"] == "1837.840000" and cells["region_code"] == "330100"


def test_the_xlsx_export_quotes_formulas_and_writes_numbers_as_numbers():
    sheet = load_workbook(io.BytesIO(rows_xlsx([ROW])))["Enterprises"]
    cells = {key: sheet.cell(row=2, column=index) for index, (key, _title) in enumerate(EXPORT_COLUMNS, start=1)}
    for key in ("enterprise", "verifier", "rating", "label"):
        assert cells[key].data_type == "s" and cells[key].value.startswith("'"), key
    for key in ("total_tco2e", "energy_related_tco2", "energy_tce", "added_value_10k_yuan", "intensity", "k",
                "intensity_change_percent", "year", "grade"):
        assert cells[key].data_type == "n" and isinstance(cells[key].value, (int, float)), key
    assert cells["total_tco2e"].value == 1837.84 and cells["total_tco2e"].number_format == "0.000000"
    assert cells["intensity_change_percent"].value == -5
    assert cells["region_code"].data_type == "s" and cells["region_code"].value == "330100"  # a code stays text
