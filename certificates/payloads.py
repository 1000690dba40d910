"""The signed content of labels: subject, period, figures, verifier, validity.

Decimals are strings; the payload is signed in its canonical JSON text (signing.canonical_json).
"""

import datetime
from decimal import Decimal

from . import conf

PAYLOAD_VERSION = 1
PLACES = conf.DECIMAL_PLACES


def decimal_text(value, places: Decimal = PLACES) -> str | None:
    if value is None:
        return None
    return format(Decimal(str(value)).quantize(places), "f")


def enterprise_subject(enterprise) -> dict:
    industry = enterprise.industry
    return {
        "enterprise": {
            "name": enterprise.name,
            "name_en": enterprise.name_en,
            "credit_code": enterprise.credit_code,
            "industry": {"code": industry.code, "name_zh": industry.name_zh, "name_en": industry.name_en},
            "region_code": enterprise.region_code,
        }
    }


def product_subject(enterprise, product) -> dict:
    subject = enterprise_subject(enterprise)
    subject["product"] = {"name": product.name, "declared_unit": product.declared_unit}
    return subject


def verifier_data(body, verification=None) -> dict:
    data = {"name": body.name, "name_en": body.name_en, "credit_code": body.credit_code,
            "accreditation_number": body.accreditation_number}
    if verification is not None and verification.assurance_level:
        data["assurance_level"] = verification.assurance_level
    return data


def period_data(inventory) -> dict:
    return {"start": inventory.period_start.isoformat(), "end": inventory.period_end.isoformat(),
            "year": inventory.year}


def enterprise_figures(result, grading, average) -> dict:
    """Emissions and energy of the result, L, the industry average used and its basis, K, grade, band."""
    intensity = result.carbon_intensity
    figures = {
        "total_tco2e": decimal_text(result.total_tco2e),
        "by_category": {category: decimal_text(value) for category, value in sorted(result.by_category.items())},
        "energy_related_tco2": decimal_text(result.energy_related_tco2e),
        "energy_tce": decimal_text(result.energy_tce),
        "added_value_10k_yuan": decimal_text(result.added_value_10k_yuan, Decimal("0.0001")),
        "intensity_tco2_per_10k_yuan": decimal_text(intensity),
        "intensity_basis": "energy-related CO2 (fuel combustion + net purchased electricity and heat) "
                           "per 10^4 yuan of industrial added value, DB33/T 1347-2023",
        "industry_average": average.as_dict() if average is not None else None,
        "efficiency_value_k": decimal_text(grading.k) if grading else None,
        "grade": grading.grade if grading else None,
        "band": grading.band if grading else None,
        "rating_zh": grading.label_zh if grading else None,
        "rating_en": grading.label_en if grading else None,
        "factor_library": f"{result.factor_set.code} {result.factor_set.version}",
    }
    return figures


def label_payload(*, identifier: str, kind: str, subject: dict, period: dict, figures: dict, verifier: dict,
                  issued_at: datetime.datetime, valid_until: datetime.date, key_id: str) -> dict:
    return {
        "version": PAYLOAD_VERSION,
        "identifier": identifier,
        "kind": kind,
        "issuer": {"name": "Carbon Portal", "prefix": conf.identifier_prefix(), "url": conf.base_url()},
        "subject": subject,
        "period": period,
        "figures": figures,
        "verifier": verifier,
        "issued_at": issued_at.astimezone(datetime.timezone.utc).isoformat(timespec="seconds"),
        "valid_until": valid_until.isoformat(),
        "resolution_url": resolution_url(identifier),
        "key_id": key_id,
    }


def resolution_url(identifier: str) -> str:
    return f"{conf.base_url()}/id/{identifier}"
