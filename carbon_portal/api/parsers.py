"""JSON request bodies of the API, with the limits every endpoint shares.

`JSONParser` (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]) and the readings endpoint's own parser
refuse, with 400 `{"detail", "code"}` through the one exception handler:

- nesting deeper than `MAX_DEPTH` (no view needs more; Python's own limit would answer 500),
- a control character (U+0000-U+001F but tab, newline and carriage return, U+007F-U+009F, a lone
  surrogate) in any string, keys included: stored, such text breaks the reports made of it.

The size of a body is limited by Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
"""

from __future__ import annotations

import json
import re

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from carbon_portal.core.text import control_character, control_character_message

MAX_DEPTH = 20

# Control characters reach parsed strings only through \u escapes (JSON refuses them raw) or raw
# as DEL and C1 characters: without one of these in the body, no string needs a look.
_MAYBE_CONTROL = re.compile(rb"\\u|\x7f|\xc2[\x80-\x9f]")


def _no_constants(name):
    raise ValueError(f"{name} is not a JSON number")


def check_json(data, body: bytes = b"\\u") -> None:
    """ParseError if `data` nests deeper than MAX_DEPTH or has a control character in a string."""
    level, depth = ([data] if isinstance(data, (dict, list)) else []), 1
    while level:
        if depth > MAX_DEPTH:
            raise ParseError(_("The JSON is nested more than %(max)d levels deep.") % {"max": MAX_DEPTH},
                             code="too_deep")
        deeper = []
        for value in level:
            deeper.extend(item for item in (value.values() if isinstance(value, dict) else value)
                          if isinstance(item, (dict, list)))
        level, depth = deeper, depth + 1
    if _MAYBE_CONTROL.search(body):
        _check_strings(data)


def _check_strings(data) -> None:
    """Named by the key of the value (in a list: the list's key)."""
    stack = [(data, None)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            character = control_character(value)
            if character:
                raise ParseError(control_character_message(where or _("The body"), character),
                                 code="control_character")
        elif isinstance(value, dict):
            for key, item in value.items():
                character = control_character(key)
                if character:
                    raise ParseError(control_character_message(_("A key"), character), code="control_character")
                stack.append((item, key))
        elif isinstance(value, list):
            stack.extend((item, where) for item in value)


class JSONParser(parsers.JSONParser):
    """application/json; NaN and Infinity refused; depth and control characters checked."""

    parse_float = None  # the readings parser reads fractions as Decimals

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read()
        try:
            data = json.loads(body, parse_float=self.parse_float, parse_constant=_no_constants)
        except RecursionError:
            raise ParseError(_("The JSON is nested more than %(max)d levels deep.") % {"max": MAX_DEPTH},
                             code="too_deep") from None
        except ValueError as error:  # UnicodeDecodeError is one
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": error}) from None
        check_json(data, body)
        return data
