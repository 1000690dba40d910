"""What certification reads from the verification (owned by workflows): the verifier body and
its opinion, from the engagement whose opinion is issued, or else the latest accepted or
reviewing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from workflows.choices import EngagementStatus
from workflows.models import Engagement

PREFERRED_STATES = (EngagementStatus.OPINION_ISSUED, EngagementStatus.REVIEWING, EngagementStatus.ACCEPTED)


@dataclass(frozen=True)
class Verification:
    verifier_body: object | None
    assurance_level: str = ""  # code: reasonable | limited
    materiality: str = ""  # "5.00%"
    conclusion: str = ""  # code: verified | rejected
    opinion_text: str = ""
    issued_at: object | None = None
    verifier_names: tuple[str, ...] = ()


def _engagement(inventory) -> Engagement | None:
    engagements = list(Engagement.objects.filter(inventory=inventory, status__in=PREFERRED_STATES)
                       .select_related("verifier_body").order_by("-pk"))
    for state in PREFERRED_STATES:
        for engagement in engagements:
            if engagement.status == state:
                return engagement
    return None


def verification_of(inventory) -> Verification:
    """The verifier body and opinion of an inventory; empty where it has none yet."""
    engagement = _engagement(inventory)
    if engagement is None:
        return Verification(verifier_body=None)
    try:
        opinion = engagement.opinion
    except ObjectDoesNotExist:
        opinion = None
    if opinion is None:
        return Verification(verifier_body=engagement.verifier_body)
    names = tuple(dict.fromkeys(str(person) for person in (opinion.issued_by, opinion.prepared_by) if person))
    materiality = opinion.materiality_threshold_percent
    return Verification(
        verifier_body=engagement.verifier_body,
        assurance_level=opinion.assurance_level or "",
        materiality=f"{materiality.normalize():f}%" if materiality is not None else "",
        conclusion=opinion.conclusion or "",
        opinion_text=opinion.text or "",
        issued_at=opinion.issued_at,
        verifier_names=names,
    )
