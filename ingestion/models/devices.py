"""Credentials of meter devices and gateways."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Enterprise

from ..device_keys import hash_device_key, mosquitto_hash


class DeviceKey(models.Model):
    """A meter device's credential (`Authorization: Device <key>`), limited to its own meters.
    Only the key's SHA-256 is stored, and for the MQTT broker its Mosquitto password hash (the
    device's MQTT user is `device-<id>`, its password the key: `manage.py mosquitto_config`);
    the key itself is shown once when it is made (`set_key`)."""

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="device_keys",
                                   verbose_name=_("enterprise"))
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    mqtt_password_hash = models.CharField(_("MQTT password hash"), max_length=200, blank=True, editable=False)
    meters = models.ManyToManyField("inventories.Meter", related_name="device_keys", verbose_name=_("meters"))
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("device key")
        verbose_name_plural = _("device keys")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="device_key_unique_name")]

    def __str__(self):
        return f"{self.enterprise} · {self.name}"

    def set_key(self, key: str) -> None:
        """Store what checks ``key`` (HTTP: its SHA-256; MQTT: its Mosquitto hash), never the key."""
        self.key_hash = hash_device_key(key)
        self.mqtt_password_hash = mosquitto_hash(key)

    @property
    def mqtt_username(self) -> str:
        return f"device-{self.pk}"
