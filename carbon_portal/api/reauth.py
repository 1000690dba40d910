"""Fresh re-authentication in the API, before certifying an inventory and before revoking or
suspending a label (as in the portal: carbon_portal/accounts/reauth.py).

A request passes when, within the last REAUTH_MAX_AGE_MINUTES, its token was issued (so sign in
again at `POST /api/v1/auth/token`), or its browser session confirmed the password; or when it
carries the password itself in the header `X-Reauth-Password` (and, for a role with a second
factor, the current code in `X-Reauth-OTP`). Otherwise it is refused with 403 and
`code: "reauthentication_required"`. A wrong password counts towards the django-axes lockout.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from carbon_portal.accounts.mfa import confirmed_totp_device, verify_second_factor
from carbon_portal.accounts.reauth import is_fresh
from carbon_portal.core.errors import PermissionDenied

PASSWORD_HEADER = "X-Reauth-Password"
OTP_HEADER = "X-Reauth-OTP"
CODE = "reauthentication_required"


def _password_given(request) -> bool:
    password = request.headers.get(PASSWORD_HEADER)
    if not password:
        return False
    user, http_request = request.user, request._request
    authenticated = authenticate(http_request, username=user.get_username(), password=password)
    http_request.axes_locked_out = False  # answered here, in JSON, never by the lockout page
    if authenticated is None or authenticated.pk != user.pk:
        return False
    if user.requires_mfa and confirmed_totp_device(user) is not None:
        return verify_second_factor(user, request.headers.get(OTP_HEADER, "")) is not None
    return True


def require_fresh_authentication(request) -> None:
    """Raise PermissionDenied (403, "reauthentication_required") unless the caller authenticated
    within REAUTH_MAX_AGE_MINUTES or sends the password now."""
    window = timedelta(minutes=settings.REAUTH_MAX_AGE_MINUTES)
    auth = request.auth
    if isinstance(auth, AuthToken) and timezone.now() - auth.created <= window:
        return
    if auth is None and hasattr(request._request, "session") and is_fresh(request._request):
        return
    if _password_given(request):
        return
    raise PermissionDenied(
        _("This step needs a recent sign-in: get a new token, or send your password in the X-Reauth-Password "
          "header (and your one-time password in X-Reauth-OTP)."), code=CODE)
