"""The one service that writes activity data (`inventories.services.add_activity`,
`add_activity_batch`, `correct_activity`): permission, state, the engine's checks, storing."""

from decimal import Decimal

import pytest
from django.utils.translation import gettext

from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from inventories import activity
from inventories.choices import Origin
from inventories.models import ActivityRecord, Inventory, Meter
from inventories.policies import can_edit_activity, edit_refusal
from inventories.services import (
    InvalidLines,
    NewActivity,
    add_activity,
    add_activity_batch,
    correct_activity,
)
from inventories.signals import correctable_records
from workflows.models import TransitionLog

from tests.workflows.support import advance, new_inventory, raise_finding, step, user

pytestmark = pytest.mark.django_db

COAL = {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "100", "unit": "t"}
HEAT = {"category": "purchased_heat", "quantity": "10", "unit": "GJ"}
BAD = {"category": "fuel_combustion", "fuel": "unobtainium", "quantity": "1", "unit": "t"}


@pytest.fixture
def inventory(demo):
    return new_inventory()  # enterprise A, draft, two records


def count(inventory) -> int:
    return ActivityRecord.objects.filter(inventory=inventory).count()


def test_one_line_is_checked_and_stored(inventory):
    record = add_activity(inventory=inventory, actor=user("officer_a"), line=COAL)
    record = ActivityRecord.objects.get(pk=record.pk)
    assert (record.category, record.fuel, record.quantity, record.unit) == ("fuel_combustion", "raw_coal",
                                                                          Decimal("100"), "t")
    assert (record.origin, record.created_by, record.inventory_id) == (Origin.MANUAL, user("officer_a"),
                                                                       inventory.pk)


def test_a_batch_is_stored_in_order_with_its_extras_and_the_library_built_once(inventory, monkeypatch):
    meter = Meter.objects.filter(enterprise_id=inventory.enterprise_id).first()
    built = []
    library = activity.factor_library
    monkeypatch.setattr(activity, "factor_library", lambda factor_set: built.append(1) or library(factor_set))
    before = count(inventory)
    records = add_activity(inventory=inventory, actor=user("officer_a"), origin=Origin.METER, lines=[
        COAL,
        NewActivity(line=HEAT, meter=meter, period_start=inventory.period_start, period_end=inventory.period_end),
    ])
    assert built == [1]
    assert [record.category for record in records] == ["fuel_combustion", "purchased_heat"]
    assert all(record.pk for record in records)
    assert count(inventory) == before + 2
    heat = ActivityRecord.objects.get(pk=records[1].pk)
    assert (heat.meter, heat.period_start, heat.origin) == (meter, inventory.period_start, Origin.METER)
    assert ActivityRecord.objects.get(pk=records[0].pk).meter is None


def test_only_an_officer_of_the_enterprise_adds_data(inventory):
    before = count(inventory)
    for username in ("reviewer_a", "officer_b"):
        with pytest.raises(PermissionDenied) as refused:
            add_activity(inventory=inventory, actor=user(username), line=COAL)
        assert refused.value.status == 403
        with pytest.raises(PermissionDenied):
            add_activity_batch(inventory=inventory, actor=user(username), lines=[COAL], origin=Origin.IMPORT)
    assert count(inventory) == before


def test_frozen_data_is_refused_with_the_reason(inventory):
    Inventory.objects.filter(pk=inventory.pk).update(status="submitted")
    before = count(inventory)
    with pytest.raises(Conflict) as refused:
        add_activity(inventory=inventory, actor=user("officer_a"), line=COAL)  # a stale object: read afresh
    assert (refused.value.status, refused.value.code) == (409, "data_frozen")
    assert refused.value.message == edit_refusal(Inventory.objects.get(pk=inventory.pk))
    record = inventory.activity_records.first()
    with pytest.raises(Conflict) as refused:
        correct_activity(record_id=record.pk, actor=user("officer_a"), changes={"quantity": "1"})
    assert refused.value.code == "data_frozen"
    assert count(inventory) == before
    assert inventory.activity_records.get(pk=record.pk).quantity == record.quantity


def test_a_bad_line_stores_nothing_and_is_named(inventory):
    before = count(inventory)
    with pytest.raises(InvalidInput, match="unobtainium"):
        add_activity(inventory=inventory, actor=user("officer_a"), line=BAD)
    with pytest.raises(InvalidLines) as refused:
        add_activity(inventory=inventory, actor=user("officer_a"), lines=[COAL, BAD, HEAT, {"colour": "red"}])
    assert [entry.index for entry in refused.value.refused] == [1, 3]
    assert "unobtainium" in refused.value.refused[0].message
    assert "unknown field" in refused.value.refused[1].message
    assert refused.value.message.startswith("line 1: ")
    assert count(inventory) == before


def test_a_batch_with_bad_lines_stores_the_good_ones_and_reports_the_bad(inventory):
    before = count(inventory)
    batch = add_activity_batch(inventory=inventory, actor=user("officer_a"), lines=[BAD, COAL, "no", HEAT],
                               origin=Origin.IMPORT)
    assert [entry.index for entry in batch.refused] == [0, 2]
    assert "unobtainium" in batch.refused[0].message
    assert batch.refused[1].message == gettext("An activity line is a JSON object.")
    assert batch.accepted == 2
    assert [record.category for record in batch.records] == ["fuel_combustion", "purchased_heat"]
    assert count(inventory) == before + 2
    # All or nothing: the same report, nothing stored.
    batch = add_activity_batch(inventory=inventory, actor=user("officer_a"), lines=[BAD, COAL, HEAT],
                               origin=Origin.IMPORT, all_or_nothing=True)
    assert (batch.accepted, batch.records, [entry.index for entry in batch.refused]) == (2, [], [0])
    assert count(inventory) == before + 2


def test_a_correction_keeps_the_fields_left_out_and_removes_those_sent_empty(inventory):
    record = add_activity(inventory=inventory, actor=user("officer_a"),
                          line={**COAL, "ncv": "21.5", "ncv_unit": "GJ/t", "description": "boiler 1"})
    corrected = correct_activity(record_id=record.pk, actor=user("officer_a"),
                                 changes={"quantity": "90", "ncv": "", "ncv_unit": None})
    corrected = ActivityRecord.objects.get(pk=corrected.pk)
    assert (corrected.quantity, corrected.fuel, corrected.description, corrected.parameters) == (
        Decimal("90"), "raw_coal", "boiler 1", {})
    with pytest.raises(InvalidInput, match="unit"):
        correct_activity(record_id=record.pk, actor=user("officer_a"), changes={"unit": "kWh"})
    with pytest.raises(PermissionDenied):
        correct_activity(record_id=record.pk, actor=user("reviewer_a"), changes={"quantity": "1"})
    with pytest.raises(NotFound):
        correct_activity(record_id=record.pk, actor=user("officer_b"), changes={"quantity": "1"})
    assert ActivityRecord.objects.get(pk=record.pk).quantity == Decimal("90")
    # While data is collected, corrections are not audited.
    assert not TransitionLog.objects.filter(entity="activity_record").exists()


@pytest.fixture
def corrections_requested(demo):
    inventory = advance(new_inventory(), "verifying")
    flagged = inventory.activity_records.order_by("id").last()
    raise_finding(inventory, flagged)
    step(inventory, "request_corrections", "verifier_1")
    return Inventory.objects.get(pk=inventory.pk), flagged


def test_while_corrections_are_requested_only_a_flagged_record_changes(corrections_requested):
    inventory, flagged = corrections_requested
    other = inventory.activity_records.exclude(pk=flagged.pk).get()
    officer = user("officer_a")
    assert can_edit_activity(officer, inventory, flagged) and not can_edit_activity(officer, inventory, other)
    with pytest.raises(Conflict) as refused:
        correct_activity(record_id=other.pk, actor=officer, changes={"quantity": "1"})
    assert (refused.value.code, refused.value.message) == ("data_frozen", edit_refusal(inventory))
    with pytest.raises(Conflict) as refused:
        add_activity(inventory=inventory, actor=officer, line=COAL)  # nothing added
    assert refused.value.message == edit_refusal(inventory)
    corrected = correct_activity(record_id=flagged.pk, actor=officer, changes={"quantity": "15000"})
    assert corrected.quantity == Decimal("15000")
    assert count(inventory) == 2


def test_the_answer_comes_from_the_correctable_records_signal(corrections_requested):
    inventory, flagged = corrections_requested
    other = inventory.activity_records.exclude(pk=flagged.pk).get()

    def also_other(sender, inventory, **kwargs):
        return {other.pk}

    correctable_records.connect(also_other, sender=Inventory, dispatch_uid="test.also_other")
    try:
        assert can_edit_activity(user("officer_a"), inventory, other)
    finally:
        correctable_records.disconnect(dispatch_uid="test.also_other", sender=Inventory)
    assert not can_edit_activity(user("officer_a"), inventory, other)


def test_a_correction_under_verification_writes_exactly_one_audit_entry(corrections_requested):
    inventory, flagged = corrections_requested
    before_line = flagged.as_line()
    entries = TransitionLog.objects.count()
    correct_activity(record_id=flagged.pk, actor=user("officer_a"), changes={"quantity": "15000"})
    assert TransitionLog.objects.count() == entries + 1
    entry = TransitionLog.objects.get(entity="activity_record", name="correct")
    assert (entry.object_id, entry.inventory_id, entry.actor) == (flagged.pk, inventory.pk, user("officer_a"))
    assert entry.details == {"before": before_line, "after": {**before_line, "quantity": "15000"}}


def test_a_refused_correction_writes_no_audit_entry(corrections_requested):
    _inventory, flagged = corrections_requested
    entries = TransitionLog.objects.count()
    with pytest.raises(InvalidInput):
        correct_activity(record_id=flagged.pk, actor=user("officer_a"), changes={"quantity": "-1"})
    assert TransitionLog.objects.count() == entries
