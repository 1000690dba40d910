"""The officer's decisions on possible double counting (see `inventories.double_counting`).

A decision is never changed: a later decision on the same records supersedes it, and both stay
for the verifier. Excluded records stay in the inventory and its history; only the calculation
leaves them out.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .inventories import ActivityRecord, Inventory

COUNT_ALL = "all"  # the same as inventories.double_counting.COUNT_ALL


class DoubleCountDecision(models.Model):
    inventory = models.ForeignKey(Inventory, models.CASCADE, related_name="double_count_decisions",
                                  verbose_name=_("inventory"))
    group_key = models.CharField(_("group"), max_length=120,
                                 help_text=_("The group of records as it was shown when decided."))
    counted = models.CharField(
        _("what counts"), max_length=10,
        help_text=_("The origin whose records count, or 'all' when the records are distinct energy."))
    reason = models.TextField(_("reason"))
    records = models.ManyToManyField(ActivityRecord, through="DoubleCountDecisionRecord", related_name="+",
                                     verbose_name=_("records compared"))
    compared = models.JSONField(_("records as compared"), default=list,
                                help_text=_("Each record as it was when decided: line, origin, period, counted."))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["inventory", "-decided_at", "-id"]
        verbose_name = _("double-counting decision")
        verbose_name_plural = _("double-counting decisions")

    def __str__(self):
        return f"{self.inventory} {self.group_key}: {self.counted}"

    @property
    def counts_all(self) -> bool:
        return self.counted == COUNT_ALL


class DoubleCountDecisionRecord(models.Model):
    """One record a decision compared, and whether it counts."""

    decision = models.ForeignKey(DoubleCountDecision, models.CASCADE, related_name="entries",
                                 verbose_name=_("decision"))
    record = models.ForeignKey(ActivityRecord, models.CASCADE, related_name="double_count_entries",
                               verbose_name=_("activity record"))
    counted = models.BooleanField(_("counted"))

    class Meta:
        ordering = ["decision", "record"]
        verbose_name = _("record of a double-counting decision")
        verbose_name_plural = _("records of double-counting decisions")
        constraints = [models.UniqueConstraint(fields=["decision", "record"], name="double_count_record_once")]
