"""Gathers the footprint inputs of an inventory from the database for `footprints` (pure)."""

from decimal import Decimal

from .footprints import FootprintError, ProductInput, Upstream, product_footprints
from .models import AllocationBasis, Label, UpstreamInput


def label_in_force(label: Label) -> Label:
    """The supplier label an input refers to, following supersession to the newest label of the
    same subject and period; FootprintError when that one is not active."""
    seen = set()
    while label.superseded_by_id is not None and label.pk not in seen:
        seen.add(label.pk)
        label = label.superseded_by
    if label.kind != Label.Kind.PRODUCT:
        raise FootprintError(f"{label.identifier} is not a product label")
    status = label.effective_status()
    if status != Label.Status.ACTIVE:
        raise FootprintError(f"supplier label {label.identifier} is {status}")
    if label.footprint_per_unit is None:
        raise FootprintError(f"supplier label {label.identifier} has no footprint")
    return label


def allocation_basis(inventory) -> str:
    method = getattr(inventory, "footprint_method", None)
    return method.allocation_basis if method is not None else AllocationBasis.PHYSICAL


def upstream_of(item: UpstreamInput) -> Upstream:
    if item.source == UpstreamInput.Source.LABEL:
        label = label_in_force(item.supplier_label)
        return Upstream(item.description, item.quantity, item.unit, label.footprint_per_unit,
                        label.figures["declared_unit"], "label", label.identifier)
    return Upstream(item.description, item.quantity, item.unit, item.emission_factor, item.unit, "factor",
                    item.factor_source)


def product_inputs(inventory) -> list[ProductInput]:
    products = inventory.products.order_by("id").prefetch_related("upstream_inputs__supplier_label__superseded_by")
    inputs = []
    for product in products:
        upstream = tuple(upstream_of(item) for item in product.upstream_inputs.all())
        inputs.append(ProductInput(key=product.pk, name=product.name, declared_unit=product.declared_unit,
                                   output=product.output, value_10k_yuan=product.value_10k_yuan, upstream=upstream))
    return inputs


def inventory_footprints(inventory, result) -> list:
    """Footprints of every product of the inventory with the site total of `result`;
    FootprintError names the first problem."""
    inputs = product_inputs(inventory)
    if not inputs:
        return []
    return product_footprints(Decimal(result.total_tco2e), inputs, allocation_basis(inventory))
