"""Credentials of meter devices and gateways."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Enterprise


class DeviceKey(models.Model):
    """A meter device's credential (`Authorization: Device <key>`), limited to its own meters.
    Only the key's SHA-256 is stored; the key itself is shown once when it is made."""

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="device_keys",
                                   verbose_name=_("enterprise"))
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
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
