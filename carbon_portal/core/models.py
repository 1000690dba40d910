"""Core infrastructure tables: the transactional outbox and the API's idempotency keys."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A side effect to carry out after a change, written in the change's transaction and delivered
    by carbon_portal/core/outbox.py (at least once; handlers are idempotent)."""

    topic = models.CharField(_("topic"), max_length=100)
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    available_at = models.DateTimeField(_("available at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["available_at", "id"], condition=Q(delivered_at__isnull=True),
                                name="core_outbox_undelivered")]

    def __str__(self):
        return f"{self.topic} #{self.pk}"


class IdempotencyKey(models.Model):
    """The stored answer to an API write made with an `Idempotency-Key` header
    (carbon_portal/api/idempotency.py); kept 24 hours."""

    owner = models.CharField(_("owner"), max_length=100, help_text=_("user:<id> or device:<id>"))
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=2000)
    request_hash = models.CharField(_("request hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    body = models.BinaryField(_("body"), blank=True, default=b"")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="core_idempotency_owner_key")]
        indexes = [models.Index(fields=["expires_at"], name="core_idempotency_expiry")]


class FormToken(models.Model):
    """A one-time token of a portal form (carbon_portal/site/form_tokens.py): issued with the form,
    consumed by its first successful POST, which stores where it led."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=100)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    redirect_to = models.CharField(_("redirect to"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("form token")
        verbose_name_plural = _("form tokens")


class Region(models.Model):
    """An administrative division of GB/T 2260 (province, prefecture or county level), loaded from
    fixtures/regions_gbt2260.json by migration 0003 (docs/reference.md, "Region codes").
    Reference data: read it through carbon_portal/core/regions.py."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        PREFECTURE = "prefecture", _("prefecture")
        COUNTY = "county", _("county")

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative region")
        verbose_name_plural = _("administrative regions")

    def __str__(self):
        return f"{self.code} {self.name}"
