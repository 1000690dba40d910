"""The checks of an invoice against the inventory it is confirmed into: is it the enterprise's
invoice (the buyer), and does it belong to the inventory period (the issue date)?

A mismatch refuses the confirmation (`Conflict` with code `buyer_mismatch` or `outside_period`)
unless the officer gives a reason; the reason and what it overrode are kept on the draft and
shown to the verifier beside the records.

- Buyer: on a Chinese VAT invoice the buyer's tax id (纳税人识别号) is the buyer's unified social
  credit code. When the invoice carries one, it decides; otherwise the buyer's name is compared
  with the enterprise's (ignoring spaces, width and the kind of brackets). An invoice with
  neither cannot be checked and passes.
- Period: the issue date must fall within the inventory's period.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

BUYER_MISMATCH = "buyer_mismatch"
OUTSIDE_PERIOD = "outside_period"
MAX_REASON = 1000


@dataclass(frozen=True)
class Mismatch:
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


def normalised_name(name) -> str:
    """A company name for comparison: NFKC (full-width brackets and letters become ASCII), no
    whitespace, brackets of any kind alike, case-folded."""
    text = unicodedata.normalize("NFKC", str(name or ""))
    text = re.sub(r"\s+", "", text).translate(str.maketrans("[]【】〔〕", "()()()"))
    return text.casefold()


def invoice_mismatches(inventory, data: dict) -> list[Mismatch]:
    """What does not fit between the invoice fields `data` (as `clean_invoice` gives them, or the
    extraction as read) and `inventory` (with its enterprise)? Empty when all fits."""
    mismatches = []
    enterprise = inventory.enterprise
    tax_id = re.sub(r"\s+", "", str(data.get("buyer_tax_id") or "")).upper()
    name = str(data.get("buyer_name") or "").strip()
    if tax_id:
        if tax_id != enterprise.credit_code.upper():
            mismatches.append(Mismatch(BUYER_MISMATCH, _(
                "The invoice's buyer tax id %(invoice)s is not the enterprise's unified social credit code "
                "%(enterprise)s.") % {"invoice": tax_id, "enterprise": enterprise.credit_code}))
    elif name and normalised_name(name) != normalised_name(enterprise.name):
        mismatches.append(Mismatch(BUYER_MISMATCH, _(
            "The invoice's buyer %(invoice)s is not the enterprise %(enterprise)s.")
            % {"invoice": name, "enterprise": enterprise.name}))
    issued = _date(data.get("issue_date"))
    if issued is not None and not inventory.period_start <= issued <= inventory.period_end:
        mismatches.append(Mismatch(OUTSIDE_PERIOD, _(
            "The invoice is dated %(date)s, outside the inventory period %(start)s – %(end)s.")
            % {"date": issued.isoformat(), "start": inventory.period_start.isoformat(),
               "end": inventory.period_end.isoformat()}))
    return mismatches


def refusal_message(mismatches: list[Mismatch]) -> str:
    return " ".join([*(m.message for m in mismatches), _(
        "Correct the fields, or confirm with a reason for overriding the check; the verifier sees the reason.")])


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
