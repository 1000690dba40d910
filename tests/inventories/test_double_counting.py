"""Possible double counting (`inventories.double_counting`, `inventories.double_counts`): the same
energy of the same facility over overlapping periods from more than one origin is found, the
officer chooses what counts, the calculation leaves the rest out (and says so in its result),
and calculating is refused while a group is not settled."""

import datetime
from decimal import Decimal

import pytest

from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from inventories.double_counting import COUNT_ALL, RecordFacts, comparison, find_groups, resolve
from inventories.double_counts import decide_double_count, double_count_groups, unresolved_double_counts
from inventories.models import ActivityRecord, DoubleCountDecision, EmissionSource, Facility, Inventory, Meter
from inventories.selectors import latest_result
from inventories.services import add_activity, calculate_inventory, create_inventory

from tests.workflows.support import advance, enterprise_a, step, user

Y24 = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
ELECTRICITY = {"category": "purchased_electricity", "quantity": "1000000", "unit": "kWh"}
GAS = {"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "20000", "unit": "m3"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def facts(pk, origin, *, facility=1, category="purchased_electricity", fuel="", start=None, end=None,
          quantity="1000", unit="kWh"):
    return RecordFacts(id=pk, origin=origin, category=category, fuel=fuel, quantity=Decimal(quantity), unit=unit,
                       facility_id=facility, period_start=start, period_end=end)


# --- Pure detection ----------------------------------------------------------------------------------


def test_same_facility_energy_and_overlapping_period_across_meter_invoice_manual_is_one_group():
    groups = find_groups([
        facts(1, "meter", start=datetime.date(2024, 1, 1), end=datetime.date(2024, 6, 30)),
        facts(2, "invoice", start=datetime.date(2024, 6, 1), end=datetime.date(2024, 6, 30), unit="MWh",
              quantity="1"),
        facts(3, "manual"),  # no period: the inventory's
        facts(4, "meter", category="fuel_combustion", fuel="natural_gas", unit="m3"),  # other energy, alone
    ], period_start=Y24[0], period_end=Y24[1])
    assert len(groups) == 1
    group = groups[0]
    assert group.record_ids == (1, 2, 3)  # meter, invoice, manual (origin order)
    assert group.origins == ("meter", "invoice", "manual")
    assert (group.period_start, group.period_end) == Y24
    assert group.key == "1-purchased_electricity-none-1"
    unit, columns = comparison(group)
    assert unit == "kWh"
    assert [(column.origin, column.total) for column in columns] == [
        ("meter", Decimal("1000")), ("invoice", Decimal("1000")), ("manual", Decimal("1000"))]


@pytest.mark.parametrize("records", [
    # different facilities
    [facts(1, "meter", facility=1), facts(2, "invoice", facility=2)],
    # a line without a facility is compared with every facility, but only over overlapping periods
    [facts(1, "meter", facility=1, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 1, 31)),
     facts(2, "invoice", facility=None, start=datetime.date(2024, 2, 1), end=datetime.date(2024, 2, 29))],
    # periods that do not overlap (both ends included)
    [facts(1, "meter", start=datetime.date(2024, 1, 1), end=datetime.date(2024, 3, 31)),
     facts(2, "invoice", start=datetime.date(2024, 4, 1), end=datetime.date(2024, 4, 30))],
    # the same origin only
    [facts(1, "manual"), facts(2, "manual"), facts(3, "manual")],
    # another fuel, another category
    [facts(1, "meter", category="fuel_combustion", fuel="natural_gas", unit="m3"),
     facts(2, "invoice", category="fuel_combustion", fuel="diesel", unit="t"),
     facts(3, "manual", category="purchased_heat", unit="GJ")],
])
def test_no_group(records):
    assert find_groups(records, period_start=Y24[0], period_end=Y24[1]) == []


def test_no_facility_records_are_compared_with_each_other():
    groups = find_groups([facts(1, "invoice", facility=None), facts(2, "manual", facility=None)],
                         period_start=Y24[0], period_end=Y24[1])
    assert [group.record_ids for group in groups] == [(1, 2)]
    assert groups[0].key == "0-purchased_electricity-none-1"


def test_a_line_without_a_facility_covers_every_facility():
    """An invoice of the whole site's electricity overlaps the meters of both plants: one group,
    enterprise-wide; the two plants' meters alone would not be compared with each other."""
    groups = find_groups([facts(1, "meter", facility=1), facts(2, "meter", facility=2),
                          facts(3, "invoice", facility=None), facts(4, "manual", facility=3,
                                                                    category="purchased_heat", unit="GJ")],
                         period_start=Y24[0], period_end=Y24[1])
    assert [group.record_ids for group in groups] == [(1, 2, 3)]
    assert groups[0].facility_id is None and groups[0].key == "0-purchased_electricity-none-1"
    assert find_groups([facts(1, "meter", facility=1), facts(2, "manual", facility=2)],
                       period_start=Y24[0], period_end=Y24[1]) == []


def test_a_chain_of_overlaps_is_one_group_and_separate_periods_are_separate_groups():
    records = [
        facts(1, "meter", start=datetime.date(2024, 1, 1), end=datetime.date(2024, 2, 15)),
        facts(2, "invoice", start=datetime.date(2024, 2, 1), end=datetime.date(2024, 3, 31)),
        facts(3, "manual", start=datetime.date(2024, 3, 31), end=datetime.date(2024, 4, 30)),
        facts(4, "meter", start=datetime.date(2024, 9, 1), end=datetime.date(2024, 9, 30)),
        facts(5, "import", start=datetime.date(2024, 9, 15), end=datetime.date(2024, 9, 15)),
    ]
    groups = find_groups(records, period_start=Y24[0], period_end=Y24[1])
    assert [group.record_ids for group in groups] == [(1, 2, 3), (4, 5)]


def test_units_that_cannot_be_converted_are_shown_as_they_are():
    group = find_groups([facts(1, "meter", category="fuel_combustion", fuel="diesel", unit="L", quantity="1000"),
                         facts(2, "invoice", category="fuel_combustion", fuel="diesel", unit="t", quantity="0.84")],
                        period_start=Y24[0], period_end=Y24[1])[0]
    unit, columns = comparison(group)
    assert unit == "L"
    assert columns[0].total == Decimal("1000")
    assert columns[1].total is None and columns[1].converted == {2: None}


def test_volumes_in_ten_thousand_cubic_metres_are_compared():
    group = find_groups([facts(1, "meter", category="fuel_combustion", fuel="natural_gas", unit="m3",
                               quantity="20000"),
                         facts(2, "invoice", category="fuel_combustion", fuel="natural_gas", unit="10^4 m3",
                               quantity="2")],
                        period_start=Y24[0], period_end=Y24[1])[0]
    assert [column.total for column in comparison(group)[1]] == [Decimal("20000"), Decimal("20000")]


# --- With the database -------------------------------------------------------------------------------


@pytest.fixture
def site(demo):
    """Enterprise A's facility with an electricity meter and an emission source, and a draft
    inventory holding the same year's electricity from the meter, an invoice and by hand, plus gas."""
    enterprise = enterprise_a()
    facility = Facility.objects.create(enterprise=enterprise, name="Plant 2")
    source = EmissionSource.objects.create(facility=facility, name="Grid supply", category="purchased_electricity")
    meter = Meter.objects.create(enterprise=enterprise, facility=facility, identifier="DC-E1", name="Main feeder",
                                 energy_type="electricity", unit="kWh", reading_kind="interval")
    inventory = create_inventory(enterprise=enterprise, year=2024, created_by=user("officer_a"),
                                 added_value_10k_yuan=Decimal("8000"))
    officer = user("officer_a")
    add_activity(inventory=inventory, actor=officer, line=dict(ELECTRICITY), origin="meter", meter=meter,
                 period_start=Y24[0], period_end=Y24[1])
    add_activity(inventory=inventory, actor=officer, line={**ELECTRICITY, "quantity": "1000", "unit": "MWh"},
                 origin="invoice", emission_source=source)
    add_activity(inventory=inventory, actor=officer, line=dict(ELECTRICITY), origin="manual", emission_source=source)
    add_activity(inventory=inventory, actor=officer, line=dict(GAS), origin="manual")
    return {"inventory": inventory, "facility": facility, "source": source, "meter": meter}


def ids(inventory, origin=None):
    records = ActivityRecord.objects.filter(inventory=inventory).order_by("id")
    if origin:
        records = records.filter(origin=origin)
    return list(records.values_list("pk", flat=True))


def test_the_inventory_has_one_unresolved_group(site):
    inventory = site["inventory"]
    [group] = double_count_groups(inventory)
    assert group.facility_id == site["facility"].pk
    assert set(group.record_ids) == set(ids(inventory)[:3])
    assert group.status == "unresolved"


def test_calculate_is_refused_while_unresolved(site):
    inventory = site["inventory"]
    step(inventory, "open", "officer_a")
    with pytest.raises(Conflict) as refused:
        step(inventory, "calculate", "officer_a")
    assert refused.value.code == "double_count_unresolved"
    assert "Plant 2" in str(refused.value) and "Purchased electricity" in str(refused.value)
    assert Inventory.objects.get(pk=inventory.pk).status == "collecting"
    assert latest_result(inventory) is None
    with pytest.raises(Conflict) as direct:  # the service itself refuses too
        calculate_inventory(inventory=inventory, calculated_by=user("officer_a"))
    assert direct.value.code == "double_count_unresolved"


def test_keeping_the_meter_excludes_the_others_from_the_total(site):
    inventory = site["inventory"]
    step(inventory, "open", "officer_a")
    group = double_count_groups(inventory)[0]
    decision = decide_double_count(inventory_id=inventory.pk, actor=user("officer_a"), counted="meter",
                                   reason="The meter is calibrated; invoice and entry are the same energy.",
                                   group_key=group.key)
    assert decision.decided_by == user("officer_a") and decision.counted == "meter"
    assert [entry["counted"] for entry in decision.compared] == [True, False, False]
    step(inventory, "calculate", "officer_a")
    result = latest_result(inventory)
    # 1 000 000 kWh x 0.5306 tCO2/MWh + 20 000 m3 of natural gas; the invoice and the manual line are left out.
    assert result.total_tco2e == Decimal("573.843776")
    assert sorted(line.activity_record_id for line in result.lines.all()) == sorted(
        ids(inventory, "meter") + [ids(inventory)[3]])
    excluded = {row["activity_record"]: row for row in result.exclusions}
    assert set(excluded) == set(ids(inventory, "invoice") + ids(inventory, "manual")[:1])
    row = excluded[ids(inventory, "invoice")[0]]
    assert row["reason"].startswith("The meter is calibrated") and row["counted"] == "meter"
    assert row["decision"] == decision.pk and row["decided_by"]["id"] == user("officer_a").pk
    assert row["line"] == {"category": "purchased_electricity", "quantity": "1000", "unit": "MWh"}
    # Excluded records stay in the inventory.
    assert ActivityRecord.objects.filter(inventory=inventory).count() == 4


def test_distinct_energy_counts_all(site):
    inventory = site["inventory"]
    step(inventory, "open", "officer_a")
    decide_double_count(inventory_id=inventory.pk, actor=user("officer_a"), counted=COUNT_ALL,
                        reason="Three separate supplies.", record_ids=ids(inventory)[:3])
    step(inventory, "calculate", "officer_a")
    result = latest_result(inventory)
    assert result.total_tco2e == Decimal("1635.043776")  # 3 x 530.6 + 43.243776
    assert result.exclusions == []


def test_a_new_overlapping_record_of_another_origin_reopens_the_group(site):
    inventory = site["inventory"]
    step(inventory, "open", "officer_a")
    decide_double_count(inventory_id=inventory.pk, actor=user("officer_a"), counted="meter", reason="Meter.",
                        record_ids=ids(inventory)[:3])
    assert unresolved_double_counts(inventory) == []
    new = add_activity(inventory=inventory, actor=user("officer_a"), line={**ELECTRICITY, "quantity": "90000"},
                       origin="import", emission_source=site["source"],
                       period_start=datetime.date(2024, 3, 1), period_end=datetime.date(2024, 3, 31))
    [group] = unresolved_double_counts(inventory)
    assert group.status == "reopened" and group.new_ids == {new.pk}
    with pytest.raises(Conflict) as refused:
        step(inventory, "calculate", "officer_a")
    assert refused.value.code == "double_count_unresolved"
    # Deciding with the ids as shown before the import: the group has changed.
    with pytest.raises(Conflict) as changed:
        decide_double_count(inventory_id=inventory.pk, actor=user("officer_a"), counted="meter", reason="Meter.",
                            record_ids=ids(inventory)[:3])
    assert changed.value.code == "group_changed"
    decide_double_count(inventory_id=inventory.pk, actor=user("officer_a"), counted="meter", reason="Meter.",
                        group_key=group.key)
    step(inventory, "calculate", "officer_a")
    assert latest_result(inventory).total_tco2e == Decimal("573.843776")
    assert DoubleCountDecision.objects.filter(inventory=inventory).count() == 2  # both kept


def test_removing_the_counted_records_reopens_the_group(site):
    from inventories.services import remove_activity

    inventory = site["inventory"]
    decide_double_count(inventory_id=inventory.pk, actor=user("officer_a"), counted="meter", reason="Meter.",
                        record_ids=ids(inventory)[:3])
    remove_activity(record_id=ids(inventory, "meter")[0], actor=user("officer_a"), reason="Wrong meter.")
    [group] = double_count_groups(inventory)
    assert group.status == "reopened"  # invoice and manual left, and nothing of them counts


def test_bad_input_changes_nothing(site):
    inventory = site["inventory"]
    officer = user("officer_a")
    key = double_count_groups(inventory)[0].key
    bad = [
        {"counted": "meter", "reason": "", "group_key": key},
        {"counted": "meter", "reason": "   ", "group_key": key},
        {"counted": "meter", "reason": "x\x00", "group_key": key},
        {"counted": "meter", "reason": "x" * 1001, "group_key": key},
        {"counted": "solar", "reason": "x", "group_key": key},
        {"counted": "import", "reason": "x", "group_key": key},  # no import record in the group
        {"counted": None, "reason": "x", "group_key": key},
        {"counted": "meter", "reason": "x"},
        {"counted": "meter", "reason": "x", "group_key": "0-nothing-none-1"},
        {"counted": "meter", "reason": "x", "record_ids": []},
        {"counted": "meter", "reason": "x", "record_ids": ["1"]},
        {"counted": "meter", "reason": "x", "record_ids": [ids(inventory)[3]]},  # gas: in no group
        {"counted": "meter", "reason": "x", "record_ids": [*ids(inventory)[:3], ids(inventory)[3]]},
    ]
    for kwargs in bad:
        with pytest.raises(InvalidInput):
            decide_double_count(inventory_id=inventory.pk, actor=officer, **kwargs)
    assert not DoubleCountDecision.objects.exists()


def test_only_the_officer_while_collecting_and_never_another_enterprise(site):
    inventory = site["inventory"]
    key = double_count_groups(inventory)[0].key
    with pytest.raises(PermissionDenied):
        decide_double_count(inventory_id=inventory.pk, actor=user("reviewer_a"), counted="meter", reason="x",
                            group_key=key)
    with pytest.raises(NotFound):
        decide_double_count(inventory_id=inventory.pk, actor=user("officer_b"), counted="meter", reason="x",
                            group_key=key)
    Inventory.objects.filter(pk=inventory.pk).update(status="in_review")
    with pytest.raises(Conflict) as frozen:
        decide_double_count(inventory_id=inventory.pk, actor=user("officer_a"), counted="meter", reason="x",
                            group_key=key)
    assert frozen.value.code == "data_frozen"
    assert not DoubleCountDecision.objects.exists()


def test_submit_for_review_cannot_pass_an_unsettled_group(site):
    """Calculated before the group existed (e.g. data from before this check): review is refused."""
    inventory = site["inventory"]
    step(inventory, "open", "officer_a")
    decide_double_count(inventory_id=inventory.pk, actor=user("officer_a"), counted="meter", reason="Meter.",
                        record_ids=ids(inventory)[:3])
    step(inventory, "calculate", "officer_a")
    DoubleCountDecision.objects.filter(inventory=inventory).delete()  # as if it had never been decided
    with pytest.raises(Conflict) as refused:
        step(inventory, "submit_review", "officer_a")
    assert refused.value.code == "double_count_unresolved"


def test_resolve_needs_the_latest_decision_to_cover_the_group():
    from inventories.double_counting import DecisionFacts

    groups = find_groups([facts(1, "meter"), facts(2, "invoice")], period_start=Y24[0], period_end=Y24[1])
    older = DecisionFacts(id=1, record_ids=frozenset({1, 2}), excluded_ids=frozenset({2}), counted="meter")
    newer = DecisionFacts(id=2, record_ids=frozenset({1, 2}), excluded_ids=frozenset(), counted=COUNT_ALL)
    [group] = resolve(groups, [newer, older])
    assert group.status == "decided" and group.decision_id == 2 and group.excluded_ids == frozenset()
    [group] = resolve(groups, [older])
    assert group.excluded_ids == {2}


def test_inventories_without_double_counting_calculate_as_before(demo):
    from tests.workflows.support import new_inventory

    inventory = advance(new_inventory(), "calculated")
    assert latest_result(inventory).exclusions == []
