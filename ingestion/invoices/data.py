"""The invoice fields an officer confirms: the extraction (docs/interfaces.md §3 form) with the
officer's corrections, checked field by field."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carbon_portal.accounts.uscc import uscc_error
from inventories.calculation.decimals import is_decimal_text
from inventories.choices import EnergyType

HEADER_FIELDS = ("invoice_number", "invoice_code", "issue_date", "seller_name", "seller_tax_id", "buyer_name",
                 "buyer_tax_id", "total_amount", "total_tax", "total_with_tax")
LINE_FIELDS = ("description", "energy_type", "quantity", "unit", "unit_price", "amount", "tax_rate", "tax")
TAX_ID = re.compile(r"^[0-9A-Z]{15,20}$")
MAX_LINES = 200


def merged(extraction: dict | None, corrections: dict | None) -> dict:
    """The extraction with the given fields replaced (`lines`, when given, replaces all lines)."""
    data = {key: (extraction or {}).get(key) for key in (*HEADER_FIELDS, "lines")}
    for key, value in (corrections or {}).items():
        if key in data:
            data[key] = value
    data["lines"] = data["lines"] or []
    return data


def clean_invoice(data: dict) -> dict:
    """The checked fields (strings, decimals as strings, a date as YYYY-MM-DD), or a
    ValidationError naming every wrong field (`lines[2].quantity`, ...)."""
    errors: dict[str, list[str]] = {}
    cleaned = {}

    def check(name, function, value):
        try:
            return function(value)
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
            return None

    cleaned["invoice_number"] = check("invoice_number", _required_code, data.get("invoice_number"))
    cleaned["invoice_code"] = check("invoice_code", _optional_code, data.get("invoice_code"))
    cleaned["issue_date"] = check("issue_date", _date, data.get("issue_date"))
    cleaned["seller_name"] = _text(data.get("seller_name"), 200)
    cleaned["seller_tax_id"] = check("seller_tax_id", _tax_id, data.get("seller_tax_id"))
    cleaned["buyer_name"] = _text(data.get("buyer_name"), 200)
    buyer_tax_id = data.get("buyer_tax_id")
    cleaned["buyer_tax_id"] = check("buyer_tax_id", _tax_id, buyer_tax_id) if buyer_tax_id else ""
    for name in ("total_amount", "total_tax", "total_with_tax"):
        cleaned[name] = check(name, _optional_decimal, data.get(name))
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines:
        errors.setdefault("lines", []).append(_("An invoice has at least one line."))
        lines = []
    elif len(lines) > MAX_LINES:
        errors.setdefault("lines", []).append(_("At most %(max)d lines.") % {"max": MAX_LINES})
        lines = []
    cleaned["lines"] = []
    for index, line in enumerate(lines):
        prefix = f"lines[{index}]"
        if not isinstance(line, dict):
            errors.setdefault(prefix, []).append(_("A line is an object."))
            continue
        energy_type = check(f"{prefix}.energy_type", _energy_type, line.get("energy_type"))
        is_energy = energy_type not in (None, EnergyType.WATER, EnergyType.OTHER)
        cleaned["lines"].append({
            "description": _text(line.get("description"), 200),
            "energy_type": energy_type,
            "quantity": check(f"{prefix}.quantity", _quantity if is_energy else _optional_decimal,
                              line.get("quantity")),
            "unit": check(f"{prefix}.unit", _unit if is_energy else _optional_unit, line.get("unit")),
            **{name: check(f"{prefix}.{name}", _optional_decimal, line.get(name))
               for name in ("unit_price", "amount", "tax_rate", "tax")},
        })
    if errors:
        raise ValidationError(errors)
    return cleaned


def _text(value, length: int) -> str:
    return str(value or "").strip()[:length]


def _required_code(value) -> str:
    text = re.sub(r"\s+", "", str(value or ""))
    if not text:
        raise ValidationError(_("Required."))
    if len(text) > 40 or not text.isalnum():
        raise ValidationError(_("Letters and digits only, at most 40."))
    return text


def _optional_code(value) -> str:
    return _required_code(value) if value not in (None, "") else ""


def _date(value) -> str:
    try:
        return datetime.date.fromisoformat(str(value or "").strip()).isoformat()
    except ValueError:
        raise ValidationError(_("A date such as 2025-03-31.")) from None


def _tax_id(value) -> str:
    text = re.sub(r"\s+", "", str(value or "")).upper()
    if not text:
        raise ValidationError(_("Required."))
    if not TAX_ID.match(text):
        raise ValidationError(_("A tax id has 15 to 20 digits or capital letters."))
    if len(text) == 18 and uscc_error(text):
        raise ValidationError(_("This unified social credit code fails its check: %(error)s")
                              % {"error": uscc_error(text)})
    return text


def _decimal(value) -> Decimal:
    text = str(value).strip().replace(",", "")
    try:
        if not is_decimal_text(text):  # ASCII digits only: Decimal also takes "１２３" and "1_000"
            raise InvalidOperation
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Not a number.")) from None
    if not number.is_finite():
        raise ValidationError(_("Not a number."))
    return number


def _optional_decimal(value) -> str | None:
    if value in (None, ""):
        return None
    return format(_decimal(value), "f")


def _quantity(value) -> str:
    if value in (None, ""):
        raise ValidationError(_("Required for an energy line."))
    number = _decimal(value)
    if number < 0:
        raise ValidationError(_("A quantity is not negative."))
    return format(number, "f")


def _energy_type(value) -> str:
    if value not in EnergyType.values:
        raise ValidationError(_("One of: %(choices)s.") % {"choices": ", ".join(EnergyType.values)})
    return value


def _unit(value) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError(_("Required for an energy line."))
    return text[:20]


def _optional_unit(value) -> str:
    return str(value or "").strip()[:20]
