"""Bulk writes on the hot path, below the ORM.

An inventory's result has one line per activity record (10,000 and more); building that many
model instances costs several times the calculation itself, so the rows go to the database in
one `executemany` with the JSON columns encoded once.
"""

import json

from django.db import connection

from .models import ResultLine

RESULT_LINE_COLUMNS = ("result_id", "index", "activity_record_id", "category", "inputs", "tco2e", "activity_gj",
                       "energy_tce", "factors", "formula", "conversions")
JSON_COLUMNS = {"inputs", "factors", "conversions"}


def insert_result_lines(result, lines: list[dict]) -> None:
    table = connection.ops.quote_name(ResultLine._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(ResultLine._meta.get_field(_field_name(name)).column)
                        for name in RESULT_LINE_COLUMNS)
    placeholders = ", ".join(["%s"] * len(RESULT_LINE_COLUMNS))
    rows = [
        tuple(
            result.pk if name == "result_id"
            else json.dumps(line[name], ensure_ascii=False) if name in JSON_COLUMNS
            else line[name]
            for name in RESULT_LINE_COLUMNS
        )
        for line in lines
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _field_name(column_name: str) -> str:
    return column_name.removesuffix("_id")
