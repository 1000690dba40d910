"""The verifier's side of an engagement, and the enterprise's choice of verifier body."""

import math
import random
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import VerifierBody
from carbon_portal.core.data_generation import data_changed
from inventories.choices import InventoryStatus
from inventories.selectors import latest_result

from .. import access, permissions
from ..choices import AuditEntity, AssuranceLevel, Conclusion, EngagementStatus, SamplingMethod
from carbon_portal.core.errors import InvalidInput, NotFound, PermissionDenied, Conflict
from ..models import Engagement, Opinion, SampledRecord
from ..models.engagements import DEFAULT_MATERIALITY_PERCENT
from .audit import append_entry
from .common import lock_inventory, lock_working_engagement, parse_decimal, parse_ids
from .transitions import start_review

CHOOSING_STATES = (InventoryStatus.DRAFT, InventoryStatus.COLLECTING, InventoryStatus.CALCULATED,
                   InventoryStatus.IN_REVIEW)


def choose_verifier_body(*, inventory_id, verifier_body_id, actor) -> Engagement:
    """The enterprise's officer chooses the body that will verify. While the inventory is being
    prepared the choice waits for the reviewer's approval (which proposes it); after a body has
    declined, the new choice is proposed at once. A previous choice not yet proposed is
    withdrawn."""
    with transaction.atomic():
        inventory = lock_inventory(inventory_id=inventory_id, actor=actor)
        if not access.holds(actor, access.PREPARE, inventory):
            raise PermissionDenied(_("Only the enterprise's carbon officers choose the verifier body."))
        active = inventory.engagements.filter(status__in=[EngagementStatus.PROPOSED, EngagementStatus.ACCEPTED,
                                                          EngagementStatus.REVIEWING]).first()
        proposing_now = inventory.status == InventoryStatus.SUBMITTED
        if active is not None or not (inventory.status in CHOOSING_STATES or proposing_now):
            raise Conflict(
                _("A verifier body is chosen while the inventory is prepared, or after the proposed body "
                  "declined; not while it is %(state)s.") % {"state": inventory.get_status_display()},
                code="wrong_state",
            )
        body = VerifierBody.objects.filter(pk=verifier_body_id).first()
        if body is None:
            raise InvalidInput(_("There is no such verifier body."))
        if not body.is_accredited_for(inventory.enterprise.industry, on=timezone.localdate()):
            raise InvalidInput(_("%(body)s is not accredited today for the industry %(industry)s.")
                               % {"body": body, "industry": inventory.enterprise.industry})
        for previous in inventory.engagements.filter(status=EngagementStatus.CHOSEN):
            previous.withdraw()
            previous.save()
            _log(previous, name="withdraw", source=EngagementStatus.CHOSEN, actor=actor)
        engagement = Engagement.objects.create(inventory=inventory, verifier_body=body, chosen_by=actor)
        _log(engagement, name="choose", source="", actor=actor, details={"verifier_body_id": body.pk})
        if proposing_now:
            engagement.propose()
            engagement.save()
            permissions.grant_proposal(engagement)
            entry = _log(engagement, name="propose", source=EngagementStatus.CHOSEN, actor=actor)
            _notify_after_commit(entry.pk)
    return engagement


def sample_activity_records(*, engagement_id, actor, size: int | None = None, record_ids=None,
                            seed: int | None = None) -> list[SampledRecord]:
    """Draw activity records to check against their evidence: the records given (`record_ids`,
    the verifier's judgement), or `size` of them at random (default: the square root of the
    number of records, rounded up) with a recorded seed, so that the draw can be repeated."""
    with transaction.atomic():
        engagement, inventory = lock_working_engagement(engagement_id=engagement_id, actor=actor)
        already = set(engagement.samples.values_list("activity_record_id", flat=True))
        population = sorted(set(inventory.activity_records.values_list("pk", flat=True)) - already)
        if record_ids:
            chosen = parse_ids(record_ids, _("activity_records"))
            unknown = sorted(set(chosen) - set(inventory.activity_records.filter(pk__in=chosen)
                                               .values_list("pk", flat=True)))
            if unknown:
                raise InvalidInput(_("These activity records are not part of the inventory: %(ids)s.")
                                   % {"ids": ", ".join(map(str, unknown))})
            chosen = [pk for pk in dict.fromkeys(chosen) if pk not in already]
            method, seed = SamplingMethod.JUDGEMENT, None
        else:
            total = len(population) + len(already)
            size = math.ceil(math.sqrt(total)) if size is None else size
            if not isinstance(size, int) or size < 1:
                raise InvalidInput(_("The sample size must be a whole number of at least 1."))
            seed = secrets.randbelow(2**31) if seed is None else seed
            if not isinstance(seed, int) or isinstance(seed, bool):
                raise InvalidInput(_("The random seed must be a whole number."))
            chosen = sorted(random.Random(seed).sample(population, min(size, len(population))))
            method = SamplingMethod.RANDOM
        SampledRecord.objects.bulk_create(
            [SampledRecord(engagement=engagement, activity_record_id=pk, method=method, seed=seed, selected_by=actor)
             for pk in chosen]
        )
        data_changed()
        start_review(engagement, actor=actor)
        append_entry(entity=AuditEntity.SAMPLE, object_id=engagement.pk, inventory_id=inventory.pk, name="draw",
                     actor=actor, details={"method": method, "seed": seed, "activity_records": chosen})
    return list(engagement.samples.filter(activity_record_id__in=chosen).select_related("activity_record"))


def check_sampled_record(*, sample_id, actor, conforms: bool, note: str = "") -> SampledRecord:
    """Record whether a sampled record agrees with its evidence."""
    sample = SampledRecord.objects.filter(pk=sample_id).only("engagement_id").first()
    if sample is None:
        raise NotFound(_("No such sample."))
    with transaction.atomic():
        engagement, inventory = lock_working_engagement(engagement_id=sample.engagement_id, actor=actor)
        sample = SampledRecord.objects.select_for_update().get(pk=sample_id)
        if not isinstance(conforms, bool):
            raise InvalidInput(_("Say whether the record agrees with its evidence (conforms: true or false)."))
        sample.conforms, sample.note = conforms, (note or "").strip()
        sample.checked_by, sample.checked_at = actor, timezone.now()
        sample.save()
        start_review(engagement, actor=actor)
        append_entry(entity=AuditEntity.SAMPLE, object_id=sample.pk, inventory_id=inventory.pk, name="check",
                     actor=actor, comment=sample.note,
                     details={"activity_record_id": sample.activity_record_id, "conforms": conforms})
    return sample


def record_opinion(*, engagement_id, actor, conclusion: str, text: str,
                   assurance_level: str = AssuranceLevel.REASONABLE,
                   materiality_threshold_percent=DEFAULT_MATERIALITY_PERCENT,
                   misstatement_tco2e=Decimal("0")) -> Opinion:
    """Write (or rewrite) the draft opinion on the inventory's latest result. It is issued by
    the `verify` or `reject` transition. A misstatement above the materiality threshold cannot
    conclude 'verified'."""
    with transaction.atomic():
        engagement, inventory = lock_working_engagement(engagement_id=engagement_id, actor=actor)
        if conclusion not in Conclusion.values:
            raise InvalidInput(_("The conclusion is 'verified' or 'rejected'."))
        if assurance_level not in AssuranceLevel.values:
            raise InvalidInput(_("The level of assurance is 'reasonable' or 'limited'."))
        threshold = parse_decimal(materiality_threshold_percent, _("materiality_threshold_percent"))
        misstatement = parse_decimal(misstatement_tco2e, _("misstatement_tco2e"))
        if not Decimal("0") < threshold <= Decimal("100"):
            raise InvalidInput(_("The materiality threshold is a percentage above 0 and at most 100."))
        if misstatement < 0:
            raise InvalidInput(_("The misstatement found cannot be negative."))
        if not (text or "").strip():
            raise InvalidInput(_("The opinion needs its text."))
        result = latest_result(inventory)
        if result is None:
            raise Conflict(_("The inventory has no result to give an opinion on."),
                                       code="condition_failed")
        percent = (misstatement / abs(result.total_tco2e) * 100).quantize(Decimal("0.0001")) \
            if result.total_tco2e else None
        if conclusion == Conclusion.VERIFIED and percent is not None and percent > threshold:
            raise InvalidInput(
                _("A misstatement of %(percent)s%% is above the materiality threshold of %(threshold)s%%: "
                  "the opinion cannot conclude 'verified'.") % {"percent": percent, "threshold": threshold},
                code="material_misstatement",
            )
        opinion, _created = Opinion.objects.update_or_create(
            engagement=engagement,
            defaults={"conclusion": conclusion, "assurance_level": assurance_level,
                      "materiality_threshold_percent": threshold, "misstatement_tco2e": misstatement,
                      "misstatement_percent": percent, "result": result, "text": text.strip(),
                      "prepared_by": actor},
        )
        start_review(engagement, actor=actor)
        append_entry(entity=AuditEntity.OPINION, object_id=opinion.pk, inventory_id=inventory.pk, name="record",
                     actor=actor, comment=opinion.text,
                     details={"conclusion": conclusion, "assurance_level": assurance_level,
                              "materiality_threshold_percent": threshold, "misstatement_tco2e": misstatement,
                              "misstatement_percent": percent, "result_id": result.pk})
    return opinion


# --- Helpers -------------------------------------------------------------------------------------


def _log(engagement, *, name, source, actor, comment="", details=None):
    return append_entry(entity=AuditEntity.ENGAGEMENT, object_id=engagement.pk,
                        inventory_id=engagement.inventory_id, name=name, from_state=source,
                        to_state=engagement.status, actor=actor, comment=comment, details=details)


def _notify_after_commit(entry_id) -> None:
    from .. import tasks

    transaction.on_commit(lambda: tasks.notify.delay(entry_id))
