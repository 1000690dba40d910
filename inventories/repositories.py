"""Bulk writes on the hot path, below the ORM.

An inventory's result has one line per activity record (10,000 and more); building that many
model instances costs several times the calculation itself. On PostgreSQL the rows go in one
COPY, elsewhere in one `executemany`, with the JSON columns encoded once per line.
"""

import json
from typing import NamedTuple

from django.db import connection

from .models import ResultLine


class ResultLineRow(NamedTuple):
    index: int
    activity_record_id: int | None
    category: str
    inputs: dict
    tco2e: object  # Decimal
    activity_gj: object  # Decimal or None
    energy_tce: object  # Decimal
    factor_table: int
    formula: str
    conversions: tuple


def insert_result_lines(result, rows: list[ResultLineRow]) -> None:
    quote = connection.ops.quote_name
    table = quote(ResultLine._meta.db_table)
    columns = ", ".join(quote(column) for column in ("result_id", *ResultLineRow._fields))
    encode = json.JSONEncoder(ensure_ascii=False).encode
    no_conversions = encode([])
    values = (
        (result.pk, row.index, row.activity_record_id, row.category, encode(row.inputs), row.tco2e, row.activity_gj,
         row.energy_tce, row.factor_table, row.formula,
         encode(list(row.conversions)) if row.conversions else no_conversions)
        for row in rows
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # cursor.cursor: psycopg's own cursor under Django's wrapper, in the same transaction
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            placeholders = ", ".join(["%s"] * (len(ResultLineRow._fields) + 1))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", list(values))
