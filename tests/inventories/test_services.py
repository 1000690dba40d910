import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from carbon_portal.accounts.models import Enterprise, Industry
from inventories.models import ActivityRecord, CalculationResult, FactorValue, Inventory
from inventories.models.results import ImmutableError
from carbon_portal.core.errors import InvalidInput
from inventories.services import add_activity, calculate_inventory, create_inventory

from tests.certificates.factories import make_enterprise, make_officer


@pytest.fixture
def officer(factor_set):
    """An officer of a bare enterprise (the demo's enterprise B's industry) under the shipped factor library."""
    Industry.objects.get_or_create(code="C26", defaults={"name_zh": "C26", "name_en": "C26"})
    return make_officer(make_enterprise("0000B", industry="C26", region="330203"), "officer_b")


@pytest.fixture
def inventory(officer):
    enterprise = Enterprise.objects.get(memberships__user=officer)
    return create_inventory(enterprise=enterprise, year=2024, created_by=officer,
                            added_value_10k_yuan=Decimal("5000"))


def test_create_inventory_pins_the_current_factor_set_and_the_calendar_year(inventory, factor_set):
    assert inventory.factor_set == factor_set
    assert (inventory.period_start, inventory.period_end) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    assert inventory.status == "draft"


def test_one_inventory_per_enterprise_and_year(inventory, officer):
    with pytest.raises(ValidationError, match="already has an inventory"):
        create_inventory(enterprise=inventory.enterprise, year=2024, created_by=officer)


def test_status_cannot_be_written_directly(inventory):
    with pytest.raises(AttributeError):
        inventory.status = "verified"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"category": "fuel_combustion", "fuel": "unobtainium", "quantity": "1", "unit": "t"}, "unobtainium"),
        ({"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "-5", "unit": "t"}, "negative"),
        ({"category": "purchased_electricity", "quantity": "10", "unit": "t"}, "unit"),
        ({"category": "process", "quantity": "10", "unit": "t"}, "emission_factor"),
        ({"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "10", "unit": "t", "colour": "red"},
         "unknown field"),
    ],
)
def test_bad_activity_lines_are_refused_with_the_reason_and_nothing_is_stored(inventory, officer, line, message):
    with pytest.raises(InvalidInput) as error:
        add_activity(inventory=inventory, actor=officer, line=line)
    assert message in error.value.message
    assert ActivityRecord.objects.filter(inventory=inventory).count() == 0


def test_calculation_stores_the_result_its_trace_and_the_factor_snapshot(inventory, officer):
    add_activity(inventory=inventory, actor=officer,
                 line={"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "100", "unit": "t"})
    add_activity(inventory=inventory, actor=officer,
                 line={"category": "purchased_electricity", "quantity": "1000", "unit": "MWh",
                       "emission_factor": "0.5366", "emission_factor_unit": "tCO2/MWh"})
    result = calculate_inventory(inventory=inventory, calculated_by=officer)

    # raw coal: 100 t × 20.908 GJ/t × 26.37 tC/TJ / 1000 × 0.94 × 44/12; electricity 1000 MWh × 0.5366
    coal = Decimal("100") * Decimal("20.908") * Decimal("26.37") / 1000 * Decimal("0.94") * 44 / 12
    expected = coal + Decimal("536.6")
    assert abs(result.total_tco2e - expected) < Decimal("0.000001")
    assert result.intensity_tco2e_per_10k_yuan.quantize(Decimal("0.000001")) == (expected / 5000).quantize(
        Decimal("0.000001"))
    lines = list(result.lines.order_by("index"))
    assert [line.activity_record_id for line in lines] == list(
        inventory.activity_records.order_by("id").values_list("id", flat=True))
    assert "NCV" in lines[0].formula
    snapshot_keys = {(entry["subject"], entry["parameter"]) for entry in result.factor_snapshot}
    assert {("raw_coal", "ncv"), ("raw_coal", "carbon_content"), ("raw_coal", "oxidation_rate")} <= snapshot_keys


def test_lines_sharing_their_factors_store_them_once(inventory, officer):
    for quantity in ("100", "250", "40"):
        add_activity(inventory=inventory, actor=officer,
                     line={"category": "fuel_combustion", "fuel": "raw_coal", "quantity": quantity, "unit": "t"})
    add_activity(inventory=inventory, actor=officer,
                 line={"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "10", "unit": "t",
                       "ncv": "22.1", "ncv_unit": "GJ/t"})
    calculate_inventory(inventory=inventory, calculated_by=officer)

    stored = CalculationResult.objects.get(inventory=inventory)  # read back from the database
    assert len(stored.factor_tables) == 2
    lines = list(stored.lines.order_by("index"))
    assert [line.factor_table for line in lines] == [0, 0, 0, 1]
    assert lines[0].factors == lines[2].factors == stored.factor_tables[0]
    assert lines[0].factors["ncv"] == {**lines[0].factors["ncv"], "value": "20.908", "origin": "library"}
    assert lines[3].factors["ncv"]["origin"] == "line" and lines[3].factors["ncv"]["value"] == "22.1"
    assert [line.formula.split(" = ")[2].split(" × ")[0] for line in lines] == ["100 t", "250 t", "40 t", "10 t"]
    assert [line.inputs["quantity"] for line in lines] == ["100", "250", "40", "10"]


def test_a_later_change_to_the_library_never_changes_a_stored_result(inventory, officer):
    add_activity(inventory=inventory, actor=officer,
                 line={"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "100", "unit": "t"})
    result = calculate_inventory(inventory=inventory, calculated_by=officer)
    before = (result.total_tco2e, result.factor_snapshot, [(line.tco2e, line.factors) for line in result.lines.all()])

    # Even an edit of the stored edition (which the admin forbids) leaves the result as it was.
    FactorValue.objects.filter(factor_set=inventory.factor_set, subject="raw_coal", parameter="ncv").update(
        value=Decimal("30"))
    stored = CalculationResult.objects.get(pk=result.pk)
    assert (stored.total_tco2e, stored.factor_snapshot,
            [(line.tco2e, line.factors) for line in stored.lines.all()]) == before
    assert stored.lines.get().factors["ncv"]["value"] == "20.908"
    ncv = next(e for e in stored.factor_snapshot if e["subject"] == "raw_coal" and e["parameter"] == "ncv")
    assert Decimal(ncv["value"]) == Decimal("20.908")

    # A new calculation uses the library as it is now; the old result is kept beside it.
    again = calculate_inventory(inventory=inventory, calculated_by=officer)
    assert again.total_tco2e > stored.total_tco2e
    assert CalculationResult.objects.filter(inventory=inventory).count() == 2


def test_results_are_immutable(inventory, officer):
    add_activity(inventory=inventory, actor=officer,
                 line={"category": "purchased_heat", "quantity": "10", "unit": "GJ"})
    result = calculate_inventory(inventory=inventory, calculated_by=officer)
    result.total_tco2e = Decimal("0")
    with pytest.raises(ImmutableError):
        result.save()


def test_calculating_an_empty_inventory_says_so(inventory, officer):
    with pytest.raises(ValidationError, match="no activity data"):
        calculate_inventory(inventory=inventory, calculated_by=officer)
    assert not Inventory.objects.get(pk=inventory.pk).results.exists()
