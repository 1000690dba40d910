"""Who may do what (docs/workflows.md, "Who uses it"): every role against every transition and the
read endpoints. Another tenant's ids are not found; a refused call changes nothing."""

import datetime

import pytest
from knox.models import AuthToken

from carbon_portal.accounts.models import Authority, Industry, Membership, Role, User, VerifierBody
from carbon_portal.accounts.uscc import with_check_character
from inventories.models import Inventory
from workflows import services
from workflows.models import Engagement, Finding, TransitionLog

from tests.workflows.support import (
    Api,
    advance,
    demo_body,
    new_inventory,
    raise_finding,
    record_opinion,
    user,
)

pytestmark = pytest.mark.django_db

ROLES = ["officer_a", "reviewer_a", "officer_b", "verifier_assigned", "verifier_other", "gov_in", "gov_out",
         "admin", "anonymous"]
USERNAMES = {"verifier_assigned": "verifier_1", "gov_in": "gov_1"}


@pytest.fixture
def outsiders(demo):
    """A second verifier body (accredited for A's industry, never proposed) and an authority
    elsewhere (Beijing), each with one user."""
    body = VerifierBody.objects.create(
        name="北方核查中心", credit_code=with_check_character("91110108MA0XXXX1Y"),
        accreditation_number="CNAS-GHG-TEST-002", accredited_from=datetime.date(2024, 1, 1),
        accredited_until=datetime.date(2030, 12, 31))
    body.scope.set(Industry.objects.filter(code__in=["C30", "C26"]))
    authority = Authority.objects.create(name="北京市发展和改革委员会", region_codes=["110000"])
    for username, membership in (("verifier_other", {"role": Role.VERIFIER, "verifier_body": body}),
                                 ("gov_out", {"role": Role.GOVERNMENT, "authority": authority})):
        person = User.objects.create_user(username=username, password="Unused-password-123")
        Membership.objects.create(user=person, **membership)


def api_as(role) -> Api:
    if role == "anonymous":
        return Api()
    _instance, token = AuthToken.objects.create(user=User.objects.get(username=USERNAMES.get(role, role)))
    return Api(token)


# --- Transitions -------------------------------------------------------------------------------------

ACTOR = {
    "open": "officer_a", "calculate": "officer_a", "reopen": "officer_a", "submit_review": "officer_a",
    "resubmit": "officer_a", "approve": "reviewer_a", "return": "reviewer_a", "accept": "verifier_assigned",
    "decline": "verifier_assigned", "request_corrections": "verifier_assigned", "verify": "verifier_assigned",
    "reject": "verifier_assigned", "certify": "admin",
}


def _choose(inventory):
    services.choose_verifier_body(inventory_id=inventory.pk, verifier_body_id=demo_body().pk, actor=user("officer_a"))
    return inventory


def _answered(inventory):
    for finding in inventory.findings.filter(status="open"):
        services.respond_to_finding(finding_id=finding.pk, actor=user("officer_a"), response="Corrected.")
    return inventory


def _with_opinion(conclusion):
    def setup(inventory):
        record_opinion(inventory, conclusion)
        return inventory

    return setup


def _with_finding(inventory):
    raise_finding(inventory)
    return inventory


# Each transition from its source state, with its conditions met.
SETUP = {
    "open": ("draft", None),
    "calculate": ("collecting", None),
    "reopen": ("calculated", None),
    "submit_review": ("calculated", None),
    "approve": ("in_review", _choose),
    "return": ("in_review", None),
    "accept": ("submitted", None),
    "decline": ("submitted", None),
    "request_corrections": ("verifying", _with_finding),
    "resubmit": ("corrections_requested", _answered),
    "verify": ("verifying", _with_opinion("verified")),
    "reject": ("verifying", _with_opinion("rejected")),
    "certify": ("verified", None),
}

# Which roles see an inventory of enterprise A in each state.
ALWAYS = {"officer_a", "reviewer_a", "admin"}
PROPOSED_STATES = {"submitted", "verifying", "corrections_requested", "verified", "rejected", "certified"}
PUBLISHED_STATES = {"verified", "certified"}


def sees(role, state) -> bool:
    return (role in ALWAYS or (role == "verifier_assigned" and state in PROPOSED_STATES)
            or (role == "gov_in" and state in PUBLISHED_STATES))


def expected_status(role, name, state) -> int:
    if role == "anonymous":
        return 401
    if not sees(role, state):
        return 404
    return 200 if ACTOR[name] == role else 403


def prepared(name) -> Inventory:
    state, extra = SETUP[name]
    inventory = advance(new_inventory(), state) if state != "draft" else new_inventory()
    if extra:
        extra(inventory)
    return Inventory.objects.get(pk=inventory.pk)


def snapshot(inventory):
    return (Inventory.objects.get(pk=inventory.pk).status,
            TransitionLog.objects.filter(inventory=inventory).count(),
            list(Engagement.objects.filter(inventory=inventory).values_list("status", flat=True).order_by("pk")),
            list(Finding.objects.filter(inventory=inventory).values_list("status", flat=True).order_by("pk")))


@pytest.mark.parametrize("name", list(ACTOR))
@pytest.mark.parametrize("role", ROLES)
def test_transition_matrix(outsiders, role, name):
    inventory = prepared(name)
    state = inventory.status
    before = snapshot(inventory)
    response = api_as(role).transition(inventory.pk, name, comment="Because.", declaration="Independent.",
                                       no_conflict=True)
    expected = expected_status(role, name, state)
    assert response.status_code == expected, (role, name, state, response.json())
    if expected == 200:
        assert TransitionLog.objects.filter(inventory=inventory, entity="inventory").last().name == name
    else:
        assert snapshot(inventory) == before


@pytest.mark.parametrize("role", ROLES)
def test_a_transition_in_the_wrong_state_is_409_for_whoever_may_see(outsiders, role):
    inventory = advance(new_inventory(), "verifying")
    before = snapshot(inventory)
    response = api_as(role).transition(inventory.pk, "open")
    expected = 401 if role == "anonymous" else 409 if sees(role, "verifying") else 404
    assert response.status_code == expected
    assert snapshot(inventory) == before


# --- Reads ---------------------------------------------------------------------------------------------


@pytest.fixture
def inventories_by_state(outsiders):
    return {state: advance(new_inventory(year), state)
            for year, state in ((2021, "in_review"), (2022, "submitted"), (2023, "verified"))}


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(inventories_by_state, role):
    api = api_as(role)
    listed = api.get("inventories?page_size=200")
    if role == "anonymous":
        assert listed.status_code == 401
        return
    listed_ids = {row["id"] for row in listed.json()["results"]}
    engagement_ids = {row["inventory"]["id"] for row in api.get("engagements").json()}
    for state, inventory in inventories_by_state.items():
        visible = sees(role, state)
        assert (inventory.pk in listed_ids) is visible, (role, state)
        for path in ("", "/history", "/activity", "/verifier-bodies"):
            response = api.get(f"inventories/{inventory.pk}{path}")
            assert response.status_code == (200 if visible else 404), (role, state, path)
        engagement_visible = state in PROPOSED_STATES and (role in ALWAYS or role == "verifier_assigned")
        assert (inventory.pk in engagement_ids) is engagement_visible, (role, state)


@pytest.mark.parametrize("role", ["officer_b", "verifier_other", "gov_in", "gov_out"])
def test_another_tenants_ids_are_not_found_and_nothing_changes(outsiders, role):
    inventory = advance(new_inventory(), "verifying")
    finding = raise_finding(inventory)
    services.transition_inventory(inventory_id=inventory.pk, name="request_corrections", actor=user("verifier_1"))
    engagement = Engagement.objects.get(inventory=inventory, status="reviewing")
    record = finding.activity_records.get()
    before = snapshot(inventory), record.quantity
    api = api_as(role)
    attempts = [
        api.post(f"inventories/{inventory.pk}/activity", {"category": "purchased_heat", "quantity": "1", "unit": "GJ"}),
        api.patch(f"inventories/{inventory.pk}/activity/{record.pk}", {"quantity": "1"}),
        api.post(f"inventories/{inventory.pk}/verifier", {"verifier_body": demo_body().pk}),
        api.post(f"findings/{finding.pk}/respond", {"response": "Nothing to see."}),
        api.post(f"findings/{finding.pk}/close", {"comment": "x"}),
        api.post(f"engagements/{engagement.pk}/samples", {"size": 1}),
        api.post(f"engagements/{engagement.pk}/findings", {"reason": "x", "activity_records": [record.pk]}),
        api.put(f"engagements/{engagement.pk}/opinion", {"conclusion": "verified", "text": "x"}),
        api.get(f"engagements/{engagement.pk}"),
        api.get(f"findings/{finding.pk}"),
        api.transition(inventory.pk, "resubmit"),
    ]
    assert [response.status_code for response in attempts] == [404] * len(attempts)
    record.refresh_from_db()
    assert (snapshot(inventory), record.quantity) == before


def test_the_enterprise_cannot_do_the_verifiers_work_and_vice_versa(outsiders):
    inventory = advance(new_inventory(), "verifying")
    engagement = Engagement.objects.get(inventory=inventory, status="accepted")
    officer, verifier = api_as("officer_a"), api_as("verifier_assigned")
    record = inventory.activity_records.first()
    assert officer.post(f"engagements/{engagement.pk}/findings",
                        {"reason": "x", "activity_records": [record.pk]}).status_code == 403
    assert officer.put(f"engagements/{engagement.pk}/opinion",
                       {"conclusion": "verified", "text": "x"}).status_code == 403
    finding = verifier.post(f"engagements/{engagement.pk}/findings",
                            {"reason": "Check.", "activity_records": [record.pk]}).json()
    assert verifier.post(f"findings/{finding['id']}/respond", {"response": "x"}).status_code == 403
    assert officer.post(f"findings/{finding['id']}/close", {}).status_code == 403
    assert verifier.patch(f"inventories/{inventory.pk}/activity/{record.pk}", {"quantity": "1"}).status_code == 403
