"""Carbon-efficiency labels (enterprise) and product carbon-footprint labels.

A label is issued once and its signed payload never changes. What changes is its status:
active -> suspended -> active, or -> revoked (final); "expired" is computed from valid_until;
a newer label for the same subject and period supersedes (and revokes) the older one.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Enterprise, VerifierBody
from inventories.models import CalculationResult, Inventory, InventoryProduct

from .keys import SigningKey


class Label(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Carbon-efficiency label")
        PRODUCT = "product", _("Product carbon-footprint label")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    EXPIRED = "expired"  # computed, never stored

    identifier = models.CharField(_("identifier"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    inventory = models.ForeignKey(Inventory, models.PROTECT, related_name="labels", verbose_name=_("inventory"))
    result = models.ForeignKey(CalculationResult, models.PROTECT, related_name="+", verbose_name=_("result"))
    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="labels", verbose_name=_("enterprise"))
    product = models.ForeignKey(InventoryProduct, models.PROTECT, null=True, blank=True, related_name="labels",
                                verbose_name=_("product"))
    verifier_body = models.ForeignKey(VerifierBody, models.PROTECT, related_name="labels",
                                      verbose_name=_("verifier body"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    # Copies of signed figures, for queries (the payload is authoritative).
    figures = models.JSONField(_("figures"))
    intensity = models.DecimalField(_("carbon intensity L"), max_digits=20, decimal_places=6, null=True, blank=True)
    efficiency_value_k = models.DecimalField(_("carbon-efficiency value K"), max_digits=20, decimal_places=6,
                                             null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=10, blank=True)
    footprint_per_unit = models.DecimalField(_("footprint per declared unit (tCO2e)"), max_digits=24,
                                             decimal_places=9, null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    valid_until = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("issued by"))
    payload = models.TextField(_("signed payload"))
    signature = models.CharField(_("signature (base64)"), max_length=100)
    signing_key = models.ForeignKey(SigningKey, models.PROTECT, related_name="labels", verbose_name=_("signing key"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(_("reason of the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=True,
                                     help_text=_("False once a newer label for the same subject and period exists."))
    superseded_by = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="supersedes",
                                      verbose_name=_("superseded by"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period_start", "period_end"],
                condition=models.Q(kind="enterprise", is_current=True),
                name="label_one_current_enterprise_label",
            ),
            models.UniqueConstraint(
                fields=["product", "period_start", "period_end"],
                condition=models.Q(kind="product", is_current=True),
                name="label_one_current_product_label",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="enterprise", product__isnull=True)
                | models.Q(kind="product", product__isnull=False),
                name="label_product_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["kind", "period_start"], name="label_kind_period")]

    def __str__(self):
        return self.identifier

    def effective_status(self, today=None) -> str:
        """active | suspended | revoked | expired (a revoked label stays revoked after expiry)."""
        if self.status == self.Status.REVOKED:
            return self.status
        today = today or timezone.localdate()
        if today > self.valid_until:
            return self.EXPIRED
        return self.status


class LabelEvent(models.Model):
    """Append-only history of a label: issued, suspended, resumed, revoked, superseded."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SUSPENDED = "suspended", _("Suspended")
        RESUMED = "resumed", _("Resumed")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    label = models.ForeignKey(Label, models.CASCADE, related_name="events", verbose_name=_("label"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("actor"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["label", "at", "id"]
        verbose_name = _("label event")
        verbose_name_plural = _("label events")

    def __str__(self):
        return f"{self.label} {self.action}"
