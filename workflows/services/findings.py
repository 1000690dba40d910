"""Findings: raised and closed or reopened by the verifier, answered by the enterprise."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from inventories.choices import InventoryStatus
from inventories.models import ResultLine

from .. import access
from ..choices import AuditEntity, FindingStatus
from carbon_portal.core.errors import InvalidInput, NotFound, PermissionDenied, Conflict
from ..models import Finding
from .audit import append_entry
from .common import lock_inventory
from .common import lock_working_engagement, parse_ids
from .transitions import start_review, working_engagement

ANSWERING_STATES = (InventoryStatus.VERIFYING, InventoryStatus.CORRECTIONS_REQUESTED)


def raise_finding(*, engagement_id, actor, reason: str, activity_record_ids=(), result_line_ids=()) -> Finding:
    """A non-conformity against activity records and/or result lines of the inventory, while it
    is being verified (not while the enterprise is correcting)."""
    with transaction.atomic():
        engagement, inventory = lock_working_engagement(engagement_id=engagement_id, actor=actor)
        if inventory.status != InventoryStatus.VERIFYING:
            raise Conflict(_("Findings are raised while the inventory is being verified; wait for "
                                         "the enterprise to resubmit."), code="wrong_state")
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput(_("A finding needs its reason."))
        record_ids = list(dict.fromkeys(parse_ids(activity_record_ids or (), "activity_records")))
        line_ids = list(dict.fromkeys(parse_ids(result_line_ids or (), "result_lines")))
        if not record_ids and not line_ids:
            raise InvalidInput(_("Point the finding at the activity records or result lines it is about."))
        unknown_records = set(record_ids) - set(inventory.activity_records.filter(pk__in=record_ids)
                                                .values_list("pk", flat=True))
        unknown_lines = set(line_ids) - set(ResultLine.objects.filter(pk__in=line_ids, result__inventory=inventory)
                                            .values_list("pk", flat=True))
        if unknown_records or unknown_lines:
            raise InvalidInput(
                _("Not part of this inventory: activity records %(records)s, result lines %(lines)s.")
                % {"records": sorted(unknown_records) or "-", "lines": sorted(unknown_lines) or "-"})
        number = (engagement.findings.aggregate(last=Max("number"))["last"] or 0) + 1
        finding = Finding.objects.create(engagement=engagement, inventory=inventory, number=number, reason=reason,
                                         raised_by=actor)
        finding.activity_records.set(record_ids)
        finding.result_lines.set(line_ids)
        start_review(engagement, actor=actor)
        _log(finding, name="raise", source="", actor=actor, comment=reason,
             details={"number": number, "activity_records": record_ids, "result_lines": line_ids})
    return finding


def respond_to_finding(*, finding_id, actor, response: str) -> Finding:
    """The enterprise's answer (the correction itself is made on the records)."""
    with transaction.atomic():
        finding, inventory = _lock_finding(finding_id=finding_id, actor=actor)
        if not access.holds(actor, access.PREPARE, inventory):
            raise PermissionDenied(_("Only the enterprise's carbon officers answer findings."))
        response = (response or "").strip()
        if not response:
            raise InvalidInput(_("The response cannot be empty."))
        _require_state(inventory, finding, FindingStatus.OPEN, _("Only an open finding can be answered."))
        finding.respond(by=actor, response=response)
        finding.save()
        _log(finding, name="respond", source=FindingStatus.OPEN, actor=actor, comment=response)
    return finding


def close_finding(*, finding_id, actor, comment: str = "") -> Finding:
    """The verifier accepts the correction (or withdraws the finding)."""
    return _verifier_step(finding_id=finding_id, actor=actor, comment=comment, step="close",
                          sources=(FindingStatus.OPEN, FindingStatus.RESPONDED),
                          wrong=_("This finding is already closed."))


def reopen_finding(*, finding_id, actor, comment: str = "") -> Finding:
    """The verifier is not satisfied: the finding is open again and needs another answer."""
    if not (comment or "").strip():
        raise InvalidInput(_("Say why the finding is reopened."))
    return _verifier_step(finding_id=finding_id, actor=actor, comment=comment, step="reopen",
                          sources=(FindingStatus.RESPONDED, FindingStatus.CLOSED),
                          wrong=_("Only a responded or closed finding can be reopened."))


def _verifier_step(*, finding_id, actor, comment, step, sources, wrong) -> Finding:
    with transaction.atomic():
        finding, inventory = _lock_finding(finding_id=finding_id, actor=actor)
        engagement = working_engagement(inventory)
        if (engagement is None or engagement.pk != finding.engagement_id
                or not access.holds(actor, access.VERIFY, inventory)):
            raise PermissionDenied(_("Only the verifier body working on this engagement closes or reopens "
                                     "its findings."))
        _require_state(inventory, finding, sources, wrong)
        source = finding.status
        if step == "close":
            finding.close(by=actor)
        else:
            finding.reopen()
        finding.save()
        _log(finding, name=step, source=source, actor=actor, comment=(comment or "").strip())
    return finding


def _lock_finding(*, finding_id, actor):
    from ..selectors import findings_visible_to

    inventory_id = findings_visible_to(actor).filter(pk=finding_id).values_list("inventory_id", flat=True).first()
    if inventory_id is None:
        raise NotFound(_("No such finding."))
    inventory = lock_inventory(inventory_id=inventory_id, actor=actor)
    return Finding.objects.select_for_update().get(pk=finding_id), inventory


def _require_state(inventory, finding, sources, message) -> None:
    if inventory.status not in ANSWERING_STATES:
        raise Conflict(_("Findings are worked on while the inventory is being verified, not while "
                                     "it is %(state)s.") % {"state": inventory.get_status_display()},
                                   code="wrong_state")
    if finding.status not in ((sources,) if isinstance(sources, str) else sources):
        raise Conflict(message, code="wrong_state")


def _log(finding, *, name, source, actor, comment="", details=None):
    return append_entry(entity=AuditEntity.FINDING, object_id=finding.pk, inventory_id=finding.inventory_id,
                        name=name, from_state=source, to_state=finding.status, actor=actor, comment=comment,
                        details=details)
