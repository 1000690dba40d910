"""Certifying the demo inventory: grade worked by hand from docs/reference.md, label JSON, signature."""

import json
from decimal import Decimal

import pytest
from django.utils import translation

from certificates import signing
from certificates.models import Label, LabelEvent
from certificates.services import CertificationError, certification_problems, issue_inventory_labels

pytestmark = pytest.mark.django_db

C = Decimal(44) / Decimal(12)


def hand_worked_demo_a():
    """Demo inventory A (carbon_portal/demo.py) by hand, with the docs/reference.md defaults."""
    natural_gas = Decimal("35") * Decimal("389.31") * Decimal("0.0153") * Decimal("0.99") * C  # 10^4 Nm3, NCV, CC, OF
    raw_coal = Decimal("1200") * Decimal("21.5") * Decimal("0.026") * Decimal("0.93") * C  # measured NCV, CC, OF
    process = Decimal("500") * Decimal("0.405")  # limestone: not energy-related
    electricity = Decimal("2400") * Decimal("0.5306")  # MWh × national average 2023 (latest for 2025)
    heat = Decimal("5000") * Decimal("0.11")  # GJ × default heat factor
    energy_co2 = natural_gas + raw_coal + electricity + heat
    intensity = energy_co2 / Decimal("8000")  # L, tCO2 per 10^4 yuan of added value
    k = intensity / Decimal("2.10")  # demo C30 baseline for 2025, set by the authority
    return {"total": energy_co2 + process, "energy_co2": energy_co2, "L": intensity, "K": k}


def test_grade_matches_reference_worked_by_hand(enterprise_label):
    expected = hand_worked_demo_a()
    figures = enterprise_label.figures
    assert Decimal(figures["total_tco2e"]) == expected["total"].quantize(Decimal("0.000001"))
    assert Decimal(figures["energy_related_tco2"]) == expected["energy_co2"].quantize(Decimal("0.000001"))
    assert Decimal(figures["intensity_tco2_per_10k_yuan"]) == expected["L"].quantize(Decimal("0.000001"))
    assert figures["intensity_tco2_per_10k_yuan"] == "0.608454"
    # The same L as the calculation engine's (docs/interfaces.md §3 `intensity_tco2e_per_10k_yuan`).
    assert enterprise_label.result.intensity_tco2e_per_10k_yuan.quantize(Decimal("0.000001")) == Decimal("0.608454")
    # 0.6 < L <= 2.0: medium-carbon band; K = 0.2897 <= 0.6: grade 1.
    assert Decimal(figures["efficiency_value_k"]) == expected["K"].quantize(Decimal("0.000001"))
    assert figures["efficiency_value_k"] == "0.289740"
    assert (figures["band"], figures["grade"]) == ("medium", 1)
    assert figures["rating_zh"] == "中碳 1级"
    assert figures["industry_average"] == {"value": "2.100000", "basis": "set",
                                           "source": "浙江省经济和信息化厅; 演示数据 Demo figure, not an official baseline"}
    assert (enterprise_label.grade, enterprise_label.band) == (1, "medium")


def test_label_is_signed_over_canonical_payload(enterprise_label):
    content = json.loads(enterprise_label.payload)
    assert enterprise_label.payload == signing.canonical_json(content)
    assert content["identifier"] == enterprise_label.identifier
    assert enterprise_label.identifier.startswith("88.888.8888/E2025-")
    assert content["resolution_url"] == f"http://portal.test/id/{enterprise_label.identifier}"
    assert content["key_id"] == enterprise_label.signing_key.key_id
    public_key = signing.public_key_from_b64(enterprise_label.signing_key.public_key)
    assert signing.verify(public_key, enterprise_label.payload, enterprise_label.signature)


def test_issuing_is_idempotent_and_logged(issue, inventory_a, labels_a):
    again = issue(inventory_a)
    assert [label.pk for label in again] == [label.pk for label in labels_a]
    assert LabelEvent.objects.filter(action="issued").count() == len(labels_a)


def test_reissue_supersedes_and_revokes_the_old_label(issue, inventory_a, enterprise_label):
    new = next(label for label in issue(inventory_a, reissue=True) if label.kind == "enterprise")
    old = Label.objects.get(pk=enterprise_label.pk)
    assert old.superseded_by == new and not old.is_current
    assert old.status == "revoked" and new.identifier in old.status_reason
    assert new.is_current and new.status == "active"


def test_not_verified_inventory_is_refused(inventory_a, verifier_body):
    with translation.override("en"):
        problems = certification_problems(inventory_a, verifier_body=verifier_body)
    assert any("not verified" in problem for problem in problems)
    with translation.override("zh-hans"):
        assert any("未核查" in problem for problem in certification_problems(inventory_a, verifier_body=verifier_body))
    with pytest.raises(CertificationError):
        issue_inventory_labels(inventory=inventory_a, verifier_body=verifier_body)


def test_no_verifier_no_label(inventory_a):
    from tests.certificates.factories import set_status

    inventory = set_status(inventory_a, "verified")
    with translation.override("en"):
        assert any("verifier" in problem for problem in certification_problems(inventory))
