"""Findings (不符合项): non-conformities a verifier raises against activity records or results.

open -> responded -> closed, and responded or closed -> open again when reopened. A finding
that is not closed is unresolved: `verify` waits for none, and while corrections are requested
the records it points at are the only data the enterprise may change.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from ..choices import UNRESOLVED_FINDING_STATES, FindingStatus

S = FindingStatus


class FindingQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(status__in=UNRESOLVED_FINDING_STATES)

    def awaiting_response(self):
        return self.filter(status=S.OPEN)


class Finding(FSMModelMixin, models.Model):
    engagement = models.ForeignKey("workflows.Engagement", models.PROTECT, related_name="findings",
                                   verbose_name=_("engagement"))
    inventory = models.ForeignKey("inventories.Inventory", models.PROTECT, related_name="findings",
                                  verbose_name=_("inventory"))
    number = models.PositiveIntegerField(_("number"))
    status = FSMField(_("status"), max_length=20, choices=FindingStatus.choices, default=S.OPEN, protected=True)
    reason = models.TextField(_("reason"))
    activity_records = models.ManyToManyField("inventories.ActivityRecord", blank=True, related_name="findings",
                                              verbose_name=_("activity records"))
    result_lines = models.ManyToManyField("inventories.ResultLine", blank=True, related_name="findings",
                                          verbose_name=_("result lines"))
    response = models.TextField(_("enterprise's response"), blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                  verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("responded by"))
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["engagement", "number"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [models.UniqueConstraint(fields=["engagement", "number"], name="finding_number_unique")]
        indexes = [models.Index(fields=["inventory", "status"], name="workflows_finding_open")]

    def __str__(self):
        return f"F-{self.number} ({self.get_status_display()})"

    @transition(field=status, source=S.OPEN, target=S.RESPONDED)
    def respond(self, *, by, response: str):
        self.response, self.responded_by, self.responded_at = response, by, timezone.now()

    @transition(field=status, source=[S.OPEN, S.RESPONDED], target=S.CLOSED)
    def close(self, *, by):
        self.closed_by, self.closed_at = by, timezone.now()

    @transition(field=status, source=[S.RESPONDED, S.CLOSED], target=S.OPEN)
    def reopen(self):
        self.closed_by, self.closed_at = None, None
