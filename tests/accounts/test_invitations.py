"""Invitations (carbon_portal/accounts/invitations.py): who may invite whom, one open invitation per
address and organisation, the token kept only as a hash, accepting as a new or an existing person,
and links that no longer work."""

import datetime
import hashlib
import re

import pytest
from django.utils import translation
from django.core import mail
from django.utils import timezone

from carbon_portal.accounts import invitations
from carbon_portal.accounts.models import EnrolmentCode, Enterprise, Invitation, Membership, Role, User, VerifierBody
from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from carbon_portal.security.models import SecurityEvent

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
def enterprise_b(demo):
    return Enterprise.objects.get(memberships__user__username="officer_b")


@pytest.fixture
def admin_a(enterprise_a):
    """officer_a is also the enterprise administrator of A."""
    user = User.objects.get(username="officer_a")
    Membership.objects.create(user=user, role=Role.ENTERPRISE_ADMIN, enterprise=enterprise_a)
    return user


def token_of(message) -> str:
    return re.search(r"/accounts/invitations/([^/\s]+)/", message.body).group(1)


def test_an_enterprise_administrator_invites_and_only_the_hash_is_kept(admin_a, enterprise_a):
    invitation, code = invitations.invite(actor=admin_a, email=" New.Person@Example.com ", role=Role.REVIEWER,
                                          organisation=enterprise_a)
    assert code is None  # no second factor for a reviewer of an enterprise that does not require it
    assert invitation.email == "new.person@example.com" and invitation.invited_by == admin_a
    assert invitation.expires_at - invitation.created_at > datetime.timedelta(days=6, hours=23)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@example.com"]
    token = token_of(mail.outbox[0])
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    event = SecurityEvent.objects.filter(details__action="invitation_sent").get()
    assert event.user == admin_a and event.details["invitation_id"] == invitation.pk
    assert token not in str(event.details)


def test_one_open_invitation_per_address_and_organisation(admin_a, enterprise_a):
    invitations.invite(actor=admin_a, email="x@example.com", role=Role.OFFICER, organisation=enterprise_a)
    with pytest.raises(Conflict):
        invitations.invite(actor=admin_a, email="X@example.com", role=Role.REVIEWER, organisation=enterprise_a)
    assert Invitation.objects.filter(email="x@example.com").count() == 1
    # An expired one makes way for a new one.
    Invitation.objects.filter(email="x@example.com").update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    again, _code = invitations.invite(actor=admin_a, email="x@example.com", role=Role.REVIEWER,
                                      organisation=enterprise_a)
    assert Invitation.objects.filter(email="x@example.com", revoked_at__isnull=True).get() == again


def test_who_may_invite(admin_a, enterprise_a, enterprise_b):
    officer_b = User.objects.get(username="officer_b")
    with pytest.raises(PermissionDenied):
        invitations.invite(actor=officer_b, email="y@example.com", role=Role.OFFICER, organisation=enterprise_b)
    with pytest.raises(PermissionDenied):
        invitations.invite(actor=admin_a, email="y@example.com", role=Role.OFFICER, organisation=enterprise_b)
    with pytest.raises(InvalidInput):
        invitations.invite(actor=admin_a, email="y@example.com", role=Role.VERIFIER, organisation=enterprise_a)
    with pytest.raises(InvalidInput):
        invitations.invite(actor=admin_a, email="not an address", role=Role.OFFICER, organisation=enterprise_a)
    with pytest.raises(InvalidInput):
        invitations.invite(actor=admin_a, email="a\x00b@example.com", role=Role.OFFICER, organisation=enterprise_a)
    with pytest.raises(PermissionDenied):  # enterprise administrators invite to their enterprise only
        invitations.invite(actor=admin_a, email="y@example.com", role=Role.VERIFIER,
                           organisation=VerifierBody.objects.get())
    assert not Invitation.objects.exists() and not mail.outbox
    with pytest.raises(Conflict):  # already a member with this role
        invitations.invite(actor=admin_a, email=User.objects.get(username="reviewer_a").email, role=Role.REVIEWER,
                           organisation=enterprise_a)


def test_accepting_as_a_new_person(admin_a, enterprise_a):
    invitations.invite(actor=admin_a, email="new@example.com", role=Role.OFFICER, organisation=enterprise_a)
    token = token_of(mail.outbox[0])
    with pytest.raises(InvalidInput, match="Password"):
        invitations.accept_as_new_user(token=token, username="newbie", display_name="New", password="password")
    with pytest.raises(InvalidInput, match="taken"):
        invitations.accept_as_new_user(token=token, username="OFFICER_A", display_name="", password="a-long-Pass-77")
    with pytest.raises(InvalidInput):
        invitations.accept_as_new_user(token=token, username="new\x07bie", display_name="", password="a-long-Pass-77")
    assert not User.objects.filter(email="new@example.com").exists()
    user = invitations.accept_as_new_user(token=token, username="newbie", display_name="Nina New",
                                          password="a-long-Pass-77")
    assert user.check_password("a-long-Pass-77") and user.email == "new@example.com" and user.is_active
    assert Membership.objects.filter(user=user, role=Role.OFFICER, enterprise=enterprise_a).exists()
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    # The link works once.
    with pytest.raises(NotFound):
        invitations.accept_as_new_user(token=token, username="other", display_name="", password="a-long-Pass-77")
    assert invitations.usable(invitations.invitation_by_token(token)) == "used"


def test_accepting_as_an_existing_user(admin_a, enterprise_a):
    officer_b = User.objects.get(username="officer_b")
    invitations.invite(actor=admin_a, email=officer_b.email.upper(), role=Role.REVIEWER, organisation=enterprise_a)
    token = token_of(mail.outbox[0])
    with pytest.raises(Conflict):  # the address has an account: its owner logs in to accept
        invitations.accept_as_new_user(token=token, username="someone", display_name="", password="a-long-Pass-77")
    with pytest.raises(PermissionDenied):
        invitations.accept_as_existing_user(token=token, user=User.objects.get(username="reviewer_a"))
    membership = invitations.accept_as_existing_user(token=token, user=officer_b)
    assert membership.role == Role.REVIEWER and membership.enterprise == enterprise_a


def test_expired_revoked_and_unknown_links(admin_a, enterprise_a):
    invitation, _code = invitations.invite(actor=admin_a, email="late@example.com", role=Role.OFFICER,
                                           organisation=enterprise_a)
    token = token_of(mail.outbox[0])
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert invitations.usable(invitations.invitation_by_token(token)) == "expired"
    with pytest.raises(NotFound):
        invitations.accept_as_new_user(token=token, username="late", display_name="", password="a-long-Pass-77")
    # Resending: a new link and a new period; the old link stops working.
    invitations.resend(actor=admin_a, invitation_id=invitation.pk)
    new_token = token_of(mail.outbox[1])
    assert new_token != token and invitations.invitation_by_token(token) is None
    assert invitations.usable(invitations.invitation_by_token(new_token)) == ""
    invitations.revoke(actor=admin_a, invitation_id=invitation.pk)
    assert invitations.usable(invitations.invitation_by_token(new_token)) == "revoked"
    with pytest.raises(NotFound):
        invitations.accept_as_new_user(token=new_token, username="late", display_name="", password="a-long-Pass-77")
    with pytest.raises(Conflict):
        invitations.revoke(actor=admin_a, invitation_id=invitation.pk)
    assert invitations.usable(invitations.invitation_by_token("no-such-token")) == "unknown"
    assert not User.objects.filter(username="late").exists()


def test_another_enterprises_invitation_is_not_found(admin_a, enterprise_b, demo):
    platform_admin = User.objects.get(username="admin")
    invitation, _code = invitations.invite(actor=platform_admin, email="b@example.com", role=Role.OFFICER,
                                           organisation=enterprise_b)
    with pytest.raises(NotFound):
        invitations.revoke(actor=admin_a, invitation_id=invitation.pk)
    with pytest.raises(NotFound):
        invitations.resend(actor=admin_a, invitation_id=invitation.pk)
    assert Invitation.objects.get(pk=invitation.pk).is_open


def test_a_role_with_a_second_factor_gets_an_enrolment_code_for_the_inviter(demo):
    platform_admin = User.objects.get(username="admin")
    body = VerifierBody.objects.get()
    invitation, code = invitations.invite(actor=platform_admin, email="auditor@example.com", role=Role.VERIFIER,
                                          organisation=body)
    assert code and code not in mail.outbox[0].body  # handed over by another channel, never e-mailed
    assert invitation.enrolment_code_hash and code not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    user = invitations.accept_as_new_user(token=token_of(mail.outbox[0]), username="auditor", display_name="",
                                          password="a-long-Pass-77")
    assert user.requires_mfa
    enrolment = EnrolmentCode.objects.get(user=user)
    assert enrolment.used_at is None and enrolment.expires_at > timezone.now()
    from carbon_portal.accounts import mfa

    assert mfa.redeem_enrolment_code(user, code)
