"""Device keys: made once and shown once; only their SHA-256 is stored."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _


def new_device_key() -> str:
    return "dk_" + secrets.token_urlsafe(32)


def hash_device_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_device_key(*, enterprise, name: str, meters) -> tuple:
    """A new key for `meters` (all of `enterprise`); returns (DeviceKey, the key to hand over)."""
    from .models import DeviceKey

    meters = list(meters)
    if any(meter.enterprise_id != enterprise.pk for meter in meters):
        raise ValidationError(_("A device key may only write meters of its own enterprise."))
    if DeviceKey.objects.filter(enterprise=enterprise, name=name).exists():
        raise ValidationError(_("The enterprise already has a device key named %(name)s.") % {"name": name})
    raw_key = new_device_key()
    device_key = DeviceKey.objects.create(enterprise=enterprise, name=name, key_hash=hash_device_key(raw_key))
    device_key.meters.set(meters)
    return device_key, raw_key


@transaction.atomic
def revoke_device_key(*, device_key) -> None:
    type(device_key).objects.filter(pk=device_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
