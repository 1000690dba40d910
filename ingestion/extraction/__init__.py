"""Extraction of Chinese energy invoices (数电票 and 增值税专用发票) from PDFs and images.

Pure Python (no Django): ``extract_invoice(path_or_bytes) -> InvoiceExtraction`` whose
``as_dict()`` is the docs/interfaces.md §3 JSON object. See docs/invoice-extraction.md.
"""

from .amounts import parse_chinese_uppercase, to_chinese_uppercase
from .energy import ENERGY_TYPES, classify
from .errors import ExtractionError
from .extract import extract_invoice, parse_pages
from .filetypes import MAX_BYTES, MAX_PAGES, MAX_PIXELS
from .lines import normalise_unit
from .result import InvoiceExtraction, InvoiceLine
from .taxid import check_tax_id

__all__ = [
    "ENERGY_TYPES", "MAX_BYTES", "MAX_PAGES", "MAX_PIXELS", "ExtractionError", "InvoiceExtraction", "InvoiceLine",
    "check_tax_id", "classify", "extract_invoice", "normalise_unit", "parse_chinese_uppercase", "parse_pages",
    "to_chinese_uppercase",
]
