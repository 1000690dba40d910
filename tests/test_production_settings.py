"""carbon_portal/settings/production.py, imported (in a fresh interpreter) with the variables a
deployment sets: HTTPS only, HSTS, secure cookies, a CSP without inline script, a private API
schema; and what the development settings leave public (the schema) or closed (Wagtail's admin API)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
         "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_REFERRER_POLICY",
         "CONTENT_SECURITY_POLICY", "MIDDLEWARE", "API_SCHEMA_PUBLIC", "SESSION_COOKIE_AGE",
         "SESSION_IDLE_TIMEOUT_SECONDS", "API_TOKEN_TTL_DAYS", "AXES_LOCKOUT_PARAMETERS", "AXES_CLIENT_IP_CALLABLE"]


def production(**extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "API_", "SESSION_"))}
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL="postgres://portal@db.invalid:5432/portal",
               **extra)
    code = (f"import json, carbon_portal.settings.production as s; "
            f"print(json.dumps({{name: getattr(s, name) for name in {NAMES!r}}}, default=str))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_is_https_only_with_hsts_and_a_csp():
    values = production()
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert "csp.middleware.CSPMiddleware" in values["MIDDLEWARE"]
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert all("unsafe" not in source for source in directives["script-src"] + directives["default-src"])
    assert directives["frame-ancestors"] == ["'none'"]
    assert values["API_SCHEMA_PUBLIC"] is False
    assert values["SESSION_COOKIE_AGE"] == 12 * 3600 and values["SESSION_IDLE_TIMEOUT_SECONDS"] == 1800
    assert values["API_TOKEN_TTL_DAYS"] == 30
    assert values["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]
    assert values["AXES_CLIENT_IP_CALLABLE"] == "carbon_portal.security.addresses.client_address"


def test_production_values_come_from_the_environment():
    values = production(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="3600", API_SCHEMA_PUBLIC="1",
                        SESSION_IDLE_TIMEOUT_SECONDS="600", SESSION_COOKIE_AGE="7200", API_TOKEN_TTL_DAYS="7")
    assert values["SECURE_SSL_REDIRECT"] is False and values["SECURE_HSTS_SECONDS"] == 3600
    assert values["API_SCHEMA_PUBLIC"] is True
    assert (values["SESSION_IDLE_TIMEOUT_SECONDS"], values["SESSION_COOKIE_AGE"]) == (600, 7200)
    assert values["API_TOKEN_TTL_DAYS"] == 7


def test_the_portal_has_no_inline_script():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and " onchange=" not in text and " onclick=" not in text, template


@pytest.mark.django_db
def test_the_schema_is_for_signed_in_users_when_not_public(client, settings, django_user_model):
    settings.API_SCHEMA_PUBLIC = False
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    assert client.get("/api/v1/docs/").status_code in (401, 403)
    client.force_login(django_user_model.objects.create_user(username="reader", password="A long passphrase 1"))
    assert client.get("/api/v1/schema/").status_code == 200
    settings.API_SCHEMA_PUBLIC = True
    client.logout()
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/cms/api/" not in schema.content and b"/api/v1/auth/tokens" in schema.content


@pytest.mark.django_db
def test_wagtails_admin_api_is_behind_the_admin_login(client):
    for path in ("/cms/api/main/pages/", "/cms/api/main/documents/", "/cms/api/main/images/"):
        response = client.get(path)
        assert response.status_code in (302, 401, 403), path
        if response.status_code == 302:
            assert "login" in response.url
