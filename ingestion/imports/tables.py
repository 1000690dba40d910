"""Reading an uploaded spreadsheet (CSV or XLSX) into rows of text with pandas.

Every cell is read as text, so that quantities stay exact decimals; the first sheet of a
workbook is the data. A CSV may be UTF-8 (with or without BOM) or GB18030 (what Chinese
Excel saves). Anything that cannot be read is a ValidationError, and nothing is imported.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..evidence.content import XLSX

FIRST_DATA_ROW = 2  # row numbers in reports are the spreadsheet's: the header is row 1


def read_rows(data: bytes, content_type: str, *, known: tuple[str, ...],
              required: tuple[str, ...]) -> list[tuple[int, dict]]:
    """The data rows as (spreadsheet row number, {column: text}), empty cells as "", empty
    rows left out. Columns are matched without case and spaces; unknown columns are refused,
    so that a typo is not silently ignored."""
    import pandas as pd

    try:
        if content_type == XLSX:
            frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=str, keep_default_na=False,
                                  engine="openpyxl")
        else:
            frame = _read_csv(data)
    except ValidationError:
        raise
    except Exception as error:  # pandas and openpyxl raise many kinds; each means "unreadable"
        raise ValidationError(_("The file cannot be read as a table: %(error)s") % {"error": error}) from None
    frame = frame.loc[:, [not (str(c).startswith("Unnamed:") and (frame[c] == "").all()) for c in frame.columns]]
    names = [str(column).strip().lower().replace(" ", "_") for column in frame.columns]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValidationError(_("Unknown column(s): %(unknown)s. The template's columns are: %(known)s.")
                              % {"unknown": ", ".join(unknown), "known": ", ".join(known)})
    missing = [name for name in required if name not in names]
    if missing:
        raise ValidationError(_("Missing column(s): %(missing)s.") % {"missing": ", ".join(missing)})
    if len(set(names)) != len(names):
        raise ValidationError(_("A column appears twice."))
    frame.columns = names
    if len(frame) > settings.IMPORT_MAX_ROWS:
        raise ValidationError(_("The file has %(rows)d rows; the limit is %(limit)d.")
                              % {"rows": len(frame), "limit": settings.IMPORT_MAX_ROWS})
    rows = [(number, {key: _text(value) for key, value in row.items()})
            for number, row in enumerate(frame.to_dict(orient="records"), start=FIRST_DATA_ROW)]
    rows = [(number, row) for number, row in rows if any(row.values())]
    if not rows:
        raise ValidationError(_("The file has no data rows."))
    return rows


def _read_csv(data: bytes):
    import pandas as pd

    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding=encoding,
                               skip_blank_lines=False)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The CSV is neither UTF-8 nor GB18030 text."))


def _text(value) -> str:
    return "" if value is None else str(value).strip()
