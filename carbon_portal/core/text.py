"""Text that people and programs send: control characters are refused at every edge.

A control character (U+0000-U+001F, U+007F-U+009F) in stored text breaks what is made of it
later (XML in DOCX reports, PostgreSQL refuses NUL outright); so do a lone surrogate and the
non-characters U+FFFE/U+FFFF. Tab, newline and carriage return are fine where text may have
several lines (`multiline=True`), refused elsewhere.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_NOT_TEXT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_IN_LINES = re.compile(f"[{_NOT_TEXT}]")
_IN_ONE_LINE = re.compile(f"[\t\n\r{_NOT_TEXT}]")


def control_character(text: str, *, multiline: bool = True) -> str | None:
    """The first character of `text` that is not allowed, or None."""
    found = (_IN_LINES if multiline else _IN_ONE_LINE).search(text)
    return found.group() if found else None


def control_character_message(what, character: str) -> str:
    """`<what> contains a control character (U+0001).` — for a person, translated."""
    return _("%(field)s contains a control character (U+%(code)04X).") % {"field": what, "code": ord(character)}


def clean_text(field: str | None, label, value, *, max_length: int, required: bool = True,
               multiline: bool = False) -> str:
    """`value` stripped, for a service to store: text, no control character, within `max_length`;
    InvalidInput naming `field` otherwise (`label` is the field's name for a person; with no
    `field`, for a form's messages, the label alone names it)."""
    from .errors import InvalidInput

    if field is None:
        field = label
        prefix = ""
    else:
        prefix = f"{field}: "
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("%(field)s: enter text.") % {"field": field})
    value = value.strip()
    character = control_character(value, multiline=multiline)
    if character:
        raise InvalidInput(prefix + control_character_message(label, character))
    if required and not value:
        raise InvalidInput(_("%(field)s: this field is required.") % {"field": field})
    if len(value) > max_length:
        raise InvalidInput(_("%(field)s: at most %(max)d characters.") % {"field": field, "max": max_length})
    return value


def clean_reason(value, *, max_length: int, missing) -> str:
    """A reason a person must give (several lines allowed): InvalidInput `reason_required` with the
    message `missing` when there is none, and for one too long or with a control character."""
    from .errors import InvalidInput

    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput(missing, code="reason_required")
    if len(text) > max_length:
        raise InvalidInput(_("The reason has at most %(max)d characters.") % {"max": max_length})
    character = control_character(text, multiline=True)
    if character:
        raise InvalidInput(control_character_message("reason", character))
    return text
