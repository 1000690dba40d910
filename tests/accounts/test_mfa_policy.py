"""Who needs the second factor: administrators, verifiers and government users always; the members
of an enterprise that requires it; everyone with MFA_REQUIRED_FOR_ALL_ROLES."""

import pytest
from django.test import Client

from carbon_portal.accounts import mfa
from carbon_portal.accounts.models import Enterprise, User
from tests.login import enrol, password_step

pytestmark = pytest.mark.django_db


def test_roles(demo):
    assert {user.username for user in User.objects.all() if user.requires_mfa} == {"admin", "verifier_1", "gov_1"}


def test_an_enterprise_can_require_it_for_its_members(demo):
    enterprise = User.objects.get(username="officer_a").memberships.get().enterprise
    Enterprise.objects.filter(pk=enterprise.pk).update(mfa_required=True)
    assert User.objects.get(username="officer_a").requires_mfa
    assert User.objects.get(username="reviewer_a").requires_mfa
    assert not User.objects.get(username="officer_b").requires_mfa
    # Its officer now logs in in two steps, and first sets up an authenticator with a code.
    client = Client()
    response = password_step(client, demo, "officer_a")
    assert response.url == "/accounts/login/otp/"
    assert client.get("/portal/").status_code == 302
    code, _record = mfa.issue_enrolment_code(User.objects.get(username="officer_a"))
    enrol(client, demo, "officer_a", code)
    assert client.get("/portal/inventories/").status_code == 200


def test_a_password_only_session_of_such_a_member_is_refused(demo):
    officer = User.objects.get(username="officer_a")
    Enterprise.objects.filter(memberships__user=officer).update(mfa_required=True)
    client = Client()
    client.force_login(officer)
    assert client.get("/portal/").url.startswith("/accounts/login/")
    client.force_login(officer)
    assert client.get("/api/v1/inventories").status_code == 403


def test_the_setting_requires_it_for_every_role(demo, settings):
    settings.MFA_REQUIRED_FOR_ALL_ROLES = True
    assert all(user.requires_mfa for user in User.objects.all())
    response = password_step(Client(), demo, "officer_b")
    assert response.url == "/accounts/login/otp/"
