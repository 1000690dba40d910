"""Logging in as a demo user the way a person does: password, then the TOTP code where needed."""

import base64

from django_otp.oath import TOTP


def totp_now(secret_base32: str) -> str:
    return f"{TOTP(base64.b32decode(secret_base32)).token():06d}"


def log_in(client, demo: dict, username: str):
    credentials = demo["users"][username]
    response = client.post("/accounts/login/", {"username": username, "password": credentials["password"]})
    if "totp_secret" in credentials:
        assert response.status_code == 302 and response.url == "/accounts/login/otp/", response
        response = client.post("/accounts/login/otp/", {"token": totp_now(credentials["totp_secret"])})
    assert response.status_code == 302, response.content[:500]
    return response


def password_step(client, demo: dict, username: str):
    """The first step only: for a user with a second factor, the session then waits for it."""
    return client.post("/accounts/login/", {"username": username, "password": demo["users"][username]["password"]})


def enrol(client, demo: dict, username: str, code: str) -> tuple[str, list[str]]:
    """Set up an authenticator with an enrolment code, as a person does: password, code, then the
    first TOTP of the secret shown. Returns (secret, recovery codes shown)."""
    import re

    password_step(client, demo, username)
    response = client.post("/accounts/login/otp/", {"code": code})
    assert response.status_code == 302 and response.url == "/accounts/login/otp/", response.content[:500]
    secret = client.get("/accounts/login/otp/").context["secret"]
    response = client.post("/accounts/login/otp/", {"token": totp_now(secret)})
    assert response.status_code == 200, response.content[:500]
    return secret, response.context["codes"]
