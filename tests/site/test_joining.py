"""Joining through the pages: an anonymous visitor applies, the administrator approves with the form's
one-time token, the new administrator sets a password by the e-mailed link, logs in and works as
the enterprise's carbon officer."""

import re
import time

import pytest
from django.core import mail
from django.test import Client

from carbon_portal.accounts import reauth
from carbon_portal.accounts.models import ApplicationStatus, EnterpriseApplication, Role
from carbon_portal.accounts.uscc import with_check_character

from .helpers import post, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CODE = with_check_character("91330106MA2XXXX3E")
APPLICATION = {"name": "杭州新材科技有限公司", "name_en": "Hangzhou New Materials", "credit_code": CODE,
               "industry": "C30", "region_code": "330106", "address": "杭州市西湖区文三路 1 号",
               "contact_name": "周婷", "contact_email": "zhou.ting@example.com", "contact_phone": "0571-88881234"}
PASSWORD = "Tiles-and-kilns-2026!"


def form_token(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', text(page)).group(1)


def apply(client, **changes):
    return post(client, "/join/", APPLICATION | changes)


def test_the_login_page_and_the_navigation_lead_to_the_application(client, demo):
    assert 'href="/join/"' in text(client.get("/accounts/login/"))
    page = client.get("/join/")
    assert page.status_code == 200
    assert '<option value="330106">' in text(page)  # the region is a choice of GB/T 2260 regions


def test_an_anonymous_visitor_applies(client, demo):
    response = apply(client, credit_code=CODE.lower())
    assert response.status_code == 302 and response.url == "/join/sent/"
    application = EnterpriseApplication.objects.get()
    assert application.status == ApplicationStatus.PENDING and application.credit_code == CODE
    done = client.get("/join/sent/")
    assert "zhou.ting@example.com" in text(done) and "What happens next" in text(done)
    to_contact, to_approvers = mail.outbox
    assert to_contact.to == ["zhou.ting@example.com"]
    assert "admin@demo.carbon-portal.local" in to_approvers.to
    # Sent twice (the back button): still one application.
    assert apply(client).url == "/join/sent/" and EnterpriseApplication.objects.count() == 1


@pytest.mark.parametrize("changes, message", [
    ({"credit_code": CODE[:17] + ("0" if CODE[17] != "0" else "1")}, "check character"),
    ({"credit_code": with_check_character("91330106MA2XXXX0A")}, "already registered"),  # demo enterprise A
    ({"region_code": "339999"}, "Select a valid choice"),
    ({"name": "Evil\x01Corp"}, "control character"),
    ({"contact_phone": "１２３４５６７８"}, "digits 0-9"),
])
def test_bad_applications_are_refused(client, demo, changes, message):
    response = apply(client, **changes)
    assert response.status_code == 400 and message in text(response)
    assert not EnterpriseApplication.objects.exists()


def test_a_code_waiting_for_a_decision_is_refused_from_another_visitor(client, demo):
    apply(client)
    response = apply(Client())
    assert response.status_code == 400 and "already waiting" in text(response)


def test_the_application_form_is_throttled(client, demo, settings):
    settings.THROTTLE_LOGIN_RATE = "2/hour"  # an hour: no window edge falls between the posts
    assert apply(client, name="").status_code == 400
    assert apply(client, name="").status_code == 400
    throttled = apply(client, name="")
    assert throttled.status_code == 429 and throttled["Retry-After"]


def test_only_approvers_see_the_queue(people, demo, client):
    apply(client)
    pk = EnterpriseApplication.objects.get().pk
    for username in ("officer_a", "reviewer_a", "verifier_1", "gov_1"):
        person = people(username)
        assert person.get("/join/applications/").status_code == 403, username
        assert person.get(f"/join/applications/{pk}/").status_code == 403, username
        assert post(person, f"/join/applications/{pk}/approve/").status_code == 403, username
    assert Client().get("/join/applications/").status_code == 302  # to the log-in
    assert EnterpriseApplication.objects.get().status == ApplicationStatus.PENDING


def test_the_administrator_approves_and_the_applicant_takes_over(people, demo, client):
    apply(client)
    application = EnterpriseApplication.objects.get()
    admin = people("admin")
    assert 'href="/join/applications/"' in text(admin.get("/portal/"))
    queue = admin.get("/join/applications/")
    assert queue.status_code == 200
    for shown in (CODE, "杭州新材科技有限公司", "C30", "西湖区", "zhou.ting@example.com", "0571-88881234"):
        assert shown in text(queue), shown
    page = admin.get(f"/join/applications/{application.pk}/")
    token = form_token(page)
    mail.outbox.clear()

    approved = post(admin, f"/join/applications/{application.pk}/approve/", {"form_token": token})
    assert approved.status_code == 302 and approved.url == "/join/applications/"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    enterprise, user = application.enterprise, application.applicant
    assert set(user.memberships.values_list("role", flat=True)) == {Role.ENTERPRISE_ADMIN, Role.OFFICER}
    # The double click: the same token runs nothing again.
    again = post(admin, f"/join/applications/{application.pk}/approve/", {"form_token": token})
    assert again.status_code == 302 and user.memberships.count() == 2
    # A new form for a decided application: 409 with a clear message.
    late = post(admin, f"/join/applications/{application.pk}/reject/", {"reason": "late"})
    assert late.status_code == 409 and "already been decided" in text(late)

    [message] = mail.outbox
    link = re.search(r"https?://\S+(/accounts/password/reset/\S+/)", message.body).group(1)
    applicant = Client()
    form = applicant.get(link, follow=True)
    assert form.context["validlink"]
    done = applicant.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    logged_in = applicant.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert logged_in.status_code == 302
    master_data = applicant.get("/portal/master-data/")
    assert master_data.status_code == 200
    created = post(applicant, "/portal/master-data/facilities/new/",
                   {"enterprise": enterprise.pk, "name": "Main plant", "address": ""})
    assert created.status_code == 302, text(created)[:2000]


def test_rejecting_needs_a_reason(people, demo, client):
    apply(client)
    application = EnterpriseApplication.objects.get()
    admin = people("admin")
    missing = post(admin, f"/join/applications/{application.pk}/reject/", {"reason": ""})
    assert missing.status_code == 400
    mail.outbox.clear()
    rejected = post(admin, f"/join/applications/{application.pk}/reject/", {"reason": "The licence is unreadable."})
    assert rejected.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert "The licence is unreadable." in mail.outbox[0].body


def test_deciding_wants_a_fresh_sign_in(people, demo, client, settings):
    apply(client)
    application = EnterpriseApplication.objects.get()
    admin = people("admin")
    session = admin.session
    session[reauth.FRESH_AT] = int(time.time()) - settings.REAUTH_MAX_AGE_MINUTES * 60 - 1
    session.save()
    stale = post(admin, f"/join/applications/{application.pk}/approve/")
    assert stale.status_code == 302 and stale.url.startswith("/accounts/reauth/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_government_users_decide_within_their_region_when_configured(people, demo, client, settings):
    settings.ENTERPRISE_APPROVAL_BY = "government"
    apply(client)  # 330106, in Zhejiang: the demo authority's region
    beijing = apply(Client(), credit_code=with_check_character("91110105MA0XXXX1F"), region_code="110105",
                    contact_email="bj@example.com")
    assert beijing.status_code == 302
    zhejiang, in_beijing = EnterpriseApplication.objects.order_by("pk")
    gov = people("gov_1")
    queue = gov.get("/join/applications/")
    assert queue.status_code == 200 and CODE in text(queue) and in_beijing.credit_code not in text(queue)
    assert gov.get(f"/join/applications/{in_beijing.pk}/").status_code == 404
    assert post(gov, f"/join/applications/{in_beijing.pk}/approve/").status_code == 404
    assert post(gov, f"/join/applications/{zhejiang.pk}/approve/").status_code == 302
    zhejiang.refresh_from_db()
    assert zhejiang.status == ApplicationStatus.APPROVED
