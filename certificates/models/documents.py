"""Rendered documents: certificate PDFs, inventory reports (DOCX), verification statements."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from inventories.models import Inventory

from .labels import Label


class Document(models.Model):
    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate (PDF)")
        INVENTORY_REPORT = "inventory_report", _("Inventory report (DOCX)")
        VERIFICATION_STATEMENT = "verification_statement", _("Verification statement (PDF)")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    inventory = models.ForeignKey(Inventory, models.CASCADE, related_name="certificate_documents",
                                  verbose_name=_("inventory"))
    label = models.ForeignKey(Label, models.CASCADE, null=True, blank=True, related_name="documents",
                              verbose_name=_("label"))
    file = models.FileField(_("file"), upload_to="certificates/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="certificate", label__isnull=False) | ~models.Q(kind="certificate"),
                name="document_certificate_has_label",
            ),
        ]

    def __str__(self):
        return self.filename
