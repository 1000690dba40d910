"""Reads the portal pages need that the apps' own selectors do not give in this shape.

Each one starts from a selector that is already scoped to the user
(`inventories.selectors.inventories_visible_to`, `workflows.selectors.*`), so nothing here
widens what a user may see; it only adds columns, counts and groupings for the pages.
"""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from carbon_portal.accounts.models import Enterprise, Role
from ingestion.invoices.selectors import drafts_of
from ingestion.models import InvoiceDraft
from inventories.choices import InventoryStatus
from inventories.models import ActivityRecord, CalculationResult, Inventory
from inventories.policies import can_edit_activity
from inventories.selectors import inventories_visible_to
from workflows.choices import FindingStatus
from workflows.selectors import engagements_visible_to, findings_visible_to, with_flags


def user_roles(user) -> frozenset[str]:
    """The user's roles (a platform superuser counts as administrator); remembered on the user
    object, which lives as long as the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.roles | ({Role.ADMIN} if user.is_superuser else set()))
        user._portal_roles = cached
    return cached


def inventory_rows(user, *, status: str = "", year: str = "") -> QuerySet[Inventory]:
    """The inventories the user sees, with the latest result's total and intensity in the same
    query (so a list page asks the database the same number of times for 5 rows or 500)."""
    latest = CalculationResult.objects.filter(inventory=OuterRef("pk")).order_by("-calculated_at", "-id")
    rows = inventories_visible_to(user)
    if status:
        rows = rows.filter(status=status)
    if year and str(year).isdigit():
        rows = rows.filter(year=int(year))
    return (rows.select_related("enterprise")
            .annotate(latest_total_tco2e=Subquery(latest.values("total_tco2e")[:1]),
                      latest_intensity=Subquery(latest.values("intensity_tco2e_per_10k_yuan")[:1]))
            .order_by("-year", "enterprise__name", "pk"))


def status_counts(user) -> dict[str, int]:
    """How many of the user's visible inventories are in each state."""
    rows = inventories_visible_to(user).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def officer_enterprises(user) -> QuerySet[Enterprise]:
    """The enterprises whose carbon officer the user is: where they may open inventories."""
    if not getattr(user, "is_authenticated", False):
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user, memberships__role=Role.OFFICER).distinct()


def awaiting_review(user) -> QuerySet[Inventory]:
    """Inventories of the reviewer's enterprises waiting in internal review."""
    enterprise_ids = user.memberships.filter(role=Role.REVIEWER).values("enterprise_id")
    return (inventory_rows(user, status=InventoryStatus.IN_REVIEW).filter(enterprise_id__in=enterprise_ids))


def activity_records_of(inventory: Inventory) -> QuerySet[ActivityRecord]:
    """The records of an inventory the caller got from a scoped selector, flagged when an
    unresolved finding points at them."""
    return with_flags(ActivityRecord.objects.filter(inventory=inventory)
                      .select_related("evidence", "meter", "emission_source").order_by("id"))


def editable_record_ids(user, inventory: Inventory, records) -> set[int]:
    """Records the user may change now, by `inventories.policies.can_edit_activity`. While data is
    collected the policy allows every record; otherwise only a flagged record can qualify, so the
    policy is asked about those alone (one question per flagged record, not per record)."""
    if can_edit_activity(user, inventory):
        return {record.pk for record in records}
    return {record.pk for record in records if getattr(record, "flagged", False)
            and can_edit_activity(user, inventory, record)}


def result_with_lines(result: CalculationResult | None) -> CalculationResult | None:
    if result is None:
        return None
    return (CalculationResult.objects.select_related("factor_set", "calculated_by")
            .prefetch_related("lines").get(pk=result.pk))


def open_findings_for_officer(user) -> QuerySet:
    """Findings of the user's enterprises that wait for the enterprise's answer."""
    return findings_visible_to(user).filter(status=FindingStatus.OPEN,
                                            inventory__status=InventoryStatus.CORRECTIONS_REQUESTED)


def verifier_engagements(user) -> QuerySet:
    """Engagements proposed to the user's verifier bodies (or every one, for administrators),
    newest first, with the count of unresolved findings."""
    engagements = engagements_visible_to(user)
    if Role.ADMIN not in user_roles(user):
        body_ids = user.memberships.filter(role=Role.VERIFIER).values("verifier_body_id")
        engagements = engagements.filter(verifier_body_id__in=body_ids)
    return (engagements.exclude(proposed_at=None)
            .annotate(unresolved_findings=Count("findings", filter=~Q(findings__status=FindingStatus.CLOSED)))
            .order_by("-proposed_at", "-pk"))


def engagement_of_inventory_for(user, inventory_id) -> object | None:
    """The newest engagement on the inventory that the user's verifier body was proposed."""
    return verifier_engagements(user).filter(inventory_id=inventory_id).first()


def invoice_pages(inventory: Inventory) -> dict[int, str]:
    """Evidence id -> the ingestion page of its confirmed invoice (extraction beside the image),
    for an inventory the caller got from a scoped selector."""
    return {evidence_id: reverse("ingestion:invoice", args=[inventory.pk, draft_id])
            for draft_id, evidence_id in (drafts_of(inventory).filter(status=InvoiceDraft.Status.CONFIRMED)
                                          .values_list("pk", "evidence_id"))}


def invoice_page_url(inventory: Inventory, evidence) -> str:
    if evidence is None:
        return ""
    return invoice_pages(inventory).get(evidence.pk, "")
