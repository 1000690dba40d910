"""Writes of product-footprint inputs: the allocation basis and the upstream inputs.

Each runs in one transaction and refuses with `carbon_portal.core.errors`: `PermissionDenied` for
someone who is not a carbon officer of the enterprise, `Conflict` (code `data_frozen`) once the
inventory has gone to internal review, `InvalidInput` (field first) for bad values, a supplier
label that is not an active product label of this portal included."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from carbon_portal.core.text import clean_text
from inventories.calculation.decimals import is_number_text
from inventories.models import Inventory, InventoryProduct
from inventories.policies import is_officer_of, products_editable, products_refusal

from .. import identifiers
from ..footprint_inputs import label_in_force
from ..footprints import FootprintError
from ..models import AllocationBasis, FootprintMethod, Label, UpstreamInput


def _decimal(value, field: str, *, required: bool = True) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise InvalidInput(_("%(field)s: this field is required.") % {"field": field})
        return None
    number = None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, (int, str)) and not isinstance(value, bool) and is_number_text(str(value).strip()):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        raise InvalidInput(_("%(field)s: enter a number with the digits 0-9.") % {"field": field})
    if number < 0 or number >= Decimal("1e14"):
        raise InvalidInput(_("%(field)s: a number not below 0 and below 10^14.") % {"field": field})
    return number


def _text(value, field: str, label, *, max_length: int, required: bool = True) -> str:
    return clean_text(field, label, value, max_length=max_length, required=required)


def _check_editable(user, inventory) -> None:
    if not is_officer_of(user, inventory.enterprise_id):
        raise PermissionDenied(_("Footprint inputs are entered by the enterprise's carbon officers."))
    if not products_editable(inventory):
        raise Conflict(products_refusal(inventory), code="data_frozen")


def _locked(inventory) -> Inventory:
    return Inventory.objects.select_for_update().get(pk=inventory.pk)


def _save(item) -> None:
    try:
        item.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(messages[0] if field == "__all__" else f"{field}: {messages[0]}") from None
    item.save()


@transaction.atomic
def set_footprint_method(*, inventory, allocation_basis: str, note: str = "", user) -> FootprintMethod:
    _check_editable(user, _locked(inventory))
    if allocation_basis not in AllocationBasis.values:
        raise InvalidInput(_("allocation_basis: one of %(choices)s.") % {"choices": ", ".join(AllocationBasis.values)})
    method, _created = FootprintMethod.objects.update_or_create(
        inventory=inventory, defaults={"allocation_basis": allocation_basis, "note": note})
    return method


def supplier_label(identifier: str, product: InventoryProduct) -> Label:
    """The supplier's product label of this portal that `identifier` names, usable as an upstream
    input of `product` (active, a product label with its footprint, not of the product's own
    inventory); InvalidInput otherwise."""
    label = Label.objects.filter(identifier=identifier).first() if identifiers.is_well_formed(identifier) else None
    if label is None:
        raise InvalidInput(_("supplier_label: no label %(identifier)s is issued by this portal.")
                           % {"identifier": identifier}, code="unknown_label")
    try:
        in_force = label_in_force(label)
    except FootprintError:
        raise InvalidInput(_("supplier_label: %(identifier)s is not an active product label with a footprint "
                             "(it is %(status)s).") % {"identifier": identifier, "status": _label_state(label)},
                           code="label_not_active") from None
    if label.inventory_id == product.inventory_id or in_force.inventory_id == product.inventory_id:
        raise InvalidInput(_("supplier_label: a product cannot use a label of its own inventory as an upstream "
                             "input."))
    return label


def _label_state(label: Label) -> str:
    seen = set()
    while label.superseded_by_id is not None and label.pk not in seen:
        seen.add(label.pk)
        label = label.superseded_by
    if label.kind != Label.Kind.PRODUCT:
        return str(label.get_kind_display())
    return str(Label.Status(label.effective_status()).label)


@transaction.atomic
def add_upstream_input(*, product, description: str, quantity, unit: str, user, emission_factor=None,
                       factor_source: str = "", supplier_identifier: str = "", inventory=None) -> UpstreamInput:
    """An upstream input of a product of the inventory year, valued either by an emission factor
    (tCO2e per `unit`, with its source) or by a supplier's product label issued by this portal,
    given by its identifier. With `inventory`, `product` (an id or the product) must be one of its
    products (else InvalidInput)."""
    if inventory is not None:
        found = InventoryProduct.objects.filter(inventory=inventory, pk=_product_id(product)).first()
        if found is None:
            raise InvalidInput(_("product: no such product in this inventory."))
        product = found
    elif not isinstance(product, InventoryProduct):
        raise NotFound(_("No such product in this inventory."))
    _check_editable(user, _locked(product.inventory))
    item = UpstreamInput(product=product, created_by=user,
                         description=_text(description, "description", _("Input"), max_length=200),
                         quantity=_decimal(quantity, "quantity"),
                         unit=_text(unit, "unit", _("Unit"), max_length=30))
    supplier_identifier = _text(supplier_identifier, "supplier_label", _("Supplier's label identifier"),
                                max_length=140, required=False)
    if bool(supplier_identifier) == (emission_factor not in (None, "")):
        raise InvalidInput(_("Give either an emission factor (with its source) or a supplier label identifier."),
                           code="one_source")
    if supplier_identifier:
        item.source, item.supplier_label = UpstreamInput.Source.LABEL, supplier_label(supplier_identifier, product)
    else:
        item.source = UpstreamInput.Source.FACTOR
        item.emission_factor = _decimal(emission_factor, "emission_factor")
        item.factor_source = _text(factor_source, "factor_source", _("Source of the factor"), max_length=300)
    _save(item)
    return item


def _product_id(product) -> int:
    if isinstance(product, InventoryProduct):
        return product.pk
    if isinstance(product, int) and not isinstance(product, bool):
        return product
    return int(product) if isinstance(product, str) and product.isascii() and product.isdigit() else -1


@transaction.atomic
def remove_upstream_input(*, upstream_input: UpstreamInput, user) -> None:
    _check_editable(user, _locked(upstream_input.product.inventory))
    upstream_input.delete()
