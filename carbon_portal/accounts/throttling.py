"""Sign-in throttling per client address (THROTTLE_LOGIN_RATE): the portal's sign-in, second-step
and password-reset forms answer 429 with Retry-After once one address has posted to them more
often than the rate allows, whatever usernames it tries. django-axes locks a username only from
the address that failed (AXES_LOCKOUT_PARAMETERS), so nobody can lock another person out.
The address is the real client's (`carbon_portal.security.addresses.client_address`).
"""

from django.conf import settings
from django.shortcuts import render

from carbon_portal.core import rate_limit
from carbon_portal.security.addresses import client_address

THROTTLED_VIEWS = frozenset({"accounts:login", "accounts:login_otp", "accounts:password_reset"})


def throttled_response(request, wait: int):
    response = render(request, "accounts/throttled.html", {"wait_seconds": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


class LoginThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name not in THROTTLED_VIEWS:
            return None
        wait = rate_limit.hit("login", client_address(request) or "unknown", settings.THROTTLE_LOGIN_RATE)
        return throttled_response(request, wait) if wait else None
