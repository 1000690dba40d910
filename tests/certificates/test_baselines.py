"""Industry averages: set by the authority, or computed from enough verified inventories."""

from decimal import Decimal

import pytest
from django.utils import translation

from certificates.baselines import set_industry_baseline
from certificates.models import IndustryBaseline
from certificates.services import certification_problems
from inventories.models import Inventory

from .factories import make_enterprise, make_inventory, make_officer, set_status

pytestmark = pytest.mark.django_db


def test_computed_from_verified_inventories_when_enough_exist(settings, demo, issue, verifier_body):
    settings.INDUSTRY_BASELINE_MIN_INVENTORIES = 2
    IndustryBaseline.objects.filter(industry_id="C31").delete()
    first = make_enterprise("00001", industry="C31")
    second = make_enterprise("00002", industry="C31")
    inventory_1 = make_inventory(first, make_officer(first, "o1"), added_value="1000", lines=[
        {"category": "purchased_electricity", "quantity": "1000", "unit": "MWh"}])  # 530.6 t
    inventory_2 = make_inventory(second, make_officer(second, "o2"), added_value="3000", lines=[
        {"category": "purchased_electricity", "quantity": "1000", "unit": "MWh"},
        {"category": "process", "quantity": "100", "unit": "t", "emission_factor": "1",
         "emission_factor_unit": "tCO2/t"}])  # 530.6 t energy-related; process excluded

    inventory_1 = set_status(inventory_1, "verified")
    with translation.override("en"):
        problems = certification_problems(inventory_1, verifier_body=verifier_body)
    assert any("no industry average" in p for p in problems)

    set_status(inventory_2, "verified")
    label = issue(Inventory.objects.get(pk=inventory_1.pk))[0]
    average = (Decimal("530.6") + Decimal("530.6")) / (Decimal("1000") + Decimal("3000"))  # 0.26530
    assert label.figures["industry_average"] == {
        "value": "0.265300", "basis": "computed", "inventories": 2,
        "source": "Computed from 2 verified inventories of C31 in 2025"}
    assert Decimal(label.figures["efficiency_value_k"]) == (Decimal("0.5306") / average).quantize(Decimal("0.000001"))
    # K = 0.5306 / 0.2653 = 2.0 exactly: still grade 4 (K <= 2.0); L = 0.5306 <= 0.6: low-carbon band.
    assert (label.grade, label.band, label.figures["rating_zh"]) == (4, "low", "低碳 4级")
    stored = IndustryBaseline.objects.get(industry_id="C31", year=2025)
    assert (stored.basis, stored.inventory_count, stored.average_intensity) == ("computed", 2, Decimal("0.265300"))


def test_authority_baseline_wins_and_does_not_change_issued_labels(demo, users, enterprise_label):
    from carbon_portal.accounts.models import Authority, Industry

    authority = Authority.objects.get()
    set_industry_baseline(industry=Industry.objects.get(code="C30"), year=2025, average_intensity=Decimal("0.5"),
                          authority=authority, set_by=users["gov_1"], source="Notice 2026 No. 1")
    enterprise_label.refresh_from_db()
    assert enterprise_label.figures["industry_average"]["value"] == "2.100000"
    assert IndustryBaseline.objects.get(industry_id="C30", year=2025).average_intensity == Decimal("0.5")
    with pytest.raises(Exception):
        set_industry_baseline(industry=Industry.objects.get(code="C30"), year=2025, average_intensity=Decimal("0"),
                              authority=authority, set_by=users["gov_1"])
