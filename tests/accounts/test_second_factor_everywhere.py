"""No session of a user who needs a second factor is accepted anywhere until it passed that factor:
every URL pattern of the project, each login page, the API with a session."""

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

try:  # Python 3.11+
    from re import _constants as sre_constants, _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants
    import sre_parse

from carbon_portal.accounts.models import User
from inventories.models import Inventory
from tests.login import log_in

MFA_USERS = ["admin", "verifier_1", "gov_1"]

# What anyone may open: the log-in and password reset, static files, the language switch, the
# public label pages and label API, the public keys, the API token endpoint and schema, public
# Wagtail pages (and their page-password form), the Wagtail admin's icons and script translations.
PUBLIC_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/password/reset/", "/static/", "/i18n/",
                   "/id/", "/api/v1/labels/", "/api/v1/keys", "/api/v1/auth/token", "/api/v1/schema/",
                   "/api/v1/docs/", "/_util/", "/cms/sprite", "/cms/jsi18n/")
PUBLIC_URL_NAMES = {"wagtail_serve"}
PUBLIC_VIEW_NAMES = {"joining:apply", "joining:applied"}  # an enterprise applies to join without an account


# --- Every URL pattern, with plausible values ------------------------------------------------------

def _walk(patterns, prefix=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + (pattern.pattern,))
        else:
            yield prefix + (pattern.pattern,)


def _sample_from_regex(parsed) -> str:
    """The shortest plausible string the parsed regex matches (first branch, minimal repeats)."""
    out = []
    for op, arg in parsed:
        if op is sre_constants.LITERAL:
            out.append(chr(arg))
        elif op is sre_constants.ANY:
            out.append("x")
        elif op is sre_constants.IN:
            kinds = {item[0] for item in arg}
            if sre_constants.LITERAL in kinds:
                out.append(chr(next(item[1] for item in arg if item[0] is sre_constants.LITERAL)))
            elif sre_constants.RANGE in kinds:
                out.append(chr(next(item[1][0] for item in arg if item[0] is sre_constants.RANGE)))
            else:
                category = next(item[1] for item in arg if item[0] is sre_constants.CATEGORY)
                out.append("1" if category is sre_constants.CATEGORY_DIGIT else "x")
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, _high, sub = arg
            out.append(_sample_from_regex(sub) * max(low, 0))
        elif op is sre_constants.BRANCH:
            out.append(_sample_from_regex(arg[1][0]))
        elif op is sre_constants.SUBPATTERN:
            out.append(_sample_from_regex(arg[3]))
        elif op is sre_constants.AT:
            pass
        else:
            raise AssertionError(f"no sample for regex op {op}: add it to the test")
    return "".join(out)


def _fill(part, values) -> str:
    if isinstance(part, RoutePattern):
        def value(match):
            converter, name = match.group(1) or "str", match.group(2)
            if name in values:
                return str(values[name])
            return {"int": "1", "path": "1", "uuid": str(uuid.uuid4())}.get(converter, "x")
        return re.sub(r"<(?:(\w+):)?(\w+)>", value, str(part))
    if isinstance(part, RegexPattern):
        return _sample_from_regex(sre_parse.parse(part.regex.pattern))
    return str(part)  # a locale prefix, if there ever is one


def every_url(values) -> list[str]:
    urls = []
    for parts in _walk(get_resolver().url_patterns):
        url = "/" + "".join(_fill(part, values) for part in parts)
        if url not in urls:
            urls.append(url)
    return urls


def is_public(url: str) -> bool:
    match = resolve(url)
    return url.startswith(PUBLIC_PREFIXES) or match.url_name in PUBLIC_URL_NAMES or match.view_name in PUBLIC_VIEW_NAMES


@pytest.fixture
def values(demo):
    inventory = Inventory.objects.get(enterprise__memberships__user__username="officer_a", year=2025)
    return {"inventory_id": inventory.pk, "pk": inventory.pk, "identifier": demo["meters"]["A"][0],
            "object_id": User.objects.get(username="officer_a").pk, "app_label": "accounts", "model_name": "user",
            "kind": "activity", "extension": "csv", "uidb64": "MQ", "token": "set-password", "page_id": 2,
            "filter_spec": "original"}


def password_only_session(client, user):
    """What a login page that asks only for the password leaves behind: the user in the session and
    no second factor (django-otp's device key absent)."""
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def test_the_walk_finds_every_area_and_each_url_resolves(values):
    urls = every_url(values)
    assert len(urls) > 300
    for prefix in ("/django-admin/", "/cms/", "/documents/", "/api/v1/", "/portal/", "/id/", "/accounts/"):
        assert any(url.startswith(prefix) for url in urls), prefix
    for url in urls:
        resolve(url)  # raises Resolver404 for a badly filled pattern


@pytest.mark.parametrize("username", MFA_USERS)
def test_no_url_answers_a_password_only_session(values, username):
    user = User.objects.get(username=username)
    client = Client()
    answered = []
    for url in every_url(values):
        password_only_session(client, user)
        status = client.get(url).status_code
        if 200 <= status < 300 and not is_public(url):
            answered.append((url, status))
    assert answered == []
    # And the session is gone: the next request is anonymous.
    password_only_session(client, user)
    client.get("/portal/")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("username", MFA_USERS)
def test_the_password_step_alone_opens_nothing(demo, values, username):
    """The attacker's way in: the right password at the first step, then every URL."""
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": demo["users"][username]["password"]})
    answered = [url for url in every_url(values) if not is_public(url) and 200 <= client.get(url).status_code < 300]
    assert answered == []


# --- The other login pages ------------------------------------------------------------------------

def leads_to_login(url: str, next_url: str) -> bool:
    parts = urlsplit(url)
    return parts.path == "/accounts/login/" and parse_qs(parts.query) == {"next": [next_url]}


@pytest.mark.parametrize(("login_url", "target"), [("/cms/login/", "/cms/"), ("/django-admin/login/", "/django-admin/"),
                                                   ("/_util/login/", "/")])
def test_other_login_pages_send_to_the_two_step_login(demo, login_url, target):
    client = Client()
    response = client.get(login_url)
    assert response.status_code == 302 and leads_to_login(response.url, target)
    response = client.post(f"{login_url}?next={target}", {"username": "admin",
                                                          "password": demo["users"]["admin"]["password"]})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    for admin_url in ("/cms/", "/django-admin/"):
        response = client.get(admin_url, follow=True)
        assert leads_to_login(response.redirect_chain[-1][0], admin_url)
        assert response.status_code == 200 and response.context["form"].fields.keys() == {"username", "password"}


def test_the_admin_pages_open_after_the_two_step_login(demo):
    client = Client()
    response = client.get("/cms/", follow=True)
    assert leads_to_login(response.redirect_chain[-1][0], "/cms/")
    log_in(client, demo, "admin")
    assert client.get("/cms/").status_code == 200
    assert client.get("/django-admin/").status_code == 200
    # Already logged in: the admin login pages go back where they lead.
    response = client.get("/accounts/login/?next=/cms/")
    assert response.status_code == 302 and response.url == "/cms/"


@pytest.mark.parametrize("admin_url", ["/cms/", "/django-admin/", "/cms/login/", "/django-admin/login/"])
def test_a_user_without_admin_access_is_refused_not_looped(demo, admin_url):
    client = Client()
    log_in(client, demo, "officer_a")
    response = client.get(admin_url, follow=True)
    assert response.status_code == 403 and len(response.redirect_chain) <= 3


# --- The API -------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", MFA_USERS)
@pytest.mark.parametrize("url", ["/api/v1/meters", "/api/v1/meters/B-ELEC-01/readings", "/api/v1/engagements"])
def test_the_api_refuses_a_password_only_session(demo, username, url):
    client = Client()
    password_only_session(client, User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 403 and response.json()["code"] == "mfa_required"
    assert "_auth_user_id" not in client.session


def test_posting_readings_with_a_password_only_session_stores_nothing(demo):
    from ingestion.models import Reading

    client = Client()
    password_only_session(client, User.objects.get(username="admin"))
    before = Reading.objects.count()
    response = client.post("/api/v1/readings", {"readings": [
        {"meter": "B-ELEC-01", "ts": "2025-03-01T00:00:00+08:00", "value": "1"}]}, content_type="application/json")
    assert response.status_code == 403
    assert Reading.objects.count() == before


def test_a_device_key_still_works_beside_a_stale_session(demo):
    client = Client()
    password_only_session(client, User.objects.get(username="admin"))
    response = client.get("/api/v1/meters", HTTP_AUTHORIZATION=f"Device {demo['device_keys']['B']}")
    assert response.status_code == 200
    assert "B-ELEC-01" in response.content.decode() and "A-ELEC-01" not in response.content.decode()


def test_a_verified_session_uses_the_api(demo):
    client = Client()
    log_in(client, demo, "admin")
    assert client.get("/api/v1/meters").status_code == 200


def test_every_api_view_keeps_the_default_permission_unless_public():
    """A view that names its own permissions opens up; only the public ones may."""
    from rest_framework.settings import api_settings

    public = {"LabelDetailApi", "LabelNotFoundApi", "KeysApi", "TokenLoginApi", "UnknownPath",
              "SpectacularAPIView", "SpectacularSwaggerView", "SpectacularSwaggerSplitView"}  # schema and docs
    opened = set()
    for parts in _walk(get_resolver().url_patterns):
        url = "/" + "".join(_fill(part, {}) for part in parts)
        if not url.startswith("/api/"):
            continue
        view_class = getattr(resolve(url).func, "cls", None)
        if view_class is not None and view_class.permission_classes != api_settings.DEFAULT_PERMISSION_CLASSES:
            opened.add(view_class.__name__)
    assert opened <= public
