"""Products: the enterprise's catalogue, and the products of an inventory's year with their output
and value (GB/T 24067 product footprints; docs/interfaces.md §7).

Reads are scoped to the user: the catalogue like the other master data (officers and reviewers of
the enterprise, platform administrators), an inventory's products to whoever may see the
inventory. Writes are for the enterprise's carbon officers; each runs in one transaction and
refuses with `carbon_portal.core.errors`: `NotFound` for what the user cannot see,
`PermissionDenied` for a reader who is no officer, `InvalidInput` (field first in the message) for
bad values, `Conflict` (code `data_frozen`) when the inventory's state no longer allows a change.

An inventory's product keeps its own copy of the catalogue product's name and declared unit,
taken when it is added: renaming or changing the catalogue never alters an inventory, and from
the internal review on (`inventories.policies.PRODUCTS_EDITABLE_STATES`) an inventory's products
do not change at all.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext as _

from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied

from .master_data import (
    _decimal,
    _ensure_officer,
    _enterprise_for_create,
    _id,
    _save,
    _text,
    enterprises_readable_by,
)
from .models import Inventory, InventoryProduct, Product
from .policies import is_officer_of, products_editable, products_refusal
from .selectors import inventories_visible_to

PRODUCT_FIELDS = ("name", "code", "declared_unit", "description", "is_active")

# --- Reads -----------------------------------------------------------------------------------------


def products_visible_to(user) -> QuerySet[Product]:
    return (Product.objects.filter(enterprise__in=enterprises_readable_by(user))
            .select_related("enterprise").order_by("enterprise__name", "name"))


def product_for(user, product_id) -> Product:
    product = products_visible_to(user).filter(pk=_id(product_id)).first()
    if product is None:
        raise NotFound(_("No such product."))
    return product


def products_of(inventory: Inventory) -> QuerySet[InventoryProduct]:
    """The products of the inventory's year (the caller has found the inventory for the user)."""
    return inventory.products.select_related("product").order_by("name", "id")


def inventory_product_of(inventory: Inventory, entry_id) -> InventoryProduct:
    entry = products_of(inventory).filter(pk=_id(entry_id)).first()
    if entry is None:
        raise NotFound(_("No such product in this inventory."))
    return entry


def addable_products(inventory: Inventory) -> QuerySet[Product]:
    """Active catalogue products of the inventory's enterprise not yet listed in it."""
    return (Product.objects.filter(enterprise_id=inventory.enterprise_id, is_active=True)
            .exclude(inventory_entries__inventory=inventory).order_by("name"))


def can_edit_products(user, inventory: Inventory) -> bool:
    return is_officer_of(user, inventory.enterprise_id) and products_editable(inventory)


# --- Catalogue ---------------------------------------------------------------------------------------


def _apply_product(product: Product, values: dict) -> None:
    if "name" in values:
        product.name = _text("name", _("Name"), values["name"], max_length=200)
    if "code" in values:
        product.code = _text("code", _("Product code or model number"), values["code"], max_length=64,
                             required=False)
    if "declared_unit" in values:
        product.declared_unit = _text("declared_unit", _("Declared unit"), values["declared_unit"], max_length=30)
    if "description" in values:
        product.description = _text("description", _("Description"), values["description"], max_length=2000,
                                    required=False, multiline=True)
    if "is_active" in values:
        if not isinstance(values["is_active"], bool):
            raise InvalidInput(_("%(field)s: true or false.") % {"field": "active"})
        product.is_active = values["is_active"]
    taken = Product.objects.filter(enterprise_id=product.enterprise_id, name=product.name)
    if taken.exclude(pk=product.pk).exists():
        raise InvalidInput(_("name: the enterprise already has a product of this name."), code="duplicate")


@transaction.atomic
def create_product(*, actor, name, declared_unit, code="", description="", is_active=True,
                   enterprise=None) -> Product:
    owner = _enterprise_for_create(actor, enterprise)
    product = Product(enterprise=owner)
    _apply_product(product, {"name": name, "code": code, "declared_unit": declared_unit,
                             "description": description, "is_active": is_active})
    _save(product)
    return product


@transaction.atomic
def update_product(*, actor, product_id, changes: dict) -> Product:
    """Change a catalogue product. Inventories that list it keep the name and unit they took."""
    product = product_for(actor, product_id)
    _ensure_officer(actor, product.enterprise_id)
    product = Product.objects.select_for_update().get(pk=product.pk)
    _apply_product(product, {key: value for key, value in changes.items() if key in PRODUCT_FIELDS})
    _save(product)
    return product


# --- The products of an inventory's year ---------------------------------------------------------------


def _inventory_for_change(actor, inventory_id) -> Inventory:
    """The inventory, locked, when `actor` may change its products now."""
    visible = inventories_visible_to(actor).filter(pk=_id(inventory_id)).first()
    if visible is None:
        raise NotFound(_("No such inventory."))
    if not is_officer_of(actor, visible.enterprise_id):
        raise PermissionDenied(_("Only the enterprise's carbon officers change its products."))
    inventory = Inventory.objects.select_for_update().get(pk=visible.pk)
    if not products_editable(inventory):
        raise Conflict(products_refusal(inventory), code="data_frozen")
    return inventory


def _value(value):
    return None if value in (None, "") else _decimal("value_10k_yuan", value)


def _output(value):
    if value in (None, ""):
        raise InvalidInput(_("%(field)s: this field is required.") % {"field": "output"})
    return _decimal("output", value)


@transaction.atomic
def add_inventory_product(*, actor, inventory_id, product, output, value_10k_yuan=None) -> InventoryProduct:
    """List a catalogue product of the inventory's enterprise in the inventory, with its output (in
    the declared unit) and output value (10^4 yuan); its name and unit are copied."""
    inventory = _inventory_for_change(actor, inventory_id)
    chosen = Product.objects.filter(pk=_id(product), enterprise_id=inventory.enterprise_id).first()
    if chosen is None:
        raise InvalidInput(_("product: no such product in this enterprise's catalogue."))
    if not chosen.is_active:
        raise InvalidInput(_("product: the product is no longer active in the catalogue."))
    if inventory.products.filter(product=chosen).exists():
        raise InvalidInput(_("product: the inventory already lists this product."), code="duplicate")
    entry = InventoryProduct(inventory=inventory, product=chosen, name=chosen.name,
                             declared_unit=chosen.declared_unit, output=_output(output),
                             value_10k_yuan=_value(value_10k_yuan))
    _save(entry)
    return entry


@transaction.atomic
def update_inventory_product(*, actor, inventory_id, entry_id, changes: dict) -> InventoryProduct:
    """Change the output or the output value of a product of the inventory (its name and unit stay
    as taken from the catalogue)."""
    inventory = _inventory_for_change(actor, inventory_id)
    entry = InventoryProduct.objects.select_for_update().filter(inventory=inventory, pk=_id(entry_id)).first()
    if entry is None:
        raise NotFound(_("No such product in this inventory."))
    if "output" in changes:
        entry.output = _output(changes["output"])
    if "value_10k_yuan" in changes:
        entry.value_10k_yuan = _value(changes["value_10k_yuan"])
    _save(entry)
    return entry


@transaction.atomic
def remove_inventory_product(*, actor, inventory_id, entry_id) -> None:
    """Take a product off the inventory, with its upstream inputs."""
    inventory = _inventory_for_change(actor, inventory_id)
    entry = InventoryProduct.objects.select_for_update().filter(inventory=inventory, pk=_id(entry_id)).first()
    if entry is None:
        raise NotFound(_("No such product in this inventory."))
    try:
        entry.delete()  # a label issued for it protects it (checked before anything is deleted)
    except ProtectedError:
        raise Conflict(_("A label has been issued for this product: it stays in the inventory."),
                       code="labelled") from None
