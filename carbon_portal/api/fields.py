"""Numbers the API takes, in the digits 0-9 only.

Python's `int()` and `Decimal()` also read full-width ("１２３"), Arabic-Indic ("١٢٣") and other
digits, and "1_000"; DRF's number fields inherit that. Every number field of the API's serializers
is one of these (tests/api/test_input_hygiene.py checks that no plain DRF number field is left),
and every number in a query parameter goes through `query_int`. JSON numbers (int and float from
the parser) are taken as before; text must match `NUMBER_TEXT` of the engine, the one definition.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

from inventories.calculation.decimals import is_number_text

NOT_ASCII_DIGITS = _("Enter a number with the digits 0-9.")
NOT_A_WHOLE_NUMBER = _("Enter a whole number with the digits 0-9.")
# Ids and counts are 64-bit in the database; a larger number can name nothing.
LARGEST_WHOLE_NUMBER = 2**63 - 1


class _AsciiDigits:
    def to_internal_value(self, data):
        number = super().to_internal_value(data)  # what is no number at all: DRF's own message
        if isinstance(data, str) and not is_number_text(data):  # read by Python, but not digits 0-9
            raise ValidationError(NOT_ASCII_DIGITS, code="invalid")
        return number


class AsciiIntegerField(_AsciiDigits, serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", LARGEST_WHOLE_NUMBER)
        kwargs.setdefault("min_value", -LARGEST_WHOLE_NUMBER)
        super().__init__(**kwargs)


class AsciiDecimalField(_AsciiDigits, serializers.DecimalField):
    pass


class AsciiFloatField(_AsciiDigits, serializers.FloatField):
    pass


def is_whole_number_text(text: str) -> bool:
    """An id, a page, a count: the digits 0-9 only (no sign, no spaces)."""
    return text.isascii() and text.isdigit()


def query_int(request, name: str, default: int | None = None) -> int | None:
    """The query parameter `name` as a whole number, `default` when absent or empty; else a 400
    `{"detail": "<name>: …", "code": "invalid"}`."""
    return int_param(request.query_params, name, default)


def int_param(params, name: str, default: int | None = None) -> int | None:
    """`params[name]` (query parameters, form fields) as a whole number, as `query_int`."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not isinstance(raw, str) or not is_whole_number_text(raw) or int(raw) > LARGEST_WHOLE_NUMBER:
        raise ValidationError({name: [ErrorDetail(str(NOT_A_WHOLE_NUMBER), code="invalid")]})
    return int(raw)
