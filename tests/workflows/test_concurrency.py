"""Two people act on one inventory at the same moment: the row lock lets exactly one through.

Needs PostgreSQL (SQLite serialises whole transactions, so there is no race to test); CI runs
the suite on both.
"""

import threading

import pytest
from django.db import connection, connections

from inventories.models import Inventory
from workflows import services
from carbon_portal.core.errors import Conflict
from workflows.models import Finding, TransitionLog

from .support import advance, engagement_of, new_inventory, raise_finding, record_opinion, user

pytestmark = [
    # serialized_rollback: the tests after these find the data of migrations (Wagtail's pages) again.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks (SELECT ... FOR UPDATE) are tested on PostgreSQL; set DATABASE_URL"),
]


def race(*actions):
    """Start the actions together in threads (each with its own connection); return what each
    returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 - the outcome is what is compared
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def transition(inventory, name, username):
    return lambda: services.transition_inventory(inventory_id=inventory.pk, name=name, actor=user(username))


def inventory_entries(inventory, *names):
    return TransitionLog.objects.filter(inventory=inventory, entity="inventory", name__in=names).count()


@pytest.fixture
def verifying(demo):
    return advance(new_inventory(), "verifying")


def test_two_concurrent_verify_calls_one_succeeds_one_entry(verifying):
    record_opinion(verifying, "verified")
    outcomes = race(transition(verifying, "verify", "verifier_1"), transition(verifying, "verify", "verifier_1"))
    assert sum(isinstance(outcome, Inventory) for outcome in outcomes) == 1, outcomes
    assert sum(isinstance(outcome, Conflict) for outcome in outcomes) == 1, outcomes
    assert Inventory.objects.get(pk=verifying.pk).status == "verified"
    assert inventory_entries(verifying, "verify") == 1


def test_two_concurrent_request_corrections_calls_one_succeeds_one_entry(verifying):
    raise_finding(verifying)
    outcomes = race(transition(verifying, "request_corrections", "verifier_1"),
                    transition(verifying, "request_corrections", "verifier_1"))
    assert sum(isinstance(outcome, Inventory) for outcome in outcomes) == 1, outcomes
    assert Inventory.objects.get(pk=verifying.pk).status == "corrections_requested"
    assert inventory_entries(verifying, "request_corrections") == 1


def test_verify_racing_a_finding_and_request_corrections_exactly_one_wins(verifying):
    record_opinion(verifying, "verified")
    engagement = engagement_of(verifying)
    record = verifying.activity_records.first()

    def corrections():
        services.raise_finding(engagement_id=engagement.pk, actor=user("verifier_1"), reason="Check this.",
                               activity_record_ids=[record.pk])
        return services.transition_inventory(inventory_id=verifying.pk, name="request_corrections",
                                             actor=user("verifier_1"))

    outcomes = race(transition(verifying, "verify", "verifier_1"), corrections)
    assert sum(isinstance(outcome, Inventory) for outcome in outcomes) == 1, outcomes
    status = Inventory.objects.get(pk=verifying.pk).status
    assert status in ("verified", "corrections_requested")
    assert inventory_entries(verifying, "verify", "request_corrections") == 1
    if status == "verified":
        assert not Finding.objects.filter(inventory=verifying).exists()


def test_the_chain_stays_linear_under_concurrent_transitions_of_different_inventories(demo):
    first, second = advance(new_inventory(2022), "verifying"), advance(new_inventory(2023), "verifying")
    record_opinion(first, "verified")
    record_opinion(second, "verified")
    race(transition(first, "verify", "verifier_1"), transition(second, "verify", "verifier_1"))
    assert services.verify_audit_chain().ok
