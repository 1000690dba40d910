"""Evidence files behind activity data, and meter devices' keys."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Enterprise


class Evidence(models.Model):
    """An uploaded file (invoice, meter export), stored once per enterprise by its SHA-256."""

    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="evidence", verbose_name=_("enterprise"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    file = models.FileField(_("stored file"), upload_to="evidence/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [models.UniqueConstraint(fields=["enterprise", "sha256"], name="evidence_stored_once")]

    def __str__(self):
        return self.original_name


class DeviceKey(models.Model):
    """A meter device's credential (`Authorization: Device <key>`), limited to its own meters.
    Only the key's SHA-256 is stored; the key itself is shown once when it is made."""

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="device_keys",
                                   verbose_name=_("enterprise"))
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    meters = models.ManyToManyField("inventories.Meter", related_name="device_keys", verbose_name=_("meters"))
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("device key")
        verbose_name_plural = _("device keys")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="device_key_unique_name")]

    def __str__(self):
        return f"{self.enterprise} · {self.name}"
