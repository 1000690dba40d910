"""Listens to workflows: when `certify` has committed, issue the inventory's labels.

Connected in CertificatesConfig.ready() only when workflows.signals.inventory_certified exists,
so certificates works before workflows does.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def on_inventory_certified(sender, inventory_id, actor_id=None, **kwargs):
    """Issue labels right away (in this process) so the certifying user sees them on the next page;
    documents follow on the `documents` queue. A failure is logged, never raised into workflows."""
    from .services import CertificationError, issue_inventory_labels  # noqa: PLC0415
    from inventories.models import Inventory  # noqa: PLC0415
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    try:
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        inventory = Inventory.objects.get(pk=inventory_id)
        with transaction.atomic():
            issue_inventory_labels(inventory=inventory, issued_by=actor)
    except CertificationError as error:
        logger.error("labels of inventory %s not issued: %s", inventory_id, "; ".join(error.messages))
    except Exception:  # noqa: BLE001 - the certify transition has committed; report, do not break it
        logger.exception("labels of inventory %s not issued", inventory_id)


def connect() -> bool:
    try:
        from workflows.signals import inventory_certified  # noqa: PLC0415
    except ImportError:
        return False
    inventory_certified.connect(on_inventory_certified, dispatch_uid="certificates.issue_labels")
    return True
