"""Arithmetic cross-checks and the confidence score.

Every warning starts with a stable code and a colon (``line_amount: ...``) so that callers
and tests can tell them apart; the rest is for people.
"""

from __future__ import annotations

from decimal import Decimal

from .amounts import money
from .result import InvoiceExtraction

CENT = Decimal("0.01")
REQUIRED = ("invoice_number", "issue_date", "seller_name", "seller_tax_id", "buyer_name", "buyer_tax_id",
            "total_amount", "total_tax", "total_with_tax")

# Confidence lost per kind of warning (start: 1.0 for a text layer, OCR's mean word confidence).
PENALTY = {"line_amount": 0.1, "line_tax": 0.1, "total_amount": 0.15, "total_tax": 0.15, "total_with_tax": 0.15,
           "uppercase_total": 0.1, "tax_id_invalid": 0.15, "tax_id_repaired": 0.05, "missing": 0.15,
           "no_lines": 0.3, "tax_rate": 0.05, "derived": 0.1}


def _price_tolerance(quantity: Decimal, price: Decimal) -> Decimal:
    """A unit price printed with up to 3 decimals is exact (the product must match to the cent);
    a longer one may be rounded (amount / quantity): allow half a unit of its last decimal
    times the quantity."""
    exponent = price.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places < 4:
        return CENT
    return CENT + abs(quantity) * Decimal(5) * Decimal(10) ** -(places + 1)


def arithmetic(result: InvoiceExtraction) -> list[str]:
    warnings = []
    for number, line in enumerate(result.lines, start=1):
        if line.quantity is not None and line.unit_price is not None and line.amount is not None:
            product = line.quantity * line.unit_price
            if abs(product - line.amount) > _price_tolerance(line.quantity, line.unit_price):
                warnings.append(f"line_amount: line {number}: quantity × unit price = {money(product)}, "
                                f"but the amount is {line.amount}")
        if line.tax_rate is not None and line.tax is not None and line.amount is not None:
            expected = money(line.amount * line.tax_rate)
            if abs(expected - line.tax) > CENT:
                warnings.append(f"line_tax: line {number}: {line.tax_rate * 100:g}% of {line.amount} is {expected}, "
                                f"but the tax is {line.tax}")
    amounts = [line.amount for line in result.lines if line.amount is not None]
    taxes = [line.tax for line in result.lines if line.tax is not None]
    if (result.total_amount is not None and amounts and len(amounts) == len(result.lines)
            and sum(amounts) != result.total_amount):
        warnings.append(f"total_amount: the line amounts add up to {sum(amounts)}, "
                        f"but the total amount is {result.total_amount}")
    if (result.total_tax is not None and taxes and len(taxes) == len(result.lines)
            and sum(taxes) != result.total_tax):
        warnings.append(f"total_tax: the line taxes add up to {sum(taxes)}, but the total tax is {result.total_tax}")
    if (None not in (result.total_amount, result.total_tax, result.total_with_tax)
            and result.total_amount + result.total_tax != result.total_with_tax):
        warnings.append(f"total_with_tax: {result.total_amount} + {result.total_tax} = "
                        f"{result.total_amount + result.total_tax}, but the total with tax is {result.total_with_tax}")
    if (result.uppercase_total is not None and result.total_with_tax is not None
            and result.uppercase_total != result.total_with_tax):
        warnings.append(f"uppercase_total: the amount in words is {result.uppercase_total}, "
                        f"but the figure is {result.total_with_tax}")
    return warnings


def missing(result: InvoiceExtraction) -> list[str]:
    warnings = [f"missing: {name} not found" for name in REQUIRED if getattr(result, name) in (None, "")]
    if not result.lines:
        warnings.append("no_lines: no line items found")
    return warnings


def confidence(base: float, warnings: list[str]) -> float:
    score = base
    for warning in warnings:
        score -= PENALTY.get(warning.split(":", 1)[0], 0.05)
    return max(0.0, min(1.0, score))
