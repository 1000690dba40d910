"""The extraction result and its docs/interfaces.md §3 JSON form."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from .amounts import money, plain


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(money(value))


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


@dataclass
class InvoiceLine:
    description: str
    energy_type: str
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    tax_rate: Decimal | None = None  # a fraction: 0.13 for 13 %
    tax: Decimal | None = None

    def as_dict(self) -> dict:
        result = {
            "description": self.description,
            "energy_type": self.energy_type,
            "quantity": _plain(self.quantity),
            "unit": self.unit,
        }
        if self.unit_price is not None:
            result["unit_price"] = _plain(self.unit_price)
        result["amount"] = _money(self.amount)
        if self.tax_rate is not None:
            result["tax_rate"] = _plain(self.tax_rate)
        if self.tax is not None:
            result["tax"] = _money(self.tax)
        return result


@dataclass
class InvoiceExtraction:
    invoice_number: str | None = None
    invoice_code: str | None = None
    issue_date: datetime.date | None = None
    seller_name: str | None = None
    seller_tax_id: str | None = None
    buyer_name: str | None = None
    buyer_tax_id: str | None = None
    lines: list[InvoiceLine] = field(default_factory=list)
    total_amount: Decimal | None = None
    total_tax: Decimal | None = None
    total_with_tax: Decimal | None = None
    method: str = "text"
    confidence: float = 1.0
    warnings: list[str] = field(default_factory=list)
    pages: int = 1  # not part of the JSON
    uppercase_total: Decimal | None = None  # 价税合计（大写）, read as a cross-check; not in the JSON

    def as_dict(self) -> dict:
        """The docs/interfaces.md §3 object: decimal strings, ``invoice_code`` only when printed."""
        result: dict = {"invoice_number": self.invoice_number}
        if self.invoice_code:
            result["invoice_code"] = self.invoice_code
        result.update({
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "seller_name": self.seller_name,
            "seller_tax_id": self.seller_tax_id,
            "buyer_name": self.buyer_name,
            "buyer_tax_id": self.buyer_tax_id,
            "lines": [line.as_dict() for line in self.lines],
            "total_amount": _money(self.total_amount),
            "total_tax": _money(self.total_tax),
            "total_with_tax": _money(self.total_with_tax),
            "method": self.method,
            "confidence": round(self.confidence, 2),
            "warnings": list(self.warnings),
        })
        return result
