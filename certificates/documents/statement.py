"""The verification statement (PDF): what was verified, against which criteria, by whom, with
which level of assurance and materiality, the conclusion and the verified figures."""

from django.utils import timezone

from inventories.selectors import latest_result

from ..models import Label
from ..payloads import decimal_text
from ..verification import verification_of
from .certificate import ASSURANCE_NAMES, CATEGORY_NAMES, CONCLUSION_NAMES
from .pdf import render_pdf


def statement_context(inventory) -> dict:
    result = latest_result(inventory)
    verification = verification_of(inventory)
    labels = list(Label.objects.filter(inventory=inventory, is_current=True).select_related("verifier_body")
                  .order_by("kind", "id"))
    body = verification.verifier_body or (labels[0].verifier_body if labels else None)
    categories = [(CATEGORY_NAMES.get(name, (name, name)), decimal_text(value))
                  for name, value in result.by_category.items()]
    return {
        "inventory": inventory, "enterprise": inventory.enterprise, "result": result, "body": body,
        "verification": verification, "labels": labels, "categories": categories,
        "total": decimal_text(result.total_tco2e), "energy_tce": decimal_text(result.energy_tce),
        "energy_co2": decimal_text(result.energy_related_tco2e), "intensity": decimal_text(result.carbon_intensity),
        "today": timezone.localdate(),
        "assurance": ASSURANCE_NAMES.get(verification.assurance_level, ""),
        "conclusion": CONCLUSION_NAMES.get(verification.conclusion, ""),
    }


def render_statement(inventory) -> bytes:
    return render_pdf("certificates/documents/statement.html", statement_context(inventory))
