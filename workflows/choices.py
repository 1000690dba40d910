"""States and kinds of the verification workflow (docs/workflows.md, Lifecycles)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EngagementStatus(models.TextChoices):
    # The enterprise has chosen the body; it is proposed to the body when the reviewer approves.
    CHOSEN = "chosen", _("Chosen by the enterprise")
    PROPOSED = "proposed", _("Proposed to the verifier body")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVIEWING = "reviewing", _("Under review")
    OPINION_ISSUED = "opinion_issued", _("Opinion issued")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An engagement in one of these states binds its inventory (one at a time).
ACTIVE_ENGAGEMENT_STATES = (
    EngagementStatus.CHOSEN,
    EngagementStatus.PROPOSED,
    EngagementStatus.ACCEPTED,
    EngagementStatus.REVIEWING,
)
# The body works on the inventory in these states.
WORKING_ENGAGEMENT_STATES = (EngagementStatus.ACCEPTED, EngagementStatus.REVIEWING)


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")


# A finding is unresolved until the verifier closes it.
UNRESOLVED_FINDING_STATES = (FindingStatus.OPEN, FindingStatus.RESPONDED)


class Conclusion(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class AssuranceLevel(models.TextChoices):
    REASONABLE = "reasonable", _("Reasonable assurance")
    LIMITED = "limited", _("Limited assurance")


class SamplingMethod(models.TextChoices):
    RANDOM = "random", _("Random (seeded)")
    JUDGEMENT = "judgement", _("Chosen by the verifier")


class AuditEntity(models.TextChoices):
    INVENTORY = "inventory", _("Inventory")
    ENGAGEMENT = "engagement", _("Engagement")
    FINDING = "finding", _("Finding")
    OPINION = "opinion", _("Opinion")
    SAMPLE = "sample", _("Sample")
    ACTIVITY_RECORD = "activity_record", _("Activity record")
