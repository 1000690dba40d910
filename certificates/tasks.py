"""Celery tasks (queue `documents`): thin wrappers around the services."""

from celery import shared_task

from inventories.models import Inventory

from .models import Label
from .services import documents


@shared_task
def render_label_certificate(label_id: int) -> int:
    return documents.render_label_certificate(label=Label.objects.select_related("inventory").get(pk=label_id)).pk


@shared_task
def render_inventory_report(inventory_id: int) -> int:
    return documents.render_inventory_report(inventory=Inventory.objects.get(pk=inventory_id)).pk


@shared_task
def render_verification_statement(inventory_id: int) -> int:
    return documents.render_verification_statement(inventory=Inventory.objects.get(pk=inventory_id)).pk


@shared_task
def render_inventory_documents(inventory_id: int) -> None:
    """The documents of the inventory's current labels not rendered yet (services/documents.py)."""
    documents.render_inventory_documents(inventory_id=inventory_id)
