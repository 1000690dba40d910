"""Cells of the CSV and XLSX files the portal writes, safe to open in a spreadsheet (OWASP CSV
injection): a text cell that begins with = + - @ (or a tab or carriage return) gets a leading
single quote, so that it is never run as a formula. Numbers are not text: they stay numbers
(XLSX number cells with a number format that shows their decimals), so "-5.2" is never quoted.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)


def formula_start(text: str) -> bool:
    """Would a spreadsheet read this text as a formula?"""
    return text.startswith(FORMULA_STARTS)


def spreadsheet_safe(value) -> str:
    """Text for a cell: None is empty, a formula-like text gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value) -> str:
    """A CSV cell: numbers as they are (a Decimal without exponent), any other value made safe."""
    if isinstance(value, NUMBERS) and not isinstance(value, bool):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    return spreadsheet_safe(value)


def xlsx_cell(value):
    """A value for openpyxl: numbers, dates and None as they are, anything else as safe text."""
    if value is None or isinstance(value, (*NUMBERS, datetime.date, datetime.datetime)):
        return value
    return spreadsheet_safe(value)


def decimal_format(value: Decimal) -> str:
    """The XLSX number format that shows a Decimal with its own places: 2287.428000 -> 0.000000."""
    places = -value.as_tuple().exponent if value.is_finite() else 0
    return "0." + "0" * places if places > 0 else "0"


def append_row(sheet, values) -> None:
    """Append one row to an openpyxl sheet: text made safe, Decimals as numbers with their places."""
    sheet.append([xlsx_cell(value) for value in values])
    for cell, value in zip(sheet[sheet.max_row], values):
        if isinstance(value, Decimal):
            cell.number_format = decimal_format(value)
