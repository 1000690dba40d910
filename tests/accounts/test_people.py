"""Deactivating people (carbon_portal/accounts/people.py) and registering verifier bodies and
authorities (carbon_portal/accounts/bodies.py)."""

import datetime

import pytest
from django.utils import translation
from django.contrib.sessions.models import Session
from django.test import Client
from knox.models import AuthToken

from carbon_portal.accounts import bodies, people
from carbon_portal.accounts.models import Authority, Enterprise, Industry, Membership, Role, User, VerifierBody
from carbon_portal.accounts.uscc import check_character
from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from carbon_portal.security.models import SecurityEvent
from tests.login import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (the portal's default language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def enterprise_a(demo):
    return Enterprise.objects.get(memberships__user__username="officer_a")


@pytest.fixture
def admin_a(enterprise_a):
    user = User.objects.get(username="officer_a")
    Membership.objects.create(user=user, role=Role.ENTERPRISE_ADMIN, enterprise=enterprise_a)
    return user


def uscc(first_17: str) -> str:
    return first_17 + check_character(first_17)


def test_deactivating_ends_sessions_and_tokens_and_blocks_login(admin_a, demo):
    reviewer = User.objects.get(username="reviewer_a")
    client = Client()
    log_in(client, demo, "reviewer_a")
    assert client.get("/portal/").status_code == 200
    AuthToken.objects.create(user=reviewer)
    AuthToken.objects.create(user=reviewer)
    result = people.deactivate(actor=admin_a, user_id=reviewer.pk)
    assert result["sessions_ended"] == 1 and result["tokens_deleted"] == 2
    reviewer.refresh_from_db()
    assert not reviewer.is_active and not AuthToken.objects.filter(user=reviewer).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(reviewer.pk)]
    assert client.get("/portal/").status_code == 302  # the session has ended
    again = Client().post("/accounts/login/", {"username": "reviewer_a", "password": demo["users"]["reviewer_a"]
                                                ["password"]})
    assert again.status_code == 200 and "_auth_user_id" not in again.client.session
    assert SecurityEvent.objects.filter(details__action="user_deactivated", user=admin_a).exists()
    with pytest.raises(Conflict):
        people.deactivate(actor=admin_a, user_id=reviewer.pk)
    people.reactivate(actor=admin_a, user_id=reviewer.pk)
    assert User.objects.get(pk=reviewer.pk).is_active
    log_in(Client(), demo, "reviewer_a")


def test_nobody_deactivates_themself_nor_the_last_enterprise_administrator(admin_a, enterprise_a, demo):
    with pytest.raises(Conflict):
        people.deactivate(actor=admin_a, user_id=admin_a.pk)
    platform_admin = User.objects.get(username="admin")
    with pytest.raises(Conflict, match="last active enterprise administrator"):
        people.deactivate(actor=platform_admin, user_id=admin_a.pk)
    reviewer = User.objects.get(username="reviewer_a")
    Membership.objects.create(user=reviewer, role=Role.ENTERPRISE_ADMIN, enterprise=enterprise_a)
    people.deactivate(actor=reviewer, user_id=admin_a.pk)  # there is another one now
    assert not User.objects.get(pk=admin_a.pk).is_active
    with pytest.raises(Conflict, match="last active enterprise administrator"):
        people.deactivate(actor=platform_admin, user_id=reviewer.pk)


def test_another_organisations_people_are_not_found(admin_a, demo):
    for username in ("officer_b", "verifier_1", "admin"):
        with pytest.raises(NotFound):
            people.deactivate(actor=admin_a, user_id=User.objects.get(username=username).pk)
    with pytest.raises(NotFound):
        people.deactivate(actor=admin_a, user_id=999999)
    # Someone who also belongs to another enterprise is for a platform administrator to decide.
    reviewer = User.objects.get(username="reviewer_a")
    Membership.objects.create(user=reviewer, role=Role.REVIEWER,
                              enterprise=Enterprise.objects.get(memberships__user__username="officer_b"))
    with pytest.raises(Conflict):
        people.deactivate(actor=admin_a, user_id=reviewer.pk)
    assert User.objects.filter(is_active=False).count() == 0
    officer = User.objects.get(username="officer_b")
    with pytest.raises(NotFound):  # an officer manages nobody
        people.deactivate(actor=officer, user_id=reviewer.pk)


def test_members_of_an_enterprise(admin_a, enterprise_a):
    members = {member.user.username: member for member in people.members_of(enterprise_a)}
    assert set(members) == {"officer_a", "reviewer_a"}
    assert set(members["officer_a"].roles) == {Role.OFFICER, Role.ENTERPRISE_ADMIN}


# --- Verifier bodies and authorities -----------------------------------------------------------------


def body_values(**changes):
    return {"name": "Jiangnan Verification", "credit_code": uscc("91330100MA2ABCDE1"),
            "accreditation_number": "CNCA-V-2026-077", "scope": ["C30"],
            "accredited_from": datetime.date(2026, 1, 1), "accredited_until": datetime.date(2028, 12, 31), **changes}


def test_registering_a_verifier_body(demo):
    platform_admin = User.objects.get(username="admin")
    body = bodies.register_verifier_body(actor=platform_admin, **body_values())
    assert list(body.scope.values_list("code", flat=True)) == ["C30"]
    assert body.is_accredited_for(Industry.objects.get(code="C30"), datetime.date(2027, 6, 1))
    assert SecurityEvent.objects.filter(details__action="verifier_body_registered").exists()
    with pytest.raises(InvalidInput, match="ends before it starts"):
        bodies.update_verifier_body(actor=platform_admin, verifier_body_id=body.pk,
                                    changes={"accredited_until": datetime.date(2025, 12, 31)})
    changed = bodies.update_verifier_body(actor=platform_admin, verifier_body_id=body.pk,
                                          changes={"accredited_until": datetime.date(2026, 1, 1), "scope": ["C30",
                                                                                                            "D44"]})
    assert changed.accredited_until == datetime.date(2026, 1, 1)
    assert set(changed.scope.values_list("code", flat=True)) == {"C30", "D44"}


@pytest.mark.parametrize(("changes", "message"), [
    ({"accredited_until": datetime.date(2025, 12, 31)}, "ends before it starts"),
    ({"credit_code": "91330100MA2ABCDE10"}, "not valid"),
    ({"scope": []}, "at least one industry"),
    ({"scope": ["Z99"]}, "from the list"),
    ({"name": "Bad\x1bname"}, "control character"),
])
def test_a_verifier_body_with_bad_values_is_refused(demo, changes, message):
    with pytest.raises(InvalidInput, match=message):
        bodies.register_verifier_body(actor=User.objects.get(username="admin"), **body_values(**changes))
    assert VerifierBody.objects.count() == 1  # the demo's


def test_only_platform_administrators_register_bodies_and_authorities(admin_a):
    with pytest.raises(PermissionDenied):
        bodies.register_verifier_body(actor=admin_a, **body_values())
    with pytest.raises(PermissionDenied):
        bodies.register_authority(actor=admin_a, name="X", region_codes=["330000"])


def test_an_authority_with_an_unknown_region_is_refused(demo):
    platform_admin = User.objects.get(username="admin")
    before = Authority.objects.count()
    for codes in (["999999"], ["33010"], "330000", [], [330000]):
        with pytest.raises(InvalidInput):
            bodies.register_authority(actor=platform_admin, name="Bureau", region_codes=codes)
    assert Authority.objects.count() == before
    authority = bodies.register_authority(actor=platform_admin, name="Hangzhou Ecology Bureau",
                                          region_codes=["330100"], industries=["C30"])
    assert authority.region_codes == ["330100"] and authority.covers_region("330106")
    assert list(authority.industries.values_list("code", flat=True)) == ["C30"]
    with pytest.raises(InvalidInput):
        bodies.update_authority(actor=platform_admin, authority_id=authority.pk, changes={"region_codes": ["000000"]})
    assert Authority.objects.get(pk=authority.pk).region_codes == ["330100"]
