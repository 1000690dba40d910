"""Decimal arithmetic settings, parsing and formatting.

All arithmetic runs in ``CALC_CONTEXT`` (50 significant digits). Multiplications of the short
numbers found in activity data and factors are exact at that precision; only the few true
divisions (44/12, 1/29.3076, density) round, at the 50th digit. Line results are then carried to
``INTERNAL_QUANTUM`` (1e-20) so that sums of lines are exact and independent of order. Rounding to
what a person reads happens only in ``format_decimal``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from functools import lru_cache

from .errors import CalculationError

CALC_CONTEXT = Context(prec=50, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
INTERNAL_QUANTUM = Decimal("1e-20")
OUTPUT_PLACES = 6
OUTPUT_SIGNIFICANT = 6
MAX_MAGNITUDE = 18  # numbers from 10^18 up are refused as input: no real inventory has them
_WIDE = Context(prec=120, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
# Number text as people and programs write it, in ASCII digits only: 350000, -1.5, .5, 5., 1e3, 2.5E-4
# (Python's Decimal and int also take full-width and Arabic-Indic digits and "1_000": refused). The
# one definition of a number in text: the API's and the portal's number fields use it too.
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
NUMBER_TEXT = re.compile(rf"\s*{_NUMBER}\s*", re.ASCII)
# The engine's reading also lets NaN and Infinity pass, to refuse them as not finite.
DECIMAL_TEXT = re.compile(rf"\s*(?:{_NUMBER}|[+-]?(?:inf|infinity|s?nan))\s*", re.ASCII | re.IGNORECASE)


def is_number_text(text: str) -> bool:
    """Is `text` a finite number in ASCII digits (surrounding spaces allowed)?"""
    return NUMBER_TEXT.fullmatch(text) is not None


def is_decimal_text(text: str) -> bool:
    """Is `text` a number in ASCII digits, or NaN or Infinity (surrounding spaces allowed)?"""
    return DECIMAL_TEXT.fullmatch(text) is not None


def to_decimal(value, what: str) -> Decimal:
    """Parse a decimal string (or int) into a finite Decimal, else CalculationError naming ``what``.

    JSON numbers that arrive as Python floats are taken by their shortest repr ("0.1" stays 0.1);
    booleans are refused.
    """
    if isinstance(value, bool) or value is None:
        raise CalculationError(f"{what} {value!r} is not a number")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        if not is_decimal_text(text):
            raise CalculationError(f"{what} {value!r} is not a number (digits 0-9)")
        number = Decimal(text)
    else:
        raise CalculationError(f"{what} {value!r} is not a number")
    if not number.is_finite():
        raise CalculationError(f"{what} {value!r} is not a finite number")
    if not number.is_zero() and number.adjusted() >= MAX_MAGNITUDE:
        raise CalculationError(f"{what} {value!r} is too large")
    return number


def internal(value: Decimal) -> Decimal:
    """Carry a line result to the internal quantum (1e-20)."""
    return value.quantize(INTERNAL_QUANTUM, context=_WIDE)


def format_decimal(
    value: Decimal | None, places: int = OUTPUT_PLACES, significant: int = OUTPUT_SIGNIFICANT
) -> str | None:
    """Fixed-point text with ``places`` decimals, more if needed for ``significant`` digits.

    Never scientific notation; rounds half up; ``None`` stays ``None``.
    ``format_decimal(Decimal("2287.428"))`` -> ``"2287.428000"``;
    ``format_decimal(Decimal("0.0001234567"))`` -> ``"0.000123457"``.
    """
    if value is None:
        return None
    value = Decimal(value)
    if value.is_zero():
        digits = places
    else:
        digits = max(places, significant - 1 - value.adjusted())
    quantum = Decimal(1).scaleb(-digits)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP, context=Context(prec=max(100, digits + 40)))
    if rounded.is_zero():
        rounded = abs(rounded)  # no "-0.000000"
    return f"{rounded:f}"


@lru_cache(maxsize=65536)  # factor values repeat on every line of an inventory
def plain(value: Decimal) -> str:
    """Shortest fixed-point text of an input number, for formulas: 1200, 21.5, 0.026."""
    value = Decimal(value)
    if value.is_zero():
        return "0"
    text = f"{value.normalize(context=CALC_CONTEXT):f}"
    return text


@lru_cache(maxsize=65536)
def short(value: Decimal) -> str:
    """A derived number for formulas: exact if short, else at least 6 significant digits."""
    text = plain(value)
    if len(text.replace("-", "").replace(".", "").lstrip("0")) <= 12:
        return text
    return format_decimal(value)
