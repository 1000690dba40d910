"""The security event log: what is recorded, from which address, who may read and export it,
and how long it is kept."""

import csv
import datetime
import io
import json
import os

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from carbon_portal.accounts.models import Membership, Role, User
from carbon_portal.security.addresses import client_address
from carbon_portal.security.events import record_event
from carbon_portal.security.exports import spreadsheet_safe
from carbon_portal.security.middleware import SecurityEventMiddleware
from carbon_portal.security.models import EventKind, Outcome, SecurityEvent

pytestmark = pytest.mark.django_db
PASSWORD = "a sufficiently long passphrase"
API_PATH = "/api/v1/inventories"


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def administrator(db):
    user = User.objects.create_user("root", password=PASSWORD, is_staff=True)
    Membership.objects.create(user=user, role=Role.ADMIN)
    return user


def signed_in(client, user):
    """Signed in with the second factor passed, as the administrators' pages require."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def events(kind):
    return list(SecurityEvent.objects.filter(kind=kind).order_by("id"))


def request_from(address="203.0.113.7", path="/accounts/login/", **meta):
    return RequestFactory().post(path, REMOTE_ADDR=address, HTTP_USER_AGENT="probe/1.0 " + "x" * 400, **meta)


# --- sign-in ---------------------------------------------------------------------------------------

def test_a_sign_in_and_a_failed_one_are_recorded_with_address_and_agent(client, alice):
    client.force_login(alice)
    [login] = events(EventKind.LOGIN)
    assert (login.user, login.username, login.outcome) == (alice, "alice", Outcome.SUCCESS)

    assert authenticate(request_from(), username="alice", password="wrong") is None
    assert authenticate(request_from(), username="nobody", password="wrong") is None
    failed = events(EventKind.LOGIN_FAILED)
    assert [(event.user, event.username, event.outcome) for event in failed] == [
        (alice, "alice", Outcome.FAILURE), (None, "nobody", Outcome.FAILURE)]
    assert failed[0].address == "203.0.113.7" and failed[0].path == "/accounts/login/"
    assert failed[0].user_agent.startswith("probe/1.0") and len(failed[0].user_agent) == 255
    assert "wrong" not in json.dumps(failed[0].details)


def test_a_lockout_is_recorded(alice, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        authenticate(request_from(), username="alice", password="wrong")
    [lockout] = events(EventKind.LOCKOUT)
    assert (lockout.username, lockout.outcome, lockout.address) == ("alice", Outcome.DENIED, "203.0.113.7")


def test_record_event_for_a_second_factor_failure(alice):
    request = request_from(path="/accounts/login/otp/")
    event = record_event(kind=EventKind.MFA_FAILED, request=request, user=alice, outcome=Outcome.FAILURE,
                         method="totp")
    assert (event.kind, event.user, event.username, event.details) == ("mfa_failed", alice, "alice",
                                                                       {"method": "totp"})
    with pytest.raises(ValueError):
        record_event(kind="made_up")


# --- tokens, people and roles ------------------------------------------------------------------------

def test_tokens_issued_and_revoked(alice):
    token, secret = AuthToken.objects.create(user=alice)
    digest = token.digest  # the primary key: gone from the instance once deleted
    token.delete()
    [issued], [revoked] = events(EventKind.TOKEN_ISSUED), events(EventKind.TOKEN_REVOKED)
    assert issued.user == alice and issued.details["token_user_id"] == revoked.details["token_user_id"] == alice.pk
    assert issued.details["token_id"] == revoked.details["token_id"] == token.token_key
    assert secret not in json.dumps([issued.details, revoked.details])
    assert digest not in json.dumps([issued.details, revoked.details])


def test_user_and_role_changes(alice):
    assert events(EventKind.USER_CREATED)[-1].details["subject"] == "alice"
    alice.last_login = timezone.now()
    alice.save(update_fields=["last_login"])  # every sign-in does this: no event
    alice.set_password("another long passphrase")
    alice.is_staff = True
    alice.save()
    [changed] = events(EventKind.USER_CHANGED)
    assert changed.details["changed"] == ["is_staff", "password"] and changed.details["flags"] == {"is_staff": True}
    assert "passphrase" not in json.dumps(changed.details)

    membership = Membership.objects.create(user=alice, role=Role.ADMIN)
    membership.delete()
    assert [event.details["role"] for event in events(EventKind.ROLE_GRANTED)] == ["admin"]
    assert [event.details["subject_id"] for event in events(EventKind.ROLE_REVOKED)] == [alice.pk]

    group = Group.objects.create(name="auditors")
    alice.groups.add(group)
    group.user_set.remove(alice)
    assert [(event.details["action"], event.details["groups"]) for event in events(EventKind.GROUPS_CHANGED)
            if event.details["groups"] == ["auditors"]] == [("add", ["auditors"]), ("remove", ["auditors"])]
    alice.user_permissions.add(Permission.objects.get(codename="view_securityevent"))
    assert events(EventKind.PERMISSIONS_CHANGED)[0].details["subject"] == "alice"

    alice.delete()
    [deleted] = events(EventKind.USER_DELETED)
    assert deleted.details == {"subject_id": deleted.details["subject_id"], "subject": "alice"}
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED).count() == 0


def test_events_keep_their_user_name_when_the_user_is_deleted(alice):
    event = record_event(kind=EventKind.MFA_FAILED, user=alice, outcome=Outcome.FAILURE)
    alice.delete()
    event.refresh_from_db()
    assert (event.user, event.username) == (None, "alice")


def test_changes_made_in_a_request_name_who_made_them(alice, administrator):
    middleware = SecurityEventMiddleware(lambda request: (alice.groups.add(Group.objects.create(name="g")),
                                                          HttpResponse())[1])
    request = request_from(address="198.51.100.2", path="/django-admin/accounts/user/")
    request.user = administrator
    middleware(request)
    [event] = [event for event in events(EventKind.GROUPS_CHANGED) if event.details.get("groups") == ["g"]]
    assert (event.user, event.address, event.details["subject"]) == (administrator, "198.51.100.2", "alice")


# --- refusals ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "status", "signed_in", "recorded"), [
    ("/inventories/1/", 403, True, True),
    ("/inventories/1/", 403, False, False),
    ("/api/v1/inventories/", 401, False, True),
    ("/inventories/1/", 401, False, False),
    ("/inventories/1/", 404, True, False),
])
def test_refusals_are_recorded(alice, path, status, signed_in, recorded):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path, REMOTE_ADDR="192.0.2.1")
    request.user = alice if signed_in else AnonymousUser()
    SecurityEventMiddleware(lambda request: HttpResponse(status=status))(request)
    found = events(EventKind.PERMISSION_DENIED)
    assert bool(found) is recorded
    if recorded:
        assert (found[0].outcome, found[0].path, found[0].details) == (Outcome.DENIED, path,
                                                                        {"status": status, "method": "GET"})


def test_an_api_request_without_credentials_is_recorded(client):
    response = client.get(API_PATH, REMOTE_ADDR="192.0.2.9", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401
    [event] = events(EventKind.PERMISSION_DENIED)
    assert (event.address, event.path, event.user) == ("192.0.2.9", API_PATH, None)


# --- client addresses ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("proxies", "remote", "forwarded", "expected"), [
    ([], "203.0.113.7", "", "203.0.113.7"),
    ([], "10.0.0.2", "198.51.100.9", "10.0.0.2"),  # no trusted proxy: the header is ignored
    (["10.0.0.0/8"], "10.0.0.2", "198.51.100.9", "198.51.100.9"),
    (["10.0.0.0/8"], "10.0.0.2", "1.2.3.4, 198.51.100.9", "198.51.100.9"),  # a forged left part is skipped
    (["10.0.0.0/8"], "10.0.0.2", "198.51.100.9, 10.1.1.1", "198.51.100.9"),  # through two trusted proxies
    (["10.0.0.0/8"], "203.0.113.7", "198.51.100.9", "203.0.113.7"),  # not from a trusted proxy
    (["10.0.0.0/8"], "10.0.0.2", "", "10.0.0.2"),
    (["10.0.0.0/8"], "10.0.0.2", "garbage", "10.0.0.2"),
    (["2001:db8::/48"], "2001:db8::1", "[2001:db8:1::5]:443, 2001:db8::2", "2001:db8:1::5"),
])
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    settings.IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if proxies else ("REMOTE_ADDR",)
    meta = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    assert client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **meta)) == expected


# --- the administrators' view ---------------------------------------------------------------------------

ADMIN_LIST = "/django-admin/security/securityevent/"


def test_only_platform_administrators_read_the_log_and_nobody_edits_it(client, alice, administrator):
    alice.is_staff = True
    alice.save()
    signed_in(client, alice)
    assert client.get(ADMIN_LIST).status_code == 403
    assert client.get(ADMIN_LIST + "export/").status_code == 403
    signed_in(client, administrator)
    assert client.get(ADMIN_LIST).status_code == 200
    event = record_event(kind=EventKind.MFA_FAILED, user=alice, outcome=Outcome.FAILURE)
    assert client.get(f"{ADMIN_LIST}{event.pk}/change/").status_code == 200  # a read-only view
    assert client.post(f"{ADMIN_LIST}{event.pk}/change/", {"username": "x"}).status_code == 403
    assert client.get(ADMIN_LIST + "add/").status_code == 403
    assert client.post(f"{ADMIN_LIST}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk, username="alice").exists()


def test_filters_and_the_csv_export_are_spreadsheet_safe(client, alice, administrator):
    signed_in(client, administrator)
    record_event(kind=EventKind.LOGIN_FAILED, request=request_from("198.51.100.1"), username="=HYPERLINK(\"x\")",
                 outcome=Outcome.FAILURE)
    record_event(kind=EventKind.LOGIN_FAILED, request=request_from("198.51.100.2"), username="-2+3",
                 outcome=Outcome.FAILURE)
    record_event(kind=EventKind.MFA_FAILED, request=request_from("198.51.100.1"), user=alice,
                 outcome=Outcome.FAILURE)
    today = timezone.localdate().isoformat()
    response = client.get(ADMIN_LIST + "export/", {"kind__exact": "login_failed", "address": "198.51.100.1",
                                                   "from_date": today, "to_date": today})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][4] == "'=HYPERLINK(\"x\")" and rows[1][5] == "198.51.100.1"
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    rows = list(csv.reader(io.StringIO(client.get(ADMIN_LIST + "export/", {"to_date": yesterday})
                                       .content.decode("utf-8-sig"))))
    assert len(rows) == 1
    listed = client.get(ADMIN_LIST, {"username": "alice", "outcome__exact": "failure", "q": "198.51"})
    assert listed.status_code == 200 and list(listed.context["cl"].queryset) == events(EventKind.MFA_FAILED)
    selected = client.post(ADMIN_LIST, {"action": "export_selected", "_selected_action": [
        event.pk for event in SecurityEvent.objects.filter(username="-2+3")]})
    assert "'-2+3" in selected.content.decode("utf-8-sig")


@pytest.mark.parametrize(("value", "safe"), [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
                                             ("alice", "alice"), ("", ""), (None, "")])
def test_spreadsheet_safe(value, safe):
    assert spreadsheet_safe(value) == safe


# --- retention -----------------------------------------------------------------------------------------

def test_purge_deletes_old_events_and_records_itself(alice, settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 30
    old = record_event(kind=EventKind.LOGIN, user=alice)
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    out = io.StringIO()
    call_command("purge_security_log", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["deleted"] == 1 and result["retention_days"] == 30
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    [purged] = events(EventKind.LOG_PURGED)
    assert purged.details["deleted"] == 1 and purged.pk == result["event_id"]


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="TRUNCATE triggers are PostgreSQL's (SQLite has no TRUNCATE); set DATABASE_URL")
def test_postgresql_refuses_truncate_of_the_security_log(alice):
    record_event(kind=EventKind.LOGIN, user=alice)
    role = f"truncate_probe_{os.getpid()}"
    with pytest.raises(Exception, match="cannot be truncated"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"CREATE ROLE {role} NOLOGIN")  # rolled back with the transaction
            cursor.execute(f"GRANT TRUNCATE ON security_securityevent TO {role}")
            cursor.execute(f"SET LOCAL ROLE {role}")
            cursor.execute("TRUNCATE security_securityevent")
    assert SecurityEvent.objects.exists()
