"""Product carbon footprints, cradle-to-gate (GB/T 24067-2024). Pure: no Django here.

    footprint_i = (site_total × share_i + Σ upstream_i) / output_i        tCO2e per declared unit

share_i is the product's physical output (all products in the same declared unit) or its output
value over the total of all products of the inventory. An upstream input counts
quantity × factor, the factor being an emission factor with its source or a supplier label's
footprint per declared unit (converted when the units differ by a known ratio).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

PLACES = Decimal("0.000001")
UNIT_RATIOS = {  # (from, to): multiply a quantity in `from` by this to get it in `to`
    ("kg", "t"): Decimal("0.001"), ("t", "kg"): Decimal("1000"),
    ("g", "kg"): Decimal("0.001"), ("kg", "g"): Decimal("1000"),
    ("g", "t"): Decimal("0.000001"), ("t", "g"): Decimal("1000000"),
    ("kWh", "MWh"): Decimal("0.001"), ("MWh", "kWh"): Decimal("1000"),
    ("L", "m3"): Decimal("0.001"), ("m3", "L"): Decimal("1000"),
}


class FootprintError(ValueError):
    pass


@dataclass(frozen=True)
class Upstream:
    description: str
    quantity: Decimal
    unit: str
    factor: Decimal  # tCO2e per `factor_unit`
    factor_unit: str
    source: str  # "factor" | "label"
    reference: str  # the factor's source, or the supplier label's identifier


@dataclass(frozen=True)
class ProductInput:
    key: int
    name: str
    declared_unit: str
    output: Decimal
    value_10k_yuan: Decimal | None
    upstream: tuple[Upstream, ...] = ()


@dataclass(frozen=True)
class Footprint:
    key: int
    name: str
    declared_unit: str
    output: Decimal
    basis: str
    share: Decimal
    allocated_tco2e: Decimal
    upstream_lines: tuple[dict, ...]
    upstream_tco2e: Decimal
    total_tco2e: Decimal
    per_unit_tco2e: Decimal
    site_total_tco2e: Decimal
    warnings: tuple[str, ...] = field(default=())

    def as_figures(self) -> dict:
        return {
            "standard": "GB/T 24067-2024",
            "system_boundary": "cradle_to_gate",
            "declared_unit": self.declared_unit,
            "output": _text(self.output),
            "allocation": {"basis": self.basis, "share": _text(self.share), "site_total_tco2e": _text(self.site_total_tco2e),
                           "allocated_tco2e": _text(self.allocated_tco2e)},
            "upstream": list(self.upstream_lines),
            "upstream_tco2e": _text(self.upstream_tco2e),
            "footprint_total_tco2e": _text(self.total_tco2e),
            "footprint_per_unit_tco2e": _text(self.per_unit_tco2e, Decimal("0.000000001")),
        }


def _text(value: Decimal, places: Decimal = PLACES) -> str:
    return format(value.quantize(places), "f")


def convert_factor(factor: Decimal, factor_unit: str, quantity_unit: str) -> Decimal:
    """A factor per `factor_unit` expressed per `quantity_unit`."""
    if factor_unit == quantity_unit:
        return factor
    ratio = UNIT_RATIOS.get((quantity_unit, factor_unit))
    if ratio is None:
        raise FootprintError(f"cannot convert {quantity_unit} to {factor_unit}")
    return factor * ratio


def shares(products: list[ProductInput], basis: str) -> dict[int, Decimal]:
    if not products:
        return {}
    if basis == "physical":
        units = {product.declared_unit for product in products}
        if len(units) > 1:
            raise FootprintError("allocation by physical output needs one declared unit for all products "
                                 f"(found {', '.join(sorted(units))}); allocate by value instead")
        weights = {product.key: product.output for product in products}
    elif basis == "economic":
        missing = [product.name for product in products if product.value_10k_yuan is None]
        if missing:
            raise FootprintError(f"allocation by value needs the output value of {', '.join(missing)}")
        weights = {product.key: product.value_10k_yuan for product in products}
    else:
        raise FootprintError(f"unknown allocation basis {basis!r}")
    total = sum(weights.values(), Decimal(0))
    if total <= 0:
        raise FootprintError("the products' total output (or value) is zero")
    return {key: weight / total for key, weight in weights.items()}


def product_footprints(site_total_tco2e: Decimal, products: list[ProductInput], basis: str) -> list[Footprint]:
    """Footprints of every product of a site; FootprintError names the first problem."""
    if site_total_tco2e < 0:
        raise FootprintError("the site's net emissions are negative")
    allocation = shares(products, basis)
    footprints = []
    for product in products:
        if product.output <= 0:
            raise FootprintError(f"{product.name}: the output must be positive")
        lines, upstream_total = [], Decimal(0)
        for item in product.upstream:
            try:
                factor = convert_factor(item.factor, item.factor_unit, item.unit)
            except FootprintError as error:
                raise FootprintError(f"{product.name}, {item.description}: {error}") from None
            emissions = item.quantity * factor
            upstream_total += emissions
            lines.append({"description": item.description, "quantity": format(item.quantity.normalize(), "f"),
                          "unit": item.unit, "source": item.source, "reference": item.reference,
                          "factor": format(item.factor.normalize(), "f"), "factor_unit": f"tCO2e/{item.factor_unit}",
                          "tco2e": _text(emissions)})
        allocated = site_total_tco2e * allocation[product.key]
        total = allocated + upstream_total
        footprints.append(Footprint(
            key=product.key, name=product.name, declared_unit=product.declared_unit, output=product.output,
            basis=basis, share=allocation[product.key], allocated_tco2e=allocated, upstream_lines=tuple(lines),
            upstream_tco2e=upstream_total, total_tco2e=total, per_unit_tco2e=total / product.output,
            site_total_tco2e=site_total_tco2e,
        ))
    return footprints
