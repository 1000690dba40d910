"""How certificates takes part in the inventory lifecycle of workflows (which never imports it):
it answers `certification_check` before `certify`, and issues the labels once `certify` has
committed (the outbox topic `workflows.inventory_certified`). Connected in CertificatesConfig.ready()."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from inventories.models import Inventory
from carbon_portal.core import outbox
from workflows.signals import INVENTORY_CERTIFIED_TOPIC, certification_check

from .services.documents import RENDER_DOCUMENTS_TOPIC
from .services import CertificationError, certification_problems, issue_inventory_labels

logger = logging.getLogger(__name__)


def on_certification_check(sender, inventory, **kwargs) -> list[str]:
    return certification_problems(inventory)


def issue_certified_labels(payload: dict) -> None:
    """Outbox handler of workflows' `certify` (topic INVENTORY_CERTIFIED_TOPIC, recorded in the
    transition's transaction): issue the labels, delivered first in the certifying process so the
    user sees them on the next page; documents follow through the outbox. Idempotent: the labels of
    an inventory that has current ones are not issued again. A failure is raised: the outbox records
    it and retries (only a committed issue counts as done, never a log line)."""
    inventory_id, actor_id = payload["inventory_id"], payload.get("actor_id")
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    inventory = Inventory.objects.get(pk=inventory_id)
    try:
        with transaction.atomic():
            issue_inventory_labels(inventory=inventory, issued_by=actor)
    except CertificationError as error:
        logger.error("labels of inventory %s not issued: %s", inventory_id, "; ".join(error.messages))
        raise


def render_documents(payload: dict) -> None:
    """Outbox handler: render the documents of an inventory's current labels (services/documents.py)."""
    from .services.documents import render_inventory_documents

    render_inventory_documents(inventory_id=payload["inventory_id"])


def connect() -> None:
    certification_check.connect(on_certification_check, dispatch_uid="certificates.certification_check")
    outbox.register(INVENTORY_CERTIFIED_TOPIC)(issue_certified_labels)
    outbox.register(RENDER_DOCUMENTS_TOPIC)(render_documents)
