"""The pipeline: bytes -> pages of positioned text -> fields, lines, totals -> checks."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from . import checks, fields, filetypes, reader
from .errors import ExtractionError
from .inflation import check_pdf_inflation
from .layout import PageText
from .lines import find_table, finish, parse_lines
from .result import InvoiceExtraction
from .taxid import check_tax_id
from .totals import Totals, matches, parse_totals

Source = str | os.PathLike | bytes | bytearray | memoryview | BinaryIO


def _read_source(source: Source, filename: str | None) -> tuple[bytes, str | None]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), filename
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = filename or path.name
        try:
            size = path.stat().st_size
            if size > filetypes.MAX_BYTES:
                raise ExtractionError(
                    f"the file {name} is too large: {size / 1048576:.1f} MiB, "
                    f"the limit is {filetypes.MAX_BYTES // 1048576} MiB", "too_large")
            return path.read_bytes(), name
        except FileNotFoundError as error:
            raise ExtractionError(f"no such file: {source}", "not_found") from error
        except IsADirectoryError as error:
            raise ExtractionError(f"{source} is a directory, not a file", "not_found") from error
        except OSError as error:
            raise ExtractionError(f"cannot read {source}: {error.strerror or error}", "unreadable") from error
    data = source.read(filetypes.MAX_BYTES + 1)
    return data, filename or getattr(source, "name", None)


def _tax_ids(result: InvoiceExtraction, warnings: list[str]) -> None:
    for role in ("seller", "buyer"):
        raw = getattr(result, f"{role}_tax_id")
        if not raw:
            continue
        checked = check_tax_id(raw)
        setattr(result, f"{role}_tax_id", checked.value)
        if checked.repaired_from:
            warnings.append(f"tax_id_repaired: {role} tax id read as {checked.repaired_from}, "
                            f"repaired to {checked.value} (the only repair with a valid check character)")
        elif not checked.valid:
            warnings.append(f"tax_id_invalid: {role} tax id {checked.value} is not a valid unified social "
                            f"credit code: {checked.error}")


def _fill_totals(result: InvoiceExtraction, totals: Totals, warnings: list[str]) -> None:
    result.total_amount = totals.total_amount
    result.total_tax = totals.total_tax
    result.total_with_tax = totals.total_with_tax
    result.uppercase_total = totals.uppercase
    if None not in (result.total_amount, result.total_tax):
        expected = result.total_amount + result.total_tax
        if result.total_with_tax != expected and totals.with_tax_text and matches(totals.with_tax_text, expected):
            result.total_with_tax = expected  # the figure, read with an OCR slip (yz94613.57)
        elif result.total_with_tax is None:
            result.total_with_tax = expected
            if totals.uppercase != expected:  # confirmed by the amount in words: no warning
                warnings.append("derived: total_with_tax not read; it is total_amount + total_tax")
    if result.total_with_tax is None and totals.uppercase is not None:
        result.total_with_tax = totals.uppercase
        warnings.append("derived: total_with_tax taken from the amount in words (the figure was not read)")
        result.uppercase_total = None
    if result.total_amount is None and result.lines and all(line.amount is not None for line in result.lines):
        result.total_amount = sum((line.amount for line in result.lines), Decimal(0))
        warnings.append("derived: total_amount not read; it is the sum of the line amounts")
    if result.total_tax is None and result.lines and all(line.tax is not None for line in result.lines):
        result.total_tax = sum((line.tax for line in result.lines), Decimal(0))
        warnings.append("derived: total_tax not read; it is the sum of the line taxes")


def parse_pages(pages: list[PageText]) -> InvoiceExtraction:
    """Fields from positioned text (no I/O): used by :func:`extract_invoice` and by tests."""
    all_lines = [line for page in pages for line in page.lines]
    if not fields.is_invoice_text(all_lines):
        raise ExtractionError("the file does not look like an invoice (no 发票, 税额 or 价税合计 found)",
                              "not_an_invoice")
    first = pages[0].lines
    result = InvoiceExtraction(pages=len(pages))
    result.method = "ocr" if any(page.method == "ocr" for page in pages) else "text"
    result.invoice_number = fields.invoice_number(first) or fields.invoice_number(all_lines)
    code = fields.invoice_code(first)
    result.invoice_code = code if code and result.invoice_number and len(result.invoice_number) == 8 else None
    result.issue_date = fields.issue_date(first)
    first_table = find_table(first)
    table_top = first[first_table.header].top if first_table and first_table.header is not None else None
    for key, value in fields.parties(first, table_top).items():
        setattr(result, key, value)
    warnings: list[str] = []
    columns: dict[str, float] = {}
    for page in pages:
        rows, table = parse_lines(page.lines, page.width)
        if table is not None and table.columns:
            columns = table.columns
        for row in rows:
            line, notes = finish(row)
            result.lines.append(line)
            warnings.extend(f"tax_rate: line {len(result.lines)}: {note}" for note in notes)
    totals = Totals()
    for page in reversed(pages):
        totals = parse_totals(page.lines, columns)
        if totals.total_amount is not None or totals.total_with_tax is not None:
            break
    if not result.lines and result.invoice_number is None and totals.total_with_tax is None:
        raise ExtractionError("the file does not look like an invoice (no invoice number, line items or totals)",
                              "not_an_invoice")
    _fill_totals(result, totals, warnings)
    _tax_ids(result, warnings)
    warnings = checks.missing(result) + warnings + checks.arithmetic(result)
    result.warnings = warnings
    base = 1.0
    if result.method == "ocr":
        ocr_pages = [page for page in pages if page.method == "ocr"]
        mean = sum(page.mean_conf for page in ocr_pages) / len(ocr_pages)
        base = min(0.95, 0.4 + 0.6 * mean / 100)
    result.confidence = checks.confidence(base, warnings)
    return result


def extract_invoice(source: Source, *, filename: str | None = None,
                    ocr_workers: int | None = None) -> InvoiceExtraction:
    """Read an invoice (PDF with a text layer, scanned PDF, PNG/JPEG/TIFF photo or scan).

    ``source`` is a path, the file's bytes or a binary file object; ``filename`` is only used
    in messages (the type is judged by content); ``ocr_workers``: pages OCR'd at once (the portal
    passes settings.INVOICE_OCR_WORKERS; None: min(2, cores)). Raises :class:`ExtractionError` for a file
    that is missing, empty, too large, of another type, corrupt, or not an invoice.
    """
    data, name = _read_source(source, filename)
    kind = filetypes.check(data, name)
    if kind == filetypes.PDF:
        check_pdf_inflation(data)
    pages = reader.read(data, kind, ocr_workers=ocr_workers)
    result = parse_pages(pages)
    if result.method == "text" and _poor(result):
        # A text layer that says "invoice" but lacks the fields (labels drawn as paths, a
        # partial layer): read the pages as images and keep the better reading.
        try:
            again = parse_pages(reader.read(data, kind, force_ocr=True, ocr_workers=ocr_workers))
        except ExtractionError:
            return result
        if _poor_score(again) < _poor_score(result):
            return again
    return result


def extract_invoice_data(source: Source, *, filename: str | None = None, ocr_workers: int | None = None) -> dict:
    """:func:`extract_invoice` as the docs/interfaces.md §3 JSON object (what the portal runs in
    its box, ingestion/sandbox.py: plain data crosses the process boundary)."""
    return extract_invoice(source, filename=filename, ocr_workers=ocr_workers).as_dict()


def _poor_score(result: InvoiceExtraction) -> int:
    return sum(1 for warning in result.warnings if warning.startswith(("missing:", "no_lines:")))


def _poor(result: InvoiceExtraction) -> bool:
    return _poor_score(result) >= 3 or not result.lines
