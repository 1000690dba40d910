"""People pages: an enterprise administrator invites, deactivates and reads who did what; another
enterprise's people are 404; invitation links; a platform administrator registers verifier bodies
and authorities and invites their people, whose second factor is set up at their first log-in."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from carbon_portal.accounts.models import (
    Authority,
    Enterprise,
    Invitation,
    Membership,
    Role,
    User,
    VerifierBody,
)
from carbon_portal.accounts.uscc import check_character
from tests.login import totp_now

from .helpers import enterprise_of, post, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

STRONG = "a-long-Pass-77"


@pytest.fixture
def admin_a(demo):
    """officer_a is the enterprise administrator of A too."""
    enterprise = enterprise_of("officer_a")
    Membership.objects.create(user=User.objects.get(username="officer_a"), role=Role.ENTERPRISE_ADMIN,
                              enterprise=enterprise)
    return enterprise


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitations/[^/\s]+/)", message.body).group(1)


def english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_an_officer_without_the_administrator_role_gets_403(people, demo):
    enterprise = enterprise_of("officer_a")
    officer = people("officer_a")
    assert officer.get("/portal/people/").status_code == 403
    assert officer.get(f"/portal/people/{enterprise.pk}/").status_code == 403
    assert post(officer, f"/portal/people/{enterprise.pk}/invite/", {"email": "x@example.com", "role": "officer"}
                ).status_code == 403
    assert 'href="/portal/people/"' not in text(officer.get("/portal/"))
    assert not Invitation.objects.exists()


def test_the_administrator_sees_the_people_and_invites_a_colleague(people, admin_a):
    client = people("officer_a")
    assert 'href="/portal/people/"' in text(client.get("/portal/"))
    index = client.get("/portal/people/")
    assert index.status_code == 302 and index.url == f"/portal/people/{admin_a.pk}/"
    page = client.get(index.url)
    assert page.status_code == 200
    html = text(page)
    assert "reviewer_a@demo.carbon-portal.local" in html and "Enterprise reviewer" in html
    assert 'name="form_token"' in html

    bad = post(client, f"/portal/people/{admin_a.pk}/invite/", {"email": "bad\x01@example.com", "role": "officer"})
    assert bad.status_code == 400
    not_a_role = post(client, f"/portal/people/{admin_a.pk}/invite/", {"email": "x@example.com", "role": "verifier"})
    assert not_a_role.status_code == 400 and not Invitation.objects.exists()

    sent = post(client, f"/portal/people/{admin_a.pk}/invite/", {"email": "colleague@example.com", "role": "reviewer"})
    assert sent.status_code == 302, text(sent)[:2000]
    assert len(mail.outbox) == 1
    invitation = Invitation.objects.get()
    assert "colleague@example.com" in text(client.get(f"/portal/people/{admin_a.pk}/"))
    twice = post(client, f"/portal/people/{admin_a.pk}/invite/", {"email": "colleague@example.com", "role": "officer"})
    assert twice.status_code == 409 and "open invitation" in text(twice)

    resent = post(client, f"/portal/people/invitations/{invitation.pk}/resend/")
    assert resent.status_code == 302 and len(mail.outbox) == 2
    assert Client().get(link_in(mail.outbox[0])).status_code == 404  # the earlier link no longer works
    revoked = post(client, f"/portal/people/invitations/{invitation.pk}/revoke/")
    assert revoked.status_code == 302
    assert Invitation.objects.get().revoked_at is not None
    gone = english_client().get(link_in(mail.outbox[1]))
    assert gone.status_code == 410 and "withdrawn" in text(gone)


def test_another_enterprises_people_and_invitations_are_404(people, admin_a, demo):
    enterprise_b = enterprise_of("officer_b")
    client = people("officer_a")
    assert client.get(f"/portal/people/{enterprise_b.pk}/").status_code == 404
    assert client.get(f"/portal/people/{enterprise_b.pk}/activity/").status_code == 404
    assert post(client, f"/portal/people/{enterprise_b.pk}/invite/", {"email": "x@example.com", "role": "officer"}
                ).status_code == 404
    officer_b = User.objects.get(username="officer_b")
    assert post(client, f"/portal/people/members/{officer_b.pk}/deactivate/").status_code == 404
    assert post(client, f"/portal/people/members/{officer_b.pk}/reactivate/").status_code == 404
    assert officer_b.pk not in [m.user_id for m in Membership.objects.filter(enterprise=admin_a)]
    invitation = Invitation.objects.create(email="b@example.com", role=Role.OFFICER, enterprise=enterprise_b,
                                           token_hash="0" * 64)
    assert post(client, f"/portal/people/invitations/{invitation.pk}/revoke/").status_code == 404
    assert post(client, f"/portal/people/invitations/{invitation.pk}/resend/").status_code == 404
    assert User.objects.get(pk=officer_b.pk).is_active and Invitation.objects.get(pk=invitation.pk).is_open
    assert "b@example.com" not in text(client.get(f"/portal/people/{admin_a.pk}/"))


def test_deactivating_a_member_logs_them_out_and_keeps_them_out(people, admin_a, demo):
    reviewer = User.objects.get(username="reviewer_a")
    reviewer_client = people("reviewer_a")
    AuthToken.objects.create(user=reviewer)
    client = people("officer_a")
    self_refused = post(client, f"/portal/people/members/{User.objects.get(username='officer_a').pk}/deactivate/",
                        follow=True)
    assert "cannot deactivate your own account" in text(self_refused)
    done = post(client, f"/portal/people/members/{reviewer.pk}/deactivate/",
                {"next": f"/portal/people/{admin_a.pk}/"})
    assert done.status_code == 302 and done.url == f"/portal/people/{admin_a.pk}/"
    assert not User.objects.get(pk=reviewer.pk).is_active and not AuthToken.objects.filter(user=reviewer).exists()
    assert reviewer_client.get("/portal/").status_code == 302
    login = Client().post("/accounts/login/", {"username": "reviewer_a", "password": demo["users"]["reviewer_a"]
                                               ["password"]})
    assert login.status_code == 200  # refused
    assert "deactivated" in text(client.get(f"/portal/people/{admin_a.pk}/"))
    activity = client.get(f"/portal/people/{admin_a.pk}/activity/")
    assert activity.status_code == 200 and "Account deactivated" in text(activity)
    assert client.get(f"/portal/people/{admin_a.pk}/activity/?page=abc").status_code == 200
    back = post(client, f"/portal/people/members/{reviewer.pk}/reactivate/")
    assert back.status_code == 302 and User.objects.get(pk=reviewer.pk).is_active


def test_accepting_an_invitation_as_a_new_person(people, admin_a):
    post(people("officer_a"), f"/portal/people/{admin_a.pk}/invite/", {"email": "nina@example.com", "role": "officer"})
    link = link_in(mail.outbox[0])
    visitor = english_client()
    page = visitor.get(link)
    assert page.status_code == 200 and page.context["form"]["username"].value() == "nina"
    weak = visitor.post(link, {"username": "nina", "display_name": "Nina", "password1": "short", "password2": "short"})
    assert weak.status_code == 400 and not User.objects.filter(username="nina").exists()
    joined = visitor.post(link, {"username": "nina", "display_name": "Nina", "password1": STRONG,
                                 "password2": STRONG})
    assert joined.status_code == 302 and joined.url == "/portal/"
    assert visitor.get("/portal/").status_code == 200
    nina = User.objects.get(username="nina")
    assert Membership.objects.filter(user=nina, role=Role.OFFICER, enterprise=admin_a).exists()
    used = english_client().get(link)
    assert used.status_code == 410 and "already been accepted" in text(used)
    assert english_client().get("/accounts/invitations/unknown-token/").status_code == 404


def test_an_existing_account_logs_in_to_accept(people, admin_a, demo):
    officer_b = User.objects.get(username="officer_b")
    post(people("officer_a"), f"/portal/people/{admin_a.pk}/invite/", {"email": officer_b.email, "role": "reviewer"})
    link = link_in(mail.outbox[0])
    anonymous = english_client().get(link)
    assert anonymous.status_code == 200 and "log in with it" in text(anonymous)
    assert people("reviewer_a").get(link).status_code == 403  # someone else's account
    client = people("officer_b")
    assert client.get(link).status_code == 200
    accepted = client.post(link)
    assert accepted.status_code == 302
    assert Membership.objects.filter(user=officer_b, role=Role.REVIEWER, enterprise=admin_a).exists()


def test_an_expired_link_says_so(people, admin_a):
    post(people("officer_a"), f"/portal/people/{admin_a.pk}/invite/", {"email": "late@example.com", "role": "officer"})
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    page = english_client().get(link_in(mail.outbox[0]))
    assert page.status_code == 410 and "expired" in text(page)
    posted = english_client().post(link_in(mail.outbox[0]), {"username": "late", "password1": STRONG,
                                                              "password2": STRONG})
    assert posted.status_code == 410 and not User.objects.filter(username="late").exists()


# --- Platform administrators: verifier bodies, authorities, people with a second factor ------------------


def uscc(first_17: str) -> str:
    return first_17 + check_character(first_17)


def test_a_platform_administrator_registers_a_verifier_body_and_its_verifier_enrols(people, demo):
    admin = people("admin")
    assert admin.get("/portal/organisations/").status_code == 200
    assert people("officer_a").get("/portal/organisations/").status_code == 403
    values = {"name": "Jiangnan Verification", "credit_code": uscc("91330100MA2ABCDE1"),
              "accreditation_number": "CNCA-V-2026-077", "scope": ["C30"], "accredited_from": "2026-01-01",
              "accredited_until": "2025-12-31"}
    backwards = post(admin, "/portal/organisations/verifier-bodies/new/", values)
    assert backwards.status_code == 400 and "ends before it starts" in text(backwards)
    created = post(admin, "/portal/organisations/verifier-bodies/new/", {**values, "accredited_until": "2028-12-31"})
    assert created.status_code == 302, text(created)[:3000]
    body = VerifierBody.objects.get(accreditation_number="CNCA-V-2026-077")
    assert created.url == f"/portal/organisations/verifier-bodies/{body.pk}/"
    edited = post(admin, created.url, {**values, "accredited_until": "2029-06-30", "scope": ["C30", "D44"]})
    assert edited.status_code == 302
    body.refresh_from_db()
    assert body.accredited_until == datetime.date(2029, 6, 30) and body.scope.count() == 2

    invited = post(admin, f"/portal/organisations/verifier-bodies/{body.pk}/invite/",
                   {"email": "auditor@example.com", "role": "verifier"})
    assert invited.status_code == 200 and invited["Cache-Control"] == "no-store"
    code = re.search(r'id="enrolment-code">([A-Z0-9-]+)<', text(invited)).group(1)
    assert code not in mail.outbox[0].body

    # The verifier accepts: a new account, then the log-in's enrolment step, never a session on the password.
    visitor = english_client()
    link = link_in(mail.outbox[0])
    assert "second factor" in text(visitor.get(link))
    joined = visitor.post(link, {"username": "auditor", "display_name": "A. Uditor", "password1": STRONG,
                                 "password2": STRONG})
    assert joined.status_code == 302 and joined.url == "/accounts/login/otp/"
    assert visitor.get("/portal/").status_code == 302  # not logged in yet
    assert visitor.post("/accounts/login/otp/", {"code": "ABCD-EFGH-JKLM-NPQR"}).status_code == 200
    entered = visitor.post("/accounts/login/otp/", {"code": code})
    assert entered.status_code == 302 and entered.url == "/accounts/login/otp/"
    secret = visitor.get("/accounts/login/otp/").context["secret"]
    confirmed = visitor.post("/accounts/login/otp/", {"token": totp_now(secret)})
    assert confirmed.status_code == 200 and len(confirmed.context["codes"]) == 10
    assert visitor.get("/portal/").status_code == 200
    auditor = User.objects.get(username="auditor")
    assert TOTPDevice.objects.filter(user=auditor, confirmed=True).exists()
    assert Membership.objects.filter(user=auditor, role=Role.VERIFIER, verifier_body=body).exists()

    # From now on the password alone is not enough.
    device = TOTPDevice.objects.get(user=auditor)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=device.last_t - 1)
    again = Client()
    step = again.post("/accounts/login/", {"username": "auditor", "password": STRONG})
    assert step.status_code == 302 and step.url == "/accounts/login/otp/"
    assert again.get("/portal/").status_code == 302
    assert again.post("/accounts/login/otp/", {"token": totp_now(secret)}).status_code == 302
    assert again.get("/portal/").status_code == 200

    page = text(admin.get(f"/portal/organisations/verifier-bodies/{body.pk}/"))
    assert "auditor@example.com" in page


def test_a_platform_administrator_registers_an_authority_in_known_regions(people, demo):
    admin = people("admin")
    assert admin.get("/portal/organisations/authorities/new/").status_code == 200
    unknown = post(admin, "/portal/organisations/authorities/new/", {"name": "Bureau", "region_codes": ["999999"]})
    assert unknown.status_code == 400
    created = post(admin, "/portal/organisations/authorities/new/",
                   {"name": "Hangzhou Ecology Bureau", "region_codes": ["330100"], "industries": ["C30"]})
    assert created.status_code == 302, text(created)[:3000]
    authority = Authority.objects.get(name="Hangzhou Ecology Bureau")
    assert authority.region_codes == ["330100"]
    invited = post(admin, f"/portal/organisations/authorities/{authority.pk}/invite/",
                   {"email": "officer@bureau.example", "role": "government"})
    assert invited.status_code == 200 and 'id="enrolment-code"' in text(invited)
    assert Invitation.objects.get(authority=authority).role == Role.GOVERNMENT
    other = Enterprise.objects.exclude(pk=enterprise_of("officer_a").pk).first()
    assert admin.get(f"/portal/people/{other.pk}/").status_code == 200  # platform administrators see every enterprise
    assert admin.get("/portal/organisations/authorities/999999/").status_code == 404
