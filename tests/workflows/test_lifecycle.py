"""The inventory lifecycle through the service: every transition, its conditions, its audit
entry, and that a refused transition changes nothing."""

import pytest
from django.core import mail

from inventories.models import CalculationResult, Inventory
from inventories.services import correct_activity
from workflows import services
from carbon_portal.core.errors import InvalidInput, NotFound, PermissionDenied, Conflict
from workflows.models import Engagement, Notification, Opinion, TransitionLog
from workflows.selectors import available_transitions, transition_options

from .support import advance, demo_body, engagement_of, new_inventory, raise_finding, record_opinion, step, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory(demo):
    return new_inventory()


def log_count(inventory):
    return TransitionLog.objects.filter(inventory=inventory, entity="inventory").count()


def test_the_whole_path_to_certified_writes_one_entry_per_transition(inventory):
    certified = advance(inventory, "certified", corrections=True)
    assert certified.status == "certified"
    names = list(TransitionLog.objects.filter(inventory=inventory, entity="inventory").values_list("name", flat=True))
    assert names == ["open", "calculate", "submit_review", "approve", "accept", "request_corrections", "resubmit",
                     "verify", "certify"]
    engagement = Engagement.objects.get(inventory=inventory)
    assert engagement.status == "opinion_issued"
    assert Opinion.objects.get(engagement=engagement).issued_at is not None


def test_status_cannot_be_assigned(inventory):
    with pytest.raises(AttributeError):
        inventory.status = "verified"


def test_refresh_from_db_works_with_the_protected_status(inventory):
    step(inventory, "open", "officer_a")
    inventory.refresh_from_db()
    assert inventory.status == "collecting"


def test_wrong_state_is_refused_with_409_and_nothing_changes(inventory):
    with pytest.raises(Conflict) as error:
        step(inventory, "calculate", "officer_a")
    assert error.value.code == "wrong_state"
    assert Inventory.objects.get(pk=inventory.pk).status == "draft"
    assert log_count(inventory) == 0


def test_a_failed_condition_says_why(inventory):
    advance(inventory, "in_review")
    with pytest.raises(Conflict, match="verifier body") as error:
        step(inventory, "approve", "reviewer_a")
    assert error.value.code == "condition_failed"
    assert Inventory.objects.get(pk=inventory.pk).status == "in_review"


def test_the_reviewer_is_never_the_preparer(demo, inventory):
    from carbon_portal.accounts.models import Membership, Role

    Membership.objects.create(user=user("officer_a"), role=Role.REVIEWER, enterprise=inventory.enterprise)
    advance(inventory, "in_review")
    services.choose_verifier_body(inventory_id=inventory.pk, verifier_body_id=demo_body().pk, actor=user("officer_a"))
    with pytest.raises(PermissionDenied, match="four-eyes"):
        step(inventory, "approve", "officer_a")
    assert "approve" not in available_transitions(user("officer_a"), inventory)
    step(inventory, "approve", "reviewer_a")


def test_others_cannot_take_the_transition(inventory):
    for username in ("reviewer_a", "verifier_1", "admin", "gov_1", "officer_b"):
        with pytest.raises((PermissionDenied, NotFound)):
            step(inventory, "open", username)
    assert Inventory.objects.get(pk=inventory.pk).status == "draft"


def test_calculate_stores_the_result_in_the_transition(inventory):
    advance(inventory, "calculated")
    entry = TransitionLog.objects.get(inventory=inventory, name="calculate")
    result = CalculationResult.objects.get(pk=entry.details["result_id"])
    assert result.inventory_id == inventory.pk


def test_return_needs_a_comment_and_goes_back_to_collecting(inventory):
    advance(inventory, "in_review")
    with pytest.raises(InvalidInput):
        step(inventory, "return", "reviewer_a")
    step(inventory, "return", "reviewer_a", comment="Add the diesel of the forklifts.")
    assert Inventory.objects.get(pk=inventory.pk).status == "collecting"


def test_decline_keeps_the_inventory_submitted_and_another_body_can_be_proposed(inventory):
    advance(inventory, "submitted")
    with pytest.raises(InvalidInput):
        step(inventory, "decline", "verifier_1")
    with pytest.raises(InvalidInput, match="conflict-of-interest"):
        step(inventory, "accept", "verifier_1", declaration="", no_conflict=True)
    step(inventory, "decline", "verifier_1", comment="No auditor free before June.")
    inventory = Inventory.objects.get(pk=inventory.pk)
    assert inventory.status == "submitted"
    assert Engagement.objects.get(inventory=inventory).status == "declined"
    # The body no longer sees the inventory; the officer proposes again, at once.
    with pytest.raises(NotFound):
        step(inventory, "accept", "verifier_1", declaration="x", no_conflict=True)
    engagement = services.choose_verifier_body(inventory_id=inventory.pk, verifier_body_id=demo_body().pk,
                                               actor=user("officer_a"))
    assert engagement.status == "proposed"
    step(inventory, "accept", "verifier_1", declaration="Independent.", no_conflict=True)
    assert Inventory.objects.get(pk=inventory.pk).status == "verifying"


def test_verify_needs_closed_findings_and_a_verified_opinion(inventory):
    advance(inventory, "verifying")
    with pytest.raises(Conflict, match="opinion"):
        step(inventory, "verify", "verifier_1")
    finding = raise_finding(inventory)
    record_opinion(inventory, "verified")
    with pytest.raises(Conflict, match="closed"):
        step(inventory, "verify", "verifier_1")
    services.close_finding(finding_id=finding.pk, actor=user("verifier_1"))
    step(inventory, "verify", "verifier_1")
    assert Inventory.objects.get(pk=inventory.pk).status == "verified"


def test_reject_needs_a_rejecting_opinion(inventory):
    advance(inventory, "verifying")
    record_opinion(inventory, "verified")
    with pytest.raises(Conflict):
        step(inventory, "reject", "verifier_1")
    assert advance(new_inventory(2023), "rejected").status == "rejected"


def test_resubmit_recalculates_corrected_records(inventory):
    advance(inventory, "corrections_requested")
    finding = inventory.findings.get()
    record = finding.activity_records.get()
    correct_activity(record_id=record.pk, actor=user("officer_a"), changes={"quantity": "900000"})
    services.respond_to_finding(finding_id=finding.pk, actor=user("officer_a"), response="Corrected to 900 MWh.")
    before = inventory.results.count()
    step(inventory, "resubmit", "officer_a")
    assert inventory.results.count() == before + 1
    assert TransitionLog.objects.get(inventory=inventory, name="resubmit").details["recalculated"] is True


def test_transition_options_show_what_the_user_can_do_and_why_not(inventory):
    inventory = advance(inventory, "in_review")
    options = {option.name: option for option in transition_options(user("reviewer_a"), inventory)}
    assert set(options) == {"approve", "return"}
    assert not options["approve"].allowed and "verifier body" in options["approve"].reason
    assert options["return"].allowed
    assert transition_options(user("officer_a"), inventory) == []


def test_notifications_go_to_the_next_actors(inventory):
    mail.outbox.clear()
    advance(inventory, "in_review")
    notice = Notification.objects.get(verb="submit_review")
    assert notice.recipient.username == "reviewer_a"
    assert "awaits your review" in notice.message
    assert any("reviewer_a" in message.to[0] for message in mail.outbox)
    services.choose_verifier_body(inventory_id=inventory.pk, verifier_body_id=demo_body().pk, actor=user("officer_a"))
    step(inventory, "approve", "reviewer_a")
    assert Notification.objects.filter(verb="approve", recipient__username="verifier_1").exists()


def test_certify_sends_inventory_certified_after_commit(inventory):
    from workflows.signals import inventory_certified

    received = []

    def receiver(sender, inventory_id, actor_id, **kwargs):
        received.append((inventory_id, actor_id))

    inventory_certified.connect(receiver)
    try:
        advance(inventory, "certified")
    finally:
        inventory_certified.disconnect(receiver)
    assert received == [(inventory.pk, user("admin").pk)]


def test_unknown_transition_is_not_found(inventory):
    with pytest.raises(NotFound):
        step(inventory, "teleport", "officer_a")


def test_engagement_is_one_at_a_time(inventory):
    advance(inventory, "collecting")
    services.choose_verifier_body(inventory_id=inventory.pk, verifier_body_id=demo_body().pk, actor=user("officer_a"))
    services.choose_verifier_body(inventory_id=inventory.pk, verifier_body_id=demo_body().pk, actor=user("officer_a"))
    assert list(Engagement.objects.filter(inventory=inventory).values_list("status", flat=True).order_by("pk")) == [
        "withdrawn", "chosen"]
    assert engagement_of(inventory).status == "chosen"
