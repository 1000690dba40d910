"""Engagements, sampling, findings and opinions through the services."""

from decimal import Decimal

import pytest

from inventories.models import ActivityRecord
from inventories.policies import can_edit_activity
from inventories.services import correct_activity
from workflows import services
from carbon_portal.core.errors import InvalidInput, PermissionDenied, Conflict
from workflows.models import Engagement, SampledRecord, TransitionLog
from workflows.selectors import engagement_actions, finding_actions, flagged_record_ids

from .support import advance, engagement_of, new_inventory, raise_finding, record_opinion, step, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifying(demo):
    inventory = advance(new_inventory(), "verifying")
    # Ten more records (written directly: the data is frozen now), twelve in all.
    ActivityRecord.objects.bulk_create([
        ActivityRecord(inventory=inventory, category="purchased_heat", quantity=Decimal(100 + number), unit="GJ",
                       created_by=user("officer_a"), description=f"steam invoice {number}")
        for number in range(10)
    ])
    return inventory


def test_the_engagement_moves_to_reviewing_on_the_first_review_step(verifying):
    engagement = engagement_of(verifying)
    assert engagement.status == "accepted"
    assert engagement_actions(user("verifier_1"), engagement) == {"sample", "record_opinion", "raise_finding"}
    assert engagement_actions(user("officer_a"), engagement) == set()
    services.sample_activity_records(engagement_id=engagement.pk, actor=user("verifier_1"), size=2, seed=7)
    assert Engagement.objects.get(pk=engagement.pk).status == "reviewing"


def test_random_samples_are_repeatable_with_their_seed(verifying, demo):
    engagement = engagement_of(verifying)
    drawn = services.sample_activity_records(engagement_id=engagement.pk, actor=user("verifier_1"), size=4, seed=99)
    ids = sorted(sample.activity_record_id for sample in drawn)
    assert len(ids) == 4 and {sample.seed for sample in drawn} == {99}
    SampledRecord.objects.filter(engagement=engagement).delete()
    again = services.sample_activity_records(engagement_id=engagement.pk, actor=user("verifier_1"), size=4, seed=99)
    assert sorted(sample.activity_record_id for sample in again) == ids


def test_default_sample_size_is_the_square_root_rounded_up(verifying):
    engagement = engagement_of(verifying)
    drawn = services.sample_activity_records(engagement_id=engagement.pk, actor=user("verifier_1"))
    assert len(drawn) == 4  # 12 records -> ceil(sqrt(12)) = 4


def test_judgement_samples_must_belong_to_the_inventory(verifying, demo):
    engagement = engagement_of(verifying)
    other = new_inventory(2023).activity_records.first()
    with pytest.raises(InvalidInput, match="not part of the inventory"):
        services.sample_activity_records(engagement_id=engagement.pk, actor=user("verifier_1"),
                                         record_ids=[other.pk])
    record = verifying.activity_records.first()
    [sample] = services.sample_activity_records(engagement_id=engagement.pk, actor=user("verifier_1"),
                                                record_ids=[record.pk])
    checked = services.check_sampled_record(sample_id=sample.pk, actor=user("verifier_1"), conforms=False,
                                            note="Invoice says 90.")
    assert checked.conforms is False and checked.checked_at
    assert TransitionLog.objects.filter(entity="sample", name="check").exists()


def test_findings_point_only_at_this_inventory(verifying, demo):
    engagement = engagement_of(verifying)
    other = new_inventory(2023).activity_records.first()
    with pytest.raises(InvalidInput, match="Not part of this inventory"):
        services.raise_finding(engagement_id=engagement.pk, actor=user("verifier_1"), reason="x",
                               activity_record_ids=[other.pk])
    with pytest.raises(InvalidInput):
        services.raise_finding(engagement_id=engagement.pk, actor=user("verifier_1"), reason="Nothing pointed at")
    line = verifying.results.latest().lines.first()
    finding = services.raise_finding(engagement_id=engagement.pk, actor=user("verifier_1"), reason="Factor outdated",
                                     result_line_ids=[line.pk])
    assert list(finding.result_lines.all()) == [line] and finding.number == 1


def test_finding_lifecycle_respond_close_reopen(verifying):
    finding = raise_finding(verifying)
    verifier, officer = user("verifier_1"), user("officer_a")
    assert finding_actions(officer, finding) == {"respond"}
    assert finding_actions(verifier, finding) == {"close"}
    with pytest.raises(PermissionDenied):
        services.respond_to_finding(finding_id=finding.pk, actor=verifier, response="x")
    with pytest.raises(PermissionDenied):
        services.close_finding(finding_id=finding.pk, actor=officer)
    services.respond_to_finding(finding_id=finding.pk, actor=officer, response="Corrected.")
    with pytest.raises(Conflict):
        services.respond_to_finding(finding_id=finding.pk, actor=officer, response="Again.")
    with pytest.raises(InvalidInput):
        services.reopen_finding(finding_id=finding.pk, actor=verifier)  # a reason is needed
    reopened = services.reopen_finding(finding_id=finding.pk, actor=verifier, comment="Still 1200 t.")
    assert reopened.status == "open"
    closed = services.close_finding(finding_id=finding.pk, actor=verifier, comment="Now fine.")
    assert closed.status == "closed"
    names = list(TransitionLog.objects.filter(entity="finding", object_id=finding.pk).values_list("name", flat=True))
    assert names == ["raise", "respond", "reopen", "close"]


def test_only_flagged_records_change_while_corrections_are_requested(verifying):
    finding = raise_finding(verifying)
    step(verifying, "request_corrections", "verifier_1")
    inventory = verifying.__class__.objects.get(pk=verifying.pk)
    flagged = finding.activity_records.get()
    other = inventory.activity_records.exclude(pk=flagged.pk).first()
    officer = user("officer_a")
    assert flagged_record_ids(inventory) == {flagged.pk}
    assert can_edit_activity(officer, inventory, flagged)
    assert not can_edit_activity(officer, inventory, other)
    assert not can_edit_activity(officer, inventory)  # nothing added
    assert not can_edit_activity(user("reviewer_a"), inventory, flagged)
    with pytest.raises(Conflict, match="open finding"):
        correct_activity(record_id=other.pk, actor=officer, changes={"quantity": "1"})
    with pytest.raises(InvalidInput, match="unit"):
        correct_activity(record_id=flagged.pk, actor=officer, changes={"unit": "t"})
    corrected = correct_activity(record_id=flagged.pk, actor=officer, changes={"quantity": "999000"})
    assert corrected.quantity == Decimal("999000")
    entry = TransitionLog.objects.get(entity="activity_record", name="correct")
    assert entry.details["before"]["quantity"] != entry.details["after"]["quantity"]
    services.close_finding(finding_id=finding.pk, actor=user("verifier_1"))
    assert not can_edit_activity(officer, inventory, flagged)


def test_data_is_frozen_from_submitted_on(demo):
    inventory = advance(new_inventory(), "submitted")
    record = inventory.activity_records.first()
    assert not can_edit_activity(user("officer_a"), inventory, record)
    with pytest.raises(Conflict, match="frozen"):
        correct_activity(record_id=record.pk, actor=user("officer_a"), changes={"quantity": "1"})


def test_a_material_misstatement_cannot_be_verified(verifying):
    engagement = engagement_of(verifying)
    total = verifying.results.latest().total_tco2e
    with pytest.raises(InvalidInput, match="materiality"):
        services.record_opinion(engagement_id=engagement.pk, actor=user("verifier_1"), conclusion="verified",
                                text="x", misstatement_tco2e=total * Decimal("0.06"))
    opinion = services.record_opinion(engagement_id=engagement.pk, actor=user("verifier_1"), conclusion="verified",
                                      text="Fair.", misstatement_tco2e=total * Decimal("0.04"),
                                      assurance_level="limited")
    assert opinion.misstatement_percent == Decimal("4.0000")
    assert opinion.materiality_threshold_percent == Decimal("5.00")
    assert not opinion.is_material and not opinion.is_issued


def test_an_opinion_on_an_earlier_calculation_must_be_recorded_again(verifying):
    finding = raise_finding(verifying)
    record_opinion(verifying, "verified")
    step(verifying, "request_corrections", "verifier_1")
    record = finding.activity_records.get()
    correct_activity(record_id=record.pk, actor=user("officer_a"), changes={"quantity": "1"})
    services.respond_to_finding(finding_id=finding.pk, actor=user("officer_a"), response="Fixed.")
    step(verifying, "resubmit", "officer_a")
    services.close_finding(finding_id=finding.pk, actor=user("verifier_1"))
    with pytest.raises(Conflict, match="earlier calculation"):
        step(verifying, "verify", "verifier_1")
    record_opinion(verifying, "verified")
    step(verifying, "verify", "verifier_1")


def test_the_officer_cannot_change_the_body_once_it_is_proposed(demo):
    inventory = advance(new_inventory(), "submitted")
    with pytest.raises(Conflict):
        services.choose_verifier_body(inventory_id=inventory.pk, verifier_body_id=engagement_of(inventory)
                                      .verifier_body_id, actor=user("officer_a"))


def test_a_body_not_accredited_for_the_industry_cannot_be_chosen(demo):
    from carbon_portal.accounts.models import VerifierBody

    body = VerifierBody.objects.get()
    body.scope.clear()
    inventory = advance(new_inventory(), "collecting")
    with pytest.raises(InvalidInput, match="not accredited"):
        services.choose_verifier_body(inventory_id=inventory.pk, verifier_body_id=body.pk, actor=user("officer_a"))
