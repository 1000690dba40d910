"""Joining: an enterprise applies, an approver approves or rejects (carbon_portal/accounts/applications.py)."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import translation

from carbon_portal.accounts import applications
from carbon_portal.accounts.models import (
    ApplicationStatus,
    Authority,
    Enterprise,
    EnterpriseApplication,
    Industry,
    Membership,
    Role,
    User,
)
from carbon_portal.accounts.uscc import with_check_character
from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from carbon_portal.security.models import EventKind, SecurityEvent
from workflows.permissions import enterprise_group_name

CODE = with_check_character("91330106MA2XXXX1C")
OTHER_CODE = with_check_character("91330106MA2XXXX2D")
NEW_PASSWORD = "Tiles-and-kilns-2026!"


@pytest.fixture(autouse=True)
def english():
    """The messages in their English source text."""
    with translation.override("en"):
        yield


@pytest.fixture
def industry(db):
    return Industry.objects.create(code="C30", name_zh="非金属矿物制品业", name_en="Non-metallic mineral products")


@pytest.fixture
def admin(db):
    user = User.objects.create_user("platform_admin", email="admin@example.com", password="x")
    Membership.objects.create(user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def zhejiang(db):
    authority = Authority.objects.create(name="浙江省经信厅", region_codes=["330000"])
    user = User.objects.create_user("gov_zj", email="gov.zj@example.com", password="x")
    Membership.objects.create(user=user, role=Role.GOVERNMENT, authority=authority)
    return user


@pytest.fixture
def beijing(db):
    authority = Authority.objects.create(name="北京市发改委", region_codes=["110000"])
    user = User.objects.create_user("gov_bj", email="gov.bj@example.com", password="x")
    Membership.objects.create(user=user, role=Role.GOVERNMENT, authority=authority)
    return user


def fields(industry, **changes):
    data = {"name": "杭州新材科技有限公司", "name_en": "Hangzhou New Materials Co., Ltd.", "credit_code": CODE,
            "industry": industry, "region_code": "330106", "address": "浙江省杭州市西湖区文三路 1 号",
            "contact_name": "周婷", "contact_email": "Zhou.Ting@Example.COM", "contact_phone": "0571-88881234"}
    return data | changes


def submit(django_capture_on_commit_callbacks, industry, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return applications.submit_application(**fields(industry, **changes))


def approve(django_capture_on_commit_callbacks, actor, application):
    with django_capture_on_commit_callbacks(execute=True):
        return applications.approve_application(actor=actor, application_id=application.pk)


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group()


def test_an_application_is_pending_and_acknowledged(django_capture_on_commit_callbacks, industry, admin):
    application = submit(django_capture_on_commit_callbacks, industry, credit_code=f" {CODE.lower()} ")
    assert application.status == ApplicationStatus.PENDING
    assert application.credit_code == CODE
    assert application.contact_email == "Zhou.Ting@example.com"
    to_contact, to_approvers = mail.outbox
    assert to_contact.to == ["Zhou.Ting@example.com"] and CODE in to_contact.body
    assert to_approvers.to == ["admin@example.com"] and f"/join/applications/{application.pk}/" in to_approvers.body
    assert SecurityEvent.objects.filter(kind=EventKind.ENTERPRISE_APPLIED,
                                        details__application_id=application.pk).exists()


@pytest.mark.parametrize("changes, message", [
    ({"credit_code": CODE[:17] + ("0" if CODE[17] != "0" else "1")}, "check character"),
    ({"credit_code": "91330106"}, "18 characters"),
    ({"region_code": "339999"}, "Region"),
    ({"region_code": "33010"}, "Region"),
    ({"contact_email": "not an address"}, "e-mail"),
    ({"contact_phone": "call me"}, "telephone"),
    ({"name": "Evil\x00Corp"}, "control character"),
    ({"address": "line\nbreak"}, "control character"),
    ({"name": "  "}, "required"),
])
def test_bad_input_is_refused_and_changes_nothing(django_capture_on_commit_callbacks, industry, changes, message):
    with pytest.raises(InvalidInput, match=message):
        submit(django_capture_on_commit_callbacks, industry, **changes)
    assert not EnterpriseApplication.objects.exists()
    assert mail.outbox == []


def test_a_registered_code_or_one_waiting_cannot_apply(django_capture_on_commit_callbacks, industry):
    submit(django_capture_on_commit_callbacks, industry)
    with pytest.raises(InvalidInput, match="already waiting"):
        submit(django_capture_on_commit_callbacks, industry, name="Another")
    Enterprise.objects.create(name="Registered", credit_code=OTHER_CODE, industry=industry, region_code="330106")
    with pytest.raises(InvalidInput, match="already registered"):
        submit(django_capture_on_commit_callbacks, industry, credit_code=OTHER_CODE)
    assert EnterpriseApplication.objects.count() == 1


def test_approval_creates_the_enterprise_and_its_administrator(django_capture_on_commit_callbacks, industry, admin):
    application = submit(django_capture_on_commit_callbacks, industry)
    mail.outbox.clear()
    approved = approve(django_capture_on_commit_callbacks, admin, application)

    assert approved.status == ApplicationStatus.APPROVED
    assert approved.decided_by == admin and approved.decided_at is not None
    enterprise = approved.enterprise
    assert (enterprise.name, enterprise.credit_code, enterprise.industry_id, enterprise.region_code,
            enterprise.address) == (application.name, CODE, "C30", "330106", application.address)
    user = approved.applicant
    assert user.username == "zhou.ting" and user.email == "Zhou.Ting@example.com" and user.display_name == "周婷"
    assert not user.has_usable_password()
    assert set(user.memberships.values_list("role", "enterprise")) == {
        (Role.ENTERPRISE_ADMIN, enterprise.pk), (Role.OFFICER, enterprise.pk)}
    # The receivers put the new officer in the enterprise's groups, as any officer.
    groups = set(user.groups.values_list("name", flat=True))
    assert enterprise_group_name(enterprise.pk, Role.OFFICER) in groups
    assert SecurityEvent.objects.filter(kind=EventKind.ENTERPRISE_APPROVED,
                                        details__enterprise_id=enterprise.pk).exists()

    [message] = mail.outbox
    assert message.to == ["Zhou.Ting@example.com"] and "zhou.ting" in message.body
    client = Client()
    response = client.get(link_in(message), follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    response = client.post(response.redirect_chain[-1][0],
                           {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    assert not client.get(link_in(message), follow=True).context["validlink"]


def test_a_decided_application_is_not_decided_again(django_capture_on_commit_callbacks, industry, admin):
    application = submit(django_capture_on_commit_callbacks, industry)
    approve(django_capture_on_commit_callbacks, admin, application)
    with pytest.raises(Conflict, match="already been decided"):
        approve(django_capture_on_commit_callbacks, admin, application)
    with pytest.raises(Conflict, match="already been decided"):
        applications.reject_application(actor=admin, application_id=application.pk, reason="late")
    assert Enterprise.objects.filter(credit_code=CODE).count() == 1
    assert Membership.objects.filter(enterprise__credit_code=CODE).count() == 2


def test_rejection_needs_a_reason_and_sends_it(django_capture_on_commit_callbacks, industry, admin):
    application = submit(django_capture_on_commit_callbacks, industry)
    mail.outbox.clear()
    with pytest.raises(InvalidInput):
        applications.reject_application(actor=admin, application_id=application.pk, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        rejected = applications.reject_application(actor=admin, application_id=application.pk,
                                                   reason="营业执照与名称不一致。")
    assert rejected.status == ApplicationStatus.REJECTED and rejected.rejection_reason == "营业执照与名称不一致。"
    assert not Enterprise.objects.exists() and not User.objects.filter(email__iexact=rejected.contact_email).exists()
    [message] = mail.outbox
    assert "营业执照与名称不一致。" in message.body
    assert SecurityEvent.objects.filter(kind=EventKind.ENTERPRISE_REJECTED).exists()
    # Once rejected, the enterprise may apply again.
    assert submit(django_capture_on_commit_callbacks, industry).status == ApplicationStatus.PENDING


def test_an_existing_account_with_the_email_is_reused(django_capture_on_commit_callbacks, industry, admin):
    existing = User.objects.create_user("zt", email="zhou.ting@example.com", password="Kept-password-2026")
    application = submit(django_capture_on_commit_callbacks, industry)
    mail.outbox.clear()
    approved = approve(django_capture_on_commit_callbacks, admin, application)
    assert approved.applicant == existing and existing.memberships.count() == 2
    [message] = mail.outbox
    assert "/accounts/password/reset/" not in message.body and "/accounts/login/" in message.body


def test_an_administrators_email_does_not_make_an_enterprise_account(django_capture_on_commit_callbacks, industry,
                                                                     admin):
    application = submit(django_capture_on_commit_callbacks, industry, contact_email="admin@example.com")
    with pytest.raises(Conflict, match="account of its own"):
        approve(django_capture_on_commit_callbacks, admin, application)
    assert not Enterprise.objects.exists() and not admin.memberships.exclude(role=Role.ADMIN).exists()


def test_usernames_stay_unique(django_capture_on_commit_callbacks, industry, admin):
    User.objects.create_user("zhou.ting", email="someone.else@example.com")
    application = submit(django_capture_on_commit_callbacks, industry)
    assert approve(django_capture_on_commit_callbacks, admin, application).applicant.username == "zhou.ting-2"


def test_by_default_only_administrators_decide(django_capture_on_commit_callbacks, industry, admin, zhejiang):
    application = submit(django_capture_on_commit_callbacks, industry)
    officer = User.objects.create_user("someone")
    for outsider in (zhejiang, officer):
        assert not applications.may_decide_applications(outsider)
        with pytest.raises(PermissionDenied):
            applications.approve_application(actor=outsider, application_id=application.pk)
    assert applications.may_decide_applications(admin)
    assert list(applications.pending_applications_for(admin)) == [application]


@override_settings(ENTERPRISE_APPROVAL_BY="government")
def test_government_decides_within_its_jurisdiction_only(django_capture_on_commit_callbacks, industry, admin,
                                                         zhejiang, beijing):
    application = submit(django_capture_on_commit_callbacks, industry)  # 330106: Hangzhou, Xihu district
    assert set(mail.outbox[1].to) == {"admin@example.com", "gov.zj@example.com"}  # not Beijing's
    assert list(applications.pending_applications_for(beijing)) == []
    with pytest.raises(NotFound):
        applications.approve_application(actor=beijing, application_id=application.pk)
    assert list(applications.pending_applications_for(zhejiang)) == [application]
    assert approve(django_capture_on_commit_callbacks, zhejiang, application).status == ApplicationStatus.APPROVED
    # Administrators still can.
    other = submit(django_capture_on_commit_callbacks, industry, credit_code=OTHER_CODE,
                   contact_email="other@example.com")
    assert approve(django_capture_on_commit_callbacks, admin, other).status == ApplicationStatus.APPROVED


def test_approval_refuses_a_code_registered_meanwhile(django_capture_on_commit_callbacks, industry, admin):
    application = submit(django_capture_on_commit_callbacks, industry)
    Enterprise.objects.create(name="Meanwhile", credit_code=CODE, industry=industry, region_code="330106")
    with pytest.raises(Conflict, match="already registered"):
        approve(django_capture_on_commit_callbacks, admin, application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
