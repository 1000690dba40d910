"""The API's throttles, counted in the default cache (carbon_portal/core/rate_limit.py).

- `TokenThrottle` (the token endpoint): per client address, THROTTLE_TOKEN_RATE.
- `UserWriteThrottle` (default): writes (POST, PUT, PATCH, DELETE) per user, THROTTLE_WRITE_RATE.
- `DeviceWriteThrottle` (default): writes per device key, THROTTLE_DEVICE_RATE.

The client address is the real client's behind the trusted proxies (TRUSTED_PROXIES,
`carbon_portal.security.addresses.client_address`), never a header the client may forge.
Beyond the rate the API answers 429 with Retry-After (DRF's Throttled, through api/errors.py).
The rates are read from the settings on every request.
"""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from carbon_portal.core import rate_limit
from carbon_portal.security.addresses import client_address

from .ingestion.authentication import DeviceKeyAuthentication

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class PortalThrottle(BaseThrottle):
    scope = ""
    rate_setting = ""

    def get_ident(self, request):
        return client_address(getattr(request, "_request", request)) or "unknown"

    def identity(self, request) -> str | None:
        """Who is counted; None: this request is not counted by this throttle."""
        return self.get_ident(request)

    def allow_request(self, request, view):
        ident = self.identity(request)
        self._wait = 0
        if ident is None:
            return True
        self._wait = rate_limit.hit(self.scope, ident, getattr(settings, self.rate_setting))
        return not self._wait

    def wait(self):
        return self._wait or None


class TokenThrottle(PortalThrottle):
    scope = "token"
    rate_setting = "THROTTLE_TOKEN_RATE"


class UserWriteThrottle(PortalThrottle):
    scope = "write"
    rate_setting = "THROTTLE_WRITE_RATE"

    def identity(self, request):
        if request.method in SAFE_METHODS or isinstance(request.successful_authenticator, DeviceKeyAuthentication):
            return None
        user = request.user
        return f"user:{user.pk}" if user and user.is_authenticated else f"address:{self.get_ident(request)}"


class DeviceWriteThrottle(PortalThrottle):
    scope = "device"
    rate_setting = "THROTTLE_DEVICE_RATE"

    def identity(self, request):
        if request.method in SAFE_METHODS or not isinstance(request.successful_authenticator, DeviceKeyAuthentication):
            return None
        return f"key:{request.auth.pk}"
