"""The result stores its energy-related CO2 (the numerator of the intensity L, docs/reference.md grading)."""

from decimal import Decimal

import pytest

from carbon_portal.accounts.models import Enterprise, Industry
from inventories.services import add_activity, calculate_inventory, create_inventory
from tests.certificates.factories import make_enterprise, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(factor_set):
    Industry.objects.get_or_create(code="C26", defaults={"name_zh": "C26", "name_en": "C26"})
    return make_officer(make_enterprise("0000E", industry="C26", region="330203"), "officer_e")


def test_the_result_stores_energy_related_co2_without_process_and_less_exports(officer):
    enterprise = Enterprise.objects.get(memberships__user=officer)
    inventory = create_inventory(enterprise=enterprise, year=2024, created_by=officer,
                                 added_value_10k_yuan=Decimal("2000"))
    add_activity(inventory=inventory, actor=officer, lines=[
        {"category": "purchased_electricity", "quantity": "1000", "unit": "MWh",
         "emission_factor": "0.5", "emission_factor_unit": "tCO2/MWh"},  # 500 t
        {"category": "exported_electricity", "quantity": "100", "unit": "MWh",
         "emission_factor": "0.5", "emission_factor_unit": "tCO2/MWh"},  # -50 t
        {"category": "process", "quantity": "100", "unit": "t",
         "emission_factor": "1.25", "emission_factor_unit": "tCO2/t"},  # 125 t, not energy-related
    ])
    result = calculate_inventory(inventory=inventory, calculated_by=officer)
    result.refresh_from_db()

    assert result.total_tco2e == Decimal("575")
    assert result.energy_related_tco2e == Decimal("450")
    assert result.carbon_intensity == Decimal("0.225")
    assert result.intensity_tco2e_per_10k_yuan == Decimal("0.225")
