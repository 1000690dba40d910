"""What certification reads from the verification (owned by workflows): the verifier body and
its opinion. Read through the app registry and defensively, so that certificates works before
workflows is installed and whatever happens there never breaks certification.

workflows: `Engagement(inventory, verifier_body, status)`, the one whose opinion is issued
(status "opinion_issued") or else the latest accepted/reviewing one; `engagement.opinion`
(`Opinion`: conclusion, assurance_level, materiality_threshold_percent, text, issued_at,
issued_by, prepared_by).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps

PREFERRED_STATES = ("opinion_issued", "reviewing", "accepted")


@dataclass(frozen=True)
class Verification:
    verifier_body: object | None
    assurance_level: str = ""  # code: reasonable | limited
    materiality: str = ""  # "5.00%"
    conclusion: str = ""  # code: verified | rejected
    opinion_text: str = ""
    issued_at: object | None = None
    verifier_names: tuple[str, ...] = ()


def _engagement(inventory):
    try:
        model = apps.get_model("workflows", "Engagement")
    except LookupError:
        return None
    engagements = list(model.objects.filter(inventory=inventory).select_related("verifier_body").order_by("-pk"))
    for state in PREFERRED_STATES:
        for engagement in engagements:
            if getattr(engagement, "status", None) == state:
                return engagement
    return None


def verification_of(inventory) -> Verification:
    """The verifier body and opinion of an inventory; empty where workflows has none."""
    try:
        engagement = _engagement(inventory)
        if engagement is None:
            return Verification(verifier_body=None)
        opinion = getattr(engagement, "opinion", None)
    except Exception:  # noqa: BLE001 - another app's schema: never break certification on it
        return Verification(verifier_body=None)
    if opinion is None:
        return Verification(verifier_body=engagement.verifier_body)
    names = tuple(dict.fromkeys(str(person) for person in (getattr(opinion, "issued_by", None),
                                                           getattr(opinion, "prepared_by", None)) if person))
    materiality = getattr(opinion, "materiality_threshold_percent", None)
    return Verification(
        verifier_body=engagement.verifier_body,
        assurance_level=str(getattr(opinion, "assurance_level", "") or ""),
        materiality=f"{materiality.normalize():f}%" if materiality is not None else "",
        conclusion=str(getattr(opinion, "conclusion", "") or ""),
        opinion_text=str(getattr(opinion, "text", "") or ""),
        issued_at=getattr(opinion, "issued_at", None),
        verifier_names=names,
    )
