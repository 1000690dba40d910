"""Session lifetime: a signed-in session ends after SESSION_IDLE_TIMEOUT_SECONDS without a request
and, at the latest, SESSION_COOKIE_AGE after signing in (Django renews the cookie's age on every
save of the session, so the absolute limit is kept here, from the time of signing in).

The time of the last request is written at most once a minute (or once a tenth of the idle
timeout, if shorter), so a busy session is not saved on every request.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

from .reauth import mark_fresh

SIGNED_IN_AT = "_portal_signed_in_at"
LAST_SEEN_AT = "_portal_last_seen_at"


def mark_signed_in(sender=None, request=None, user=None, **kwargs) -> None:
    """`user_logged_in` receiver: the session's life starts now (and so does its fresh sign-in)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now
    mark_fresh(request, now)


def expired(session, now: int) -> bool:
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
    idle = settings.SESSION_IDLE_TIMEOUT_SECONDS
    if idle and last_seen_at is not None and now - last_seen_at > idle:
        return True
    return bool(signed_in_at is not None and now - signed_in_at > settings.SESSION_COOKIE_AGE)


class SessionIdleTimeoutMiddleware:
    """After AuthenticationMiddleware: signs out an idle or too old session, else notes the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            session, now = request.session, int(time.time())
            if expired(session, now):
                logout(request)
                request.session_expired = True
            else:
                if SIGNED_IN_AT not in session:  # signed in before this middleware was there
                    session[SIGNED_IN_AT] = now
                idle = settings.SESSION_IDLE_TIMEOUT_SECONDS or 600
                if now - session.get(LAST_SEEN_AT, 0) >= min(60, max(1, idle // 10)):
                    session[LAST_SEEN_AT] = now
        return self.get_response(request)
