"""Verification engagements: the body that verifies an inventory, its sampling and its opinion.

An engagement moves chosen -> proposed -> accepted | declined -> reviewing -> opinion_issued
(docs/workflows.md); `chosen` is the enterprise's choice before its reviewer approves, and a choice that
is replaced before it is proposed is `withdrawn`. The moves are django-fsm transitions called
only by `workflows.services`, which check permissions and write the audit trail.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from ..choices import (
    ACTIVE_ENGAGEMENT_STATES,
    WORKING_ENGAGEMENT_STATES,
    AssuranceLevel,
    Conclusion,
    EngagementStatus,
    SamplingMethod,
)

S = EngagementStatus
DEFAULT_MATERIALITY_PERCENT = Decimal("5.00")


class Engagement(FSMModelMixin, models.Model):
    inventory = models.ForeignKey("inventories.Inventory", models.PROTECT, related_name="engagements",
                                  verbose_name=_("inventory"))
    verifier_body = models.ForeignKey("accounts.VerifierBody", models.PROTECT, related_name="engagements",
                                      verbose_name=_("verifier body"))
    status = FSMField(_("status"), max_length=20, choices=EngagementStatus.choices, default=S.CHOSEN,
                      protected=True)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                  verbose_name=_("chosen by"))
    chosen_at = models.DateTimeField(_("chosen at"), auto_now_add=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("accepted or declined by"))
    decided_at = models.DateTimeField(_("accepted or declined at"), null=True, blank=True)
    no_conflict_declared = models.BooleanField(
        _("no conflict of interest declared"), default=False,
        help_text=_("The body declared, on accepting, that it has no conflict of interest with the enterprise."),
    )
    conflict_declaration = models.TextField(_("conflict-of-interest declaration"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-chosen_at", "-id"]
        verbose_name = _("verification engagement")
        verbose_name_plural = _("verification engagements")
        permissions = [("decide_engagement", _("Can accept or decline the engagement"))]
        constraints = [
            models.UniqueConstraint(
                fields=["inventory"], condition=Q(status__in=[state.value for state in ACTIVE_ENGAGEMENT_STATES]),
                name="engagement_one_active_per_inventory",
            )
        ]

    def __str__(self):
        return f"{self.inventory} · {self.verifier_body} · {self.get_status_display()}"

    @property
    def is_working(self) -> bool:
        return self.status in WORKING_ENGAGEMENT_STATES

    @transition(field=status, source=S.CHOSEN, target=S.PROPOSED)
    def propose(self):
        self.proposed_at = timezone.now()

    @transition(field=status, source=S.CHOSEN, target=S.WITHDRAWN)
    def withdraw(self):
        self.ended_at = timezone.now()

    @transition(field=status, source=S.PROPOSED, target=S.ACCEPTED)
    def accept(self, *, by, declaration: str):
        self.decided_by, self.decided_at = by, timezone.now()
        self.no_conflict_declared, self.conflict_declaration = True, declaration

    @transition(field=status, source=S.PROPOSED, target=S.DECLINED)
    def decline(self, *, by, reason: str):
        self.decided_by, self.decided_at = by, timezone.now()
        self.decline_reason = reason
        self.ended_at = self.decided_at

    @transition(field=status, source=S.ACCEPTED, target=S.REVIEWING)
    def start_review(self):
        self.review_started_at = timezone.now()

    @transition(field=status, source=[S.ACCEPTED, S.REVIEWING], target=S.OPINION_ISSUED)
    def issue_opinion(self):
        self.ended_at = timezone.now()


class SampledRecord(models.Model):
    """An activity record drawn for checking against its evidence."""

    engagement = models.ForeignKey(Engagement, models.CASCADE, related_name="samples", verbose_name=_("engagement"))
    activity_record = models.ForeignKey("inventories.ActivityRecord", models.PROTECT, related_name="samples",
                                        verbose_name=_("activity record"))
    method = models.CharField(_("method"), max_length=10, choices=SamplingMethod.choices)
    seed = models.BigIntegerField(_("random seed"), null=True, blank=True)
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("selected by"))
    selected_at = models.DateTimeField(_("selected at"), auto_now_add=True)
    conforms = models.BooleanField(_("agrees with its evidence"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        ordering = ["engagement", "activity_record"]
        verbose_name = _("sampled record")
        verbose_name_plural = _("sampled records")
        constraints = [models.UniqueConstraint(fields=["engagement", "activity_record"],
                                               name="sample_once_per_engagement")]

    def __str__(self):
        return f"{self.engagement_id}: {self.activity_record}"


class Opinion(models.Model):
    """The verification opinion; a draft until the verify or reject transition issues it."""

    engagement = models.OneToOneField(Engagement, models.PROTECT, related_name="opinion",
                                      verbose_name=_("engagement"))
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=Conclusion.choices)
    assurance_level = models.CharField(_("level of assurance"), max_length=10, choices=AssuranceLevel.choices,
                                       default=AssuranceLevel.REASONABLE)
    materiality_threshold_percent = models.DecimalField(
        _("materiality threshold (%)"), max_digits=5, decimal_places=2, default=DEFAULT_MATERIALITY_PERCENT,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    misstatement_tco2e = models.DecimalField(_("misstatement found (tCO2e)"), max_digits=24, decimal_places=6,
                                             default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))])
    result = models.ForeignKey("inventories.CalculationResult", models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("result the opinion is on"))
    # xgettext:no-python-format
    misstatement_percent = models.DecimalField(_("misstatement (% of reported emissions)"), max_digits=12,
                                               decimal_places=4, null=True, blank=True)
    text = models.TextField(_("opinion"))
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("prepared by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification opinion")
        verbose_name_plural = _("verification opinions")

    def __str__(self):
        return f"{self.engagement}: {self.get_conclusion_display()}"

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def is_material(self) -> bool:
        """Is the misstatement found above the materiality threshold?"""
        return self.misstatement_percent is not None and self.misstatement_percent > self.materiality_threshold_percent
