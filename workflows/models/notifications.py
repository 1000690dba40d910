"""In-portal notices: who must act next on an inventory, and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications",
                                  verbose_name=_("recipient"))
    inventory = models.ForeignKey("inventories.Inventory", models.CASCADE, null=True, blank=True,
                                  related_name="notifications", verbose_name=_("inventory"))
    verb = models.CharField(_("event"), max_length=40, help_text=_("The transition or event that happened."))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("by"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="workflows_notice_inbox")]

    def __str__(self):
        return f"{self.recipient}: {self.verb}"

    @property
    def message(self) -> str:
        """The notice in the active language (rendered when shown, not when stored)."""
        from ..notifications import message_for

        return message_for(self)
