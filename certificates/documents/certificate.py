"""The certificate of a label (PDF): bilingual, the figures, the signature and the QR code of
the label's absolute resolution URL (docs/interfaces.md §6)."""

import json
from decimal import Decimal

from ..models import Label
from ..payloads import resolution_url
from .pdf import render_pdf
from .qr import qr_svg_data_uri

CATEGORY_NAMES = {
    "fuel_combustion": ("化石燃料燃烧", "Fuel combustion"),
    "process": ("工业生产过程", "Industrial processes"),
    "purchased_electricity": ("净购入电力", "Purchased electricity"),
    "purchased_heat": ("净购入热力", "Purchased heat"),
    "exported_electricity": ("输出电力", "Exported electricity"),
    "exported_heat": ("输出热力", "Exported heat"),
}

ASSURANCE_NAMES = {"reasonable": "合理保证 Reasonable assurance", "limited": "有限保证 Limited assurance"}
CONCLUSION_NAMES = {"verified": "核查通过 Verified", "rejected": "核查不通过 Rejected"}


def certificate_context(label: Label) -> dict:
    content = json.loads(label.payload)
    url = resolution_url(label.identifier)
    figures = content["figures"]
    categories = [(CATEGORY_NAMES.get(name, (name, name)), value) for name, value in figures.get("by_category", {}).items()
                  if value and Decimal(value) != 0]
    return {"label": label, "content": content, "figures": figures, "subject": content["subject"],
            "verifier": content["verifier"], "period": content["period"], "url": url, "qr": qr_svg_data_uri(url),
            "categories": categories}


def render_certificate(label: Label) -> bytes:
    return render_pdf("certificates/documents/certificate.html", certificate_context(label))
