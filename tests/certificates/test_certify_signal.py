"""The portal path: workflows' `certify` transition commits, sends inventory_certified, and
certificates issues the labels (verifier and opinion read from the engagement) and documents."""

import pytest
from django.utils import timezone

from certificates.models import Document, Label

from .factories import set_status

pytestmark = pytest.mark.django_db

workflows_signals = pytest.importorskip("workflows.signals")


@pytest.fixture
def verified_with_opinion(inventory_a, users, verifier_body):
    from inventories.selectors import latest_result
    from workflows.models import Engagement, Opinion

    engagement = Engagement.objects.create(inventory=inventory_a, verifier_body=verifier_body, status="opinion_issued",
                                           chosen_by=users["officer_a"])
    Opinion.objects.create(engagement=engagement, conclusion="verified", assurance_level="reasonable",
                           text="核查组认为排放报告在所有重大方面符合 GB/T 32150-2015。", prepared_by=users["verifier_1"],
                           issued_by=users["verifier_1"], issued_at=timezone.now(), result=latest_result(inventory_a))
    return set_status(inventory_a, "verified")


def test_certify_transition_issues_labels_and_documents(verified_with_opinion, users,
                                                        django_capture_on_commit_callbacks):
    from workflows.services.transitions import transition_inventory

    with django_capture_on_commit_callbacks(execute=True):
        inventory = transition_inventory(inventory_id=verified_with_opinion.pk, name="certify", actor=users["admin"])
    assert inventory.status == "certified"
    label = Label.objects.get(inventory=inventory, kind="enterprise")
    assert label.issued_by == users["admin"]
    assert label.verifier_body.accreditation_number == "CNAS-GHG-DEMO-001"
    assert label.figures["rating_zh"] == "中碳 1级"
    assert '"assurance_level":"reasonable"' in label.payload
    assert set(Document.objects.filter(inventory=inventory).values_list("kind", flat=True)) == {
        "certificate", "inventory_report", "verification_statement"}


def test_label_issue_handler_is_idempotent(verified_with_opinion, users):
    """The outbox may deliver `workflows.inventory_certified` twice (a redelivery after a crash)."""
    from carbon_portal.core import outbox

    set_status(verified_with_opinion, "certified")
    handler = outbox.handler_for(workflows_signals.INVENTORY_CERTIFIED_TOPIC)
    for _ in range(2):
        handler({"inventory_id": verified_with_opinion.pk, "actor_id": users["admin"].pk})
    assert Label.objects.filter(inventory=verified_with_opinion, kind="enterprise").count() == 1
