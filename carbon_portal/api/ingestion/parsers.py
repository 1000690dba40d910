"""Request bodies of POST /api/v1/readings: JSON with exact decimals, or CSV."""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from carbon_portal.api.parsers import JSONParser
from carbon_portal.core.text import control_character, control_character_message

CSV_COLUMNS = ("meter", "ts", "value")


class DecimalJSONParser(JSONParser):
    """JSON whose numbers with a fraction are Decimals, never floats; NaN and Infinity refused;
    the API's limits of depth and control characters."""

    parse_float = Decimal


class ReadingsCSVParser(BaseParser):
    """text/csv with the header meter,ts,value (UTF-8); gives {"readings": [rows]}."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            text = stream.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ParseError(_("The CSV is not UTF-8 text.")) from None
        character = control_character(text)
        if character:
            line = text.count("\n", 0, text.index(character)) + 1
            raise ParseError(control_character_message(_("Line %(line)d") % {"line": line}, character),
                             code="control_character")
        reader = csv.reader(io.StringIO(text))
        header = [column.strip().lower() for column in next(reader, [])]
        if not set(CSV_COLUMNS) <= set(header):
            raise ParseError(_("The CSV needs the header line: meter,ts,value"))
        positions = [header.index(column) for column in CSV_COLUMNS]
        rows = []
        for record in reader:
            if not record or record == [""]:
                continue
            rows.append({column: (record[position] if position < len(record) else None)
                         for column, position in zip(CSV_COLUMNS, positions)})
        return {"readings": [{key: value for key, value in row.items() if value is not None} for row in rows]}
