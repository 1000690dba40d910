"""Writing the security event log.

`record_event` is the one way in: the receivers of this app (sign-ins, tokens, people and
roles), the permission middleware, the download views and the second-factor check call it.
The request, when there is one, gives the client address (`addresses.client_address`), the user
agent and the path; signal receivers that get no request find the one being served through
`current_request()`, set by `SecurityEventMiddleware`.
"""

import contextvars
import json

from django.core.serializers.json import DjangoJSONEncoder

from .addresses import client_address
from .models import EventKind, Outcome, SecurityEvent

USER_AGENT_MAX = 255
PATH_MAX = 500
_current_request = contextvars.ContextVar("security_current_request", default=None)


def current_request():
    """The request this thread or task is serving (None outside a request)."""
    return _current_request.get()


def set_current_request(request):
    """Set by the middleware; returns the token to reset it with."""
    return _current_request.set(request)


def reset_current_request(token) -> None:
    _current_request.reset(token)


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _authenticated(user):
    return user if user is not None and getattr(user, "is_authenticated", False) and user.pk else None


def record_event(*, kind: str, request=None, user=None, username: str = "", outcome: str = Outcome.SUCCESS,
                 **details) -> SecurityEvent:
    """Append one event to the security log and return it.

    kind: an `EventKind` value (e.g. EventKind.MFA_FAILED, "mfa_failed").
    request: the request being served; defaults to the current one (middleware), may be None.
    user: the account concerned (who acted or, for a sign-in, whose account); defaults to the
        request's authenticated user.
    username: the user name as typed (a failed sign-in may name no account); defaults to the user's.
    outcome: Outcome.SUCCESS, FAILURE or DENIED.
    details: anything else worth keeping, as JSON (never passwords, codes or token keys).
    """
    if kind not in EventKind.values:
        raise ValueError(f"unknown security event kind {kind!r}")
    if outcome not in Outcome.values:
        raise ValueError(f"unknown security event outcome {outcome!r}")
    request = request if request is not None else current_request()
    user = _authenticated(user) or (_authenticated(getattr(request, "user", None)) if request is not None else None)
    if not username and user is not None:
        username = user.get_username()
    address = user_agent = path = ""
    if request is not None:
        address = client_address(request) or ""
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
        path = request.path[:PATH_MAX]
    return SecurityEvent.objects.create(
        kind=kind,
        outcome=outcome,
        user=user,
        username=(username or "")[:150],
        address=address or None,
        user_agent=user_agent,
        path=path,
        details=json.loads(json.dumps(details, cls=_Encoder)),
    )
