"""`Authorization: Device <key>` for meter devices and gateways (docs/interfaces.md §4).

A device is not a person: it authenticates as a `DevicePrincipal` that has no roles and no
memberships, and `request.auth` is its `DeviceKey`. Only the readings and meter endpoints
accept it, and there it is limited to the key's own meters.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from carbon_portal.accounts.models import Membership

from ingestion.device_keys import hash_device_key
from ingestion.models import DeviceKey

KEYWORD = b"device"
TOUCH_EVERY = datetime.timedelta(minutes=1)


class DevicePrincipal:
    """`request.user` for a device key."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = id = None
    roles: set = frozenset()

    def __init__(self, device_key: DeviceKey):
        self.device_key = device_key
        self.enterprise_id = device_key.enterprise_id
        self.username = f"device:{device_key.name}"

    def __str__(self):
        return self.username

    @property
    def memberships(self):
        return Membership.objects.none()

    def has_perm(self, *args, **kwargs) -> bool:
        return False


class DeviceKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the header as: Authorization: Device <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Invalid device key.")) from None
        device_key = (DeviceKey.objects.select_related("enterprise")
                      .filter(key_hash=hash_device_key(key), revoked_at__isnull=True).first())
        if device_key is None:
            raise AuthenticationFailed(_("Invalid or revoked device key."))
        now = timezone.now()
        if device_key.last_used_at is None or now - device_key.last_used_at > TOUCH_EVERY:
            DeviceKey.objects.filter(pk=device_key.pk).update(last_used_at=now)
        return DevicePrincipal(device_key), device_key

    def authenticate_header(self, request) -> str:
        return "Device"


class DeviceKeyScheme(OpenApiAuthenticationExtension):
    target_class = "carbon_portal.api.ingestion.authentication.DeviceKeyAuthentication"
    name = "deviceKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Device <key>: a meter device's key, limited to its own meters."}
