"""Which meters the caller of an API may write or see: a device key its own meters, a user
by role (officers write their enterprise's meters; officers and reviewers see them)."""

from django.db.models import QuerySet
from rest_framework.settings import api_settings

from inventories.models import Meter
from inventories.selectors import meters_visible_to

from carbon_portal.api.ingestion.authentication import DeviceKeyAuthentication
from ingestion.models import DeviceKey
from ingestion.readings.selectors import meters_of_device_key, meters_writable_by

# Device keys first, so that an unauthenticated call is told to send one (WWW-Authenticate);
# then whatever the portal's users authenticate with.
DEVICE_OR_USER = [DeviceKeyAuthentication, *api_settings.DEFAULT_AUTHENTICATION_CLASSES]


def writable_meters(request) -> QuerySet[Meter]:
    if isinstance(request.auth, DeviceKey):
        return meters_of_device_key(request.auth)
    return meters_writable_by(request.user)


def visible_meters(request) -> QuerySet[Meter]:
    if isinstance(request.auth, DeviceKey):
        return meters_of_device_key(request.auth)
    return meters_visible_to(request.user)
