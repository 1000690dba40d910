"""How certificates takes part in the inventory lifecycle of workflows (which never imports it):
it answers `certification_check` before `certify`, and issues the labels once `certify` has
committed (`inventory_certified`). Connected in CertificatesConfig.ready()."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from inventories.models import Inventory
from workflows.signals import certification_check, inventory_certified

from .services import CertificationError, certification_problems, issue_inventory_labels

logger = logging.getLogger(__name__)


def on_certification_check(sender, inventory, **kwargs) -> list[str]:
    return certification_problems(inventory)


def on_inventory_certified(sender, inventory_id, actor_id=None, **kwargs):
    """Issue labels right away (in this process) so the certifying user sees them on the next page;
    documents follow on the `documents` queue. A failure is logged, never raised into workflows."""
    try:
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        inventory = Inventory.objects.get(pk=inventory_id)
        with transaction.atomic():
            issue_inventory_labels(inventory=inventory, issued_by=actor)
    except CertificationError as error:
        logger.error("labels of inventory %s not issued: %s", inventory_id, "; ".join(error.messages))
    except Exception:  # noqa: BLE001 - the certify transition has committed; report, do not break it
        logger.exception("labels of inventory %s not issued", inventory_id)


def connect() -> None:
    certification_check.connect(on_certification_check, dispatch_uid="certificates.certification_check")
    inventory_certified.connect(on_inventory_certified, dispatch_uid="certificates.issue_labels")
