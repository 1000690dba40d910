"""Spreadsheet imports and their reports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Enterprise

from .evidence import Evidence


class ImportBatch(models.Model):
    """One imported spreadsheet: what was accepted and what was refused, row by row.
    A file that could not be imported at all leaves no batch and no data behind."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Activity data")
        READINGS = "readings", _("Meter readings")

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="import_batches",
                                   verbose_name=_("enterprise"))
    inventory = models.ForeignKey("inventories.Inventory", models.CASCADE, null=True, blank=True,
                                  related_name="import_batches", verbose_name=_("inventory"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    evidence = models.ForeignKey(Evidence, models.PROTECT, related_name="import_batches", verbose_name=_("file"))
    rows = models.PositiveIntegerField(_("rows"))
    accepted = models.PositiveIntegerField(_("accepted"))
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    refused = models.JSONField(_("refused rows"), default=list,
                               help_text=_("[{row, error}], row numbers as in the spreadsheet."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("imported by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def as_report(self) -> dict:
        return {"id": self.pk, "kind": self.kind, "rows": self.rows, "accepted": self.accepted,
                "duplicates": self.duplicates, "refused": self.refused}
