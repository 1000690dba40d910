"""A meter's device keys: listed, issued (the key is shown once, then only its hashes are kept)
and revoked (at once: the key is refused from then on, over HTTP and, once the broker's password
file is regenerated, over MQTT). Officers of the meter's enterprise issue and revoke; whoever
sees the meter sees its keys' names and dates, never a key."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from carbon_portal.core.errors import InvalidInput, NotFound, PermissionDenied
from carbon_portal.core.text import control_character, control_character_message
from inventories.master_data import meter_for
from inventories.models import Meter
from inventories.policies import is_officer_of

from .device_keys import new_device_key
from .models import DeviceKey


def device_keys_of(meter: Meter) -> QuerySet[DeviceKey]:
    """The keys allowed to write `meter` (revoked ones too, newest first)."""
    return DeviceKey.objects.filter(meters=meter, enterprise_id=meter.enterprise_id).order_by("-created_at", "-pk")


def _ensure_officer(actor, meter: Meter) -> None:
    if not is_officer_of(actor, meter.enterprise_id):
        raise PermissionDenied(_("Only the enterprise's carbon officers issue and revoke device keys."))


@transaction.atomic
def issue_device_key(*, actor, meter_identifier: str, name) -> tuple[DeviceKey, str]:
    """A new key for the meter; answers the key with the record: the only time it is known."""
    meter = meter_for(actor, meter_identifier)
    _ensure_officer(actor, meter)
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(_("name: this field is required."))
    name = name.strip()
    character = control_character(name, multiline=False)
    if character:
        raise InvalidInput(f"name: {control_character_message(_('Name'), character)}")
    if len(name) > 100:
        raise InvalidInput(_("%(field)s: at most %(max)d characters.") % {"field": "name", "max": 100})
    if DeviceKey.objects.filter(enterprise_id=meter.enterprise_id, name=name).exists():
        raise InvalidInput(_("name: the enterprise already has a device key of this name."), code="duplicate")
    key = new_device_key()
    device_key = DeviceKey(enterprise_id=meter.enterprise_id, name=name)
    device_key.set_key(key)
    device_key.save()
    device_key.meters.add(meter)
    return device_key, key


@transaction.atomic
def revoke_device_key(*, actor, meter_identifier: str, key_id) -> DeviceKey:
    """Revoke one of the meter's keys (for every meter it writes); revoking twice changes nothing."""
    meter = meter_for(actor, meter_identifier)
    _ensure_officer(actor, meter)
    key_pk = key_id if isinstance(key_id, int) else int(key_id) if str(key_id).isascii() and str(key_id).isdigit() else -1
    device_key = device_keys_of(meter).select_for_update(of=("self",)).filter(pk=key_pk).first()
    if device_key is None:
        raise NotFound(_("No such device key."))
    if device_key.revoked_at is None:
        device_key.revoked_at = timezone.now()
        device_key.save(update_fields=["revoked_at"])
    return device_key
