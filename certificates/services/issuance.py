"""Issuing the labels of a certified inventory: grading, product footprints, signatures.

`issue_inventory_labels` is what the `certify` transition triggers (after it commits, through
the outbox topic `workflows.inventory_certified`): one enterprise carbon-efficiency label and one
product label per product, each signed, the documents rendered by Celery after commit.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carbon_portal.core import outbox
from inventories.calculation.grading import GradingError, grade_carbon_efficiency
from inventories.choices import InventoryStatus
from inventories.models import Inventory
from inventories.selectors import latest_result

from .. import conf, identifiers, key_store, payloads, signing
from ..baselines import industry_average, resolve_industry_average
from ..footprint_inputs import inventory_footprints
from ..footprints import FootprintError
from ..models import Label, LabelEvent
from ..resolution import invalidate
from ..verification import verification_of
from .documents import RENDER_DOCUMENTS_TOPIC

CERTIFIABLE_STATES = (InventoryStatus.VERIFIED, InventoryStatus.CERTIFIED)


class CertificationError(ValidationError):
    pass


@dataclass(frozen=True)
class Preparation:
    result: object
    verifier_body: object
    verification: object
    grading: object  # inventories.calculation.grading.CarbonEfficiency | None
    average: object  # baselines.IndustryAverage | None
    footprints: list


def certification_problems(inventory: Inventory, *, verifier_body=None) -> list[str]:
    """What stops labels from being issued for the inventory (empty when nothing does). Reads only:
    workflows may use it as a condition of `certify`."""
    try:
        _prepare(inventory, verifier_body=verifier_body, store_average=False)
    except CertificationError as error:
        return list(error.messages)
    return []


def _prepare(inventory: Inventory, *, verifier_body, store_average: bool) -> Preparation:
    problems = []
    if inventory.status not in CERTIFIABLE_STATES:
        problems.append(_("the inventory is %(state)s, not verified") % {"state": inventory.get_status_display()})
    result = latest_result(inventory)
    if result is None:
        raise CertificationError(problems + [_("the inventory has no calculation result")])
    verification = verification_of(inventory)
    verifier_body = verifier_body or verification.verifier_body
    if verifier_body is None:
        problems.append(_("no verifier body has verified the inventory"))
    intensity = result.carbon_intensity
    grading = average = None
    if intensity is None:
        problems.append(_("the result has no industrial added value, so no carbon intensity"))
    elif intensity < 0:
        problems.append(_("the energy-related emissions are negative: no carbon intensity to grade"))
    else:
        industry = inventory.enterprise.industry
        resolve = resolve_industry_average if store_average else _read_average
        average = resolve(industry=industry, year=inventory.year)
        if average is None:
            problems.append(_("no industry average for %(industry)s in %(year)s: an authority sets it, or it is "
                              "computed once %(count)s inventories are verified")
                            % {"industry": industry.code, "year": inventory.year,
                               "count": conf.baseline_min_inventories()})
        else:
            try:
                grading = grade_carbon_efficiency(intensity, average.value)
            except GradingError as error:
                problems.append(str(error))
    try:
        footprints = inventory_footprints(inventory, result)
    except FootprintError as error:
        problems.append(_("product footprints: %(error)s") % {"error": error})
        footprints = []
    if problems:
        raise CertificationError(problems)
    return Preparation(result, verifier_body, verification, grading, average, footprints)


def _read_average(*, industry, year):
    return industry_average(industry, year)


@transaction.atomic
def issue_inventory_labels(*, inventory: Inventory, issued_by=None, verifier_body=None,
                           reissue: bool = False) -> list[Label]:
    """Issue the enterprise label and one product label per product of a verified/certified
    inventory. Idempotent: when current labels exist they are returned, unless `reissue`, which
    issues new ones that supersede (and revoke) them. Raises CertificationError with every problem."""
    inventory = (Inventory.objects.select_for_update().select_related("enterprise__industry")
                 .get(pk=inventory.pk))
    existing = list(Label.objects.filter(inventory=inventory, is_current=True).order_by("kind", "id"))
    if existing and not reissue:
        return existing
    prepared = _prepare(inventory, verifier_body=verifier_body, store_average=True)
    signing_key = key_store.current_signing_key()
    private_key = key_store.private_key_of(signing_key)
    issued_at = timezone.now().replace(microsecond=0)
    valid_until = timezone.localdate(issued_at) + datetime.timedelta(days=conf.validity_days())
    verifier = payloads.verifier_data(prepared.verifier_body, prepared.verification)
    period = payloads.period_data(inventory)
    enterprise = inventory.enterprise
    common = {"inventory": inventory, "result": prepared.result, "enterprise": enterprise,
              "verifier_body": prepared.verifier_body, "period_start": inventory.period_start,
              "period_end": inventory.period_end, "issued_at": issued_at, "valid_until": valid_until,
              "issued_by": issued_by, "signing_key": signing_key}

    specs = [(Label.Kind.ENTERPRISE, None, payloads.enterprise_subject(enterprise),
              payloads.enterprise_figures(prepared.result, prepared.grading, prepared.average))]
    products = {product.pk: product for product in inventory.products.all()}
    for footprint in prepared.footprints:
        product = products[footprint.key]
        specs.append((Label.Kind.PRODUCT, product, payloads.product_subject(enterprise, product),
                      footprint.as_figures()))

    labels = []
    for kind, product, subject, figures in specs:
        previous = _current_label(kind, enterprise, product, inventory)
        if previous is not None:
            Label.objects.filter(pk=previous.pk).update(is_current=False)
        identifier = identifiers.new_identifier(conf.identifier_prefix(), kind, inventory.year)
        content = payloads.label_payload(identifier=identifier, kind=kind, subject=subject, period=period,
                                         figures=figures, verifier=verifier, issued_at=issued_at,
                                         valid_until=valid_until, key_id=signing_key.key_id)
        payload = signing.canonical_json(content)
        label = Label.objects.create(
            identifier=identifier, kind=kind, product=product, figures=figures, payload=payload,
            signature=signing.sign(private_key, payload), **_indexed_figures(kind, figures, prepared), **common,
        )
        LabelEvent.objects.create(label=label, action=LabelEvent.Action.ISSUED, to_status=label.status,
                                  actor=issued_by)
        if previous is not None:
            _supersede(previous, label, issued_by)
        labels.append(label)

    # The documents follow through the outbox, recorded in this transaction: a broker outage after
    # the commit neither loses them nor turns the committed issue into an error.
    outbox.enqueue(RENDER_DOCUMENTS_TOPIC, {"inventory_id": inventory.pk})
    return labels


def _current_label(kind, enterprise, product, inventory) -> Label | None:
    labels = Label.objects.select_for_update().filter(kind=kind, is_current=True, period_start=inventory.period_start,
                                                      period_end=inventory.period_end)
    if kind == Label.Kind.ENTERPRISE:
        return labels.filter(enterprise=enterprise).first()
    return labels.filter(product=product).first()


def _supersede(previous: Label, label: Label, actor) -> None:
    reason = f"Superseded by {label.identifier}"
    LabelEvent.objects.create(label=previous, action=LabelEvent.Action.SUPERSEDED, from_status=previous.status,
                              to_status=Label.Status.REVOKED, reason=reason, actor=actor)
    Label.objects.filter(pk=previous.pk).update(superseded_by=label, status=Label.Status.REVOKED,
                                                status_reason=reason, status_changed_at=label.issued_at)
    invalidate(previous)


def _decimal(text):
    return None if text is None else Decimal(text)


def _indexed_figures(kind, figures, prepared) -> dict:
    if kind == Label.Kind.PRODUCT:
        return {"footprint_per_unit": _decimal(figures["footprint_per_unit_tco2e"])}
    grading = prepared.grading
    return {"intensity": _decimal(figures["intensity_tco2_per_10k_yuan"]),
            "efficiency_value_k": _decimal(figures["efficiency_value_k"]),
            "grade": grading.grade if grading else None, "band": grading.band if grading else ""}
