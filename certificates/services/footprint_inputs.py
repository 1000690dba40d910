"""Writes of product-footprint inputs: the allocation basis and the upstream inputs."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .. import identifiers
from ..footprint_inputs import label_in_force
from ..footprints import FootprintError
from ..models import AllocationBasis, FootprintMethod, Label, UpstreamInput
from ..policies import can_edit_footprint_inputs


def _decimal(value, what: str) -> Decimal:
    if isinstance(value, float) or isinstance(value, bool):
        raise ValidationError(f"{what} must be a decimal string")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{what} {value!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise ValidationError(f"{what} must be a number not below zero")
    return number


def _check_editable(user, inventory) -> None:
    if not can_edit_footprint_inputs(user, inventory):
        raise PermissionDenied("Footprint inputs are edited by the enterprise's officer until the inventory is "
                               "submitted for review.")


@transaction.atomic
def set_footprint_method(*, inventory, allocation_basis: str, note: str = "", user) -> FootprintMethod:
    _check_editable(user, inventory)
    if allocation_basis not in AllocationBasis.values:
        raise ValidationError(f"allocation basis must be one of {', '.join(AllocationBasis.values)}")
    method, _created = FootprintMethod.objects.update_or_create(
        inventory=inventory, defaults={"allocation_basis": allocation_basis, "note": note})
    return method


@transaction.atomic
def add_upstream_input(*, product, description: str, quantity, unit: str, user, emission_factor=None,
                       factor_source: str = "", supplier_identifier: str = "") -> UpstreamInput:
    """An upstream input valued either by an emission factor (tCO2e per `unit`, with its source) or by
    a supplier's product label issued by this portal, given by its identifier."""
    _check_editable(user, product.inventory)
    quantity = _decimal(quantity, "quantity")
    supplier_identifier = (supplier_identifier or "").strip()
    if bool(supplier_identifier) == (emission_factor not in (None, "")):
        raise ValidationError("Give either an emission factor or a supplier label identifier.")
    item = UpstreamInput(product=product, description=description, quantity=quantity, unit=unit,
                         created_by=user)
    if supplier_identifier:
        label = Label.objects.filter(identifier=supplier_identifier).first() \
            if identifiers.is_well_formed(supplier_identifier) else None
        if label is None:
            raise ValidationError(f"No label {supplier_identifier} is issued by this portal.")
        try:
            label_in_force(label)
        except FootprintError as error:
            raise ValidationError(str(error)) from None
        if label.inventory_id == product.inventory_id:
            raise ValidationError("A product cannot use a label of its own inventory as an upstream input.")
        item.source, item.supplier_label = UpstreamInput.Source.LABEL, label
    else:
        item.source = UpstreamInput.Source.FACTOR
        item.emission_factor = _decimal(emission_factor, "emission factor")
        item.factor_source = factor_source
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def remove_upstream_input(*, upstream_input: UpstreamInput, user) -> None:
    _check_editable(user, upstream_input.product.inventory)
    upstream_input.delete()
