"""Evidence files behind activity data, and the invoice drafts extracted from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Enterprise


class Evidence(models.Model):
    """An uploaded file (invoice, spreadsheet), stored once per enterprise by its SHA-256 and
    encrypted at rest with SM4 (see `ingestion.evidence.crypto`). `file` holds the ciphertext."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        SPREADSHEET = "spreadsheet", _("Spreadsheet")

    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="evidence", verbose_name=_("enterprise"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100,
                                    help_text=_("Judged from the content, never from the name."))
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    pages = models.PositiveIntegerField(_("pages"), default=1)
    file = models.FileField(_("stored file"), upload_to="evidence/%Y/%m/")
    encryption = models.CharField(_("encryption"), max_length=20, default="sm4-gcm")
    key_id = models.CharField(_("key id"), max_length=16, blank=True,
                              help_text=_("Which encryption key the file was stored with."))
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


class InvoiceDraft(models.Model):
    """An invoice on its way to becoming activity data: extracted by a task, corrected and
    confirmed by an officer. Only a confirmed draft has activity records."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for extraction")
        EXTRACTED = "extracted", _("Extracted, to be confirmed")
        FAILED = "failed", _("Extraction failed, enter the fields by hand")
        CONFIRMED = "confirmed", _("Confirmed")
        DISCARDED = "discarded", _("Discarded")

    OPEN_STATES = (Status.PENDING, Status.EXTRACTED, Status.FAILED)

    enterprise = models.ForeignKey(Enterprise, models.PROTECT, related_name="invoice_drafts",
                                   verbose_name=_("enterprise"))
    inventory = models.ForeignKey("inventories.Inventory", models.CASCADE, related_name="invoice_drafts",
                                  verbose_name=_("inventory"))
    evidence = models.ForeignKey(Evidence, models.PROTECT, related_name="invoice_drafts", verbose_name=_("evidence"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    extraction = models.JSONField(_("extraction"), null=True, blank=True,
                                  help_text=_("What the extractor read (docs/interfaces.md §3)."))
    error = models.TextField(_("extraction error"), blank=True)
    confirmed_data = models.JSONField(_("confirmed data"), null=True, blank=True)
    # The invoice's identity, from the extraction and then from the confirmed data.
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True, db_index=True)
    invoice_code = models.CharField(_("invoice code"), max_length=20, blank=True)
    seller_tax_id = models.CharField(_("seller tax id"), max_length=20, blank=True)
    duplicate_of = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("duplicate of"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # Confirmed although it did not pass the checks of ingestion/invoices/guardrails.py: what
    # did not fit ([{"code", "message"}]) and the officer's reason, shown to the verifier.
    overridden_checks = models.JSONField(_("checks overridden"), default=list, blank=True)
    override_reason = models.TextField(_("reason for overriding the checks"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invoice draft")
        verbose_name_plural = _("invoice drafts")
        constraints = [
            # One open or confirmed draft per file; a discarded one may be uploaded again.
            models.UniqueConstraint(fields=["evidence"], condition=~Q(status="discarded"),
                                    name="invoice_draft_one_per_file"),
            # The same invoice (number and seller) is counted once per enterprise, whatever the file.
            models.UniqueConstraint(fields=["enterprise", "seller_tax_id", "invoice_number"],
                                    condition=Q(status="confirmed"), name="invoice_confirmed_once"),
        ]

    def __str__(self):
        return self.invoice_number or f"#{self.pk}"
