"""Product carbon footprints (GB/T 24067): allocation, upstream inputs, and a supplier's product
label used as the upstream input of a buyer's product, end to end through the portal."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from carbon_portal.accounts.models import Enterprise
from carbon_portal.core.errors import Conflict, InvalidInput
from certificates.footprints import FootprintError, ProductInput, Upstream, product_footprints
from certificates.models import Label
from certificates.services import (
    add_upstream_input,
    certification_problems,
    revoke_label,
    set_footprint_method,
)
from inventories.models import InventoryProduct

from .factories import make_inventory, set_status

C = Decimal(44) / Decimal(12)
Q6 = Decimal("0.000001")


def test_allocation_by_physical_output_and_by_value():
    products = [ProductInput(1, "A", "t", Decimal("300"), Decimal("10")),
                ProductInput(2, "B", "t", Decimal("100"), Decimal("30"))]
    physical = product_footprints(Decimal("400"), products, "physical")
    assert [f.allocated_tco2e for f in physical] == [Decimal("300"), Decimal("100")]
    assert [f.per_unit_tco2e for f in physical] == [Decimal("1"), Decimal("1")]
    economic = product_footprints(Decimal("400"), products, "economic")
    assert [f.allocated_tco2e for f in economic] == [Decimal("100"), Decimal("300")]


def test_physical_allocation_needs_one_unit_and_value_allocation_needs_values():
    mixed = [ProductInput(1, "A", "t", Decimal("1"), None), ProductInput(2, "B", "m2", Decimal("1"), None)]
    with pytest.raises(FootprintError, match="one declared unit"):
        product_footprints(Decimal("1"), mixed, "physical")
    with pytest.raises(FootprintError, match="output value"):
        product_footprints(Decimal("1"), mixed, "economic")


def test_upstream_factor_is_converted_between_known_units():
    upstream = (Upstream("steel", Decimal("2000"), "kg", Decimal("1.9"), "t", "label", "88.1/P2025-X"),)
    [footprint] = product_footprints(Decimal("0"), [ProductInput(1, "A", "piece", Decimal("10"), None, upstream)],
                                     "physical")
    assert footprint.upstream_tco2e == Decimal("3.8000")
    bad = (Upstream("steel", Decimal("1"), "m2", Decimal("1"), "t", "factor", "x"),)
    with pytest.raises(FootprintError, match="cannot convert"):
        product_footprints(Decimal("0"), [ProductInput(1, "A", "t", Decimal("1"), None, bad)], "physical")


@pytest.fixture
def supplier_label(demo, users, issue):
    """Enterprise B (chemicals) certifies soda ash: its product label carries a footprint per t."""
    enterprise_b = Enterprise.objects.get(name="宁波东海化工有限公司")
    inventory = make_inventory(enterprise_b, users["officer_b"], added_value="4000", lines=[
        {"category": "purchased_electricity", "quantity": "5000", "unit": "MWh"},
        {"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "200000", "unit": "m3"},
    ], products=[("纯碱 Soda ash", "t", "20000", None)])
    labels = issue(inventory)
    return next(label for label in labels if label.kind == "product")


def test_supplier_label_feeds_the_buyers_product_footprint_end_to_end(supplier_label, inventory_a, users, issue):
    # The supplier's footprint by hand: (5000 MWh × 0.5306 + 20 × 389.31 × 0.0153 × 0.99 × 44/12) / 20000 t.
    supplier_total = Decimal("5000") * Decimal("0.5306") + Decimal("20") * Decimal("389.31") * Decimal(
        "0.0153") * Decimal("0.99") * C
    supplier_per_t = (supplier_total / Decimal("20000"))
    assert supplier_label.footprint_per_unit == supplier_per_t.quantize(Decimal("0.000000001"))

    # The buyer (enterprise A) makes flat glass and glassware; its officer enters the inputs.
    officer = users["officer_a"]
    glass = InventoryProduct.objects.create(inventory=inventory_a, name="平板玻璃 Flat glass", declared_unit="t",
                                            output=Decimal("30000"))
    InventoryProduct.objects.create(inventory=inventory_a, name="玻璃制品 Glassware", declared_unit="t",
                                    output=Decimal("10000"))
    set_footprint_method(inventory=inventory_a, allocation_basis="physical", user=officer,
                         note="Same furnace, mass-based")
    add_upstream_input(product=glass, description="纯碱 Soda ash", quantity="6000", unit="t", user=officer,
                       supplier_identifier=supplier_label.identifier)
    add_upstream_input(product=glass, description="石英砂 Quartz sand", quantity="18000", unit="t", user=officer,
                       emission_factor="0.0025", factor_source="Supplier declaration 2025 (demo)")

    labels = issue(inventory_a)
    product_label = next(label for label in labels if label.kind == "product" and label.product == glass)
    site_total = Decimal("5070.134083")  # demo A result (test_issuance works it out by hand)
    allocated = site_total * Decimal("30000") / Decimal("40000")
    upstream = Decimal("6000") * supplier_label.footprint_per_unit + Decimal("18000") * Decimal("0.0025")
    figures = product_label.figures
    assert Decimal(figures["allocation"]["allocated_tco2e"]) == allocated.quantize(Q6)
    assert Decimal(figures["upstream_tco2e"]) == upstream.quantize(Q6)
    assert Decimal(figures["footprint_per_unit_tco2e"]) == ((allocated + upstream) / Decimal("30000")).quantize(
        Decimal("0.000000001"))
    soda = next(item for item in figures["upstream"] if item["source"] == "label")
    assert soda["reference"] == supplier_label.identifier

    # Resolved by a buyer's buyer: the chain is visible on the public page and in the JSON.
    client = Client()
    data = client.get(f"/api/v1/labels/{product_label.identifier}").json()
    assert data["kind"] == "product" and data["subject"]["product"]["name"] == "平板玻璃 Flat glass"
    assert supplier_label.identifier in client.get(f"/id/{product_label.identifier}").content.decode()


def test_a_revoked_supplier_label_cannot_be_used(supplier_label, inventory_a, users, verifier_body):
    officer = users["officer_a"]
    glass = InventoryProduct.objects.create(inventory=inventory_a, name="Glass", declared_unit="t",
                                            output=Decimal("1000"))
    add_upstream_input(product=glass, description="Soda ash", quantity="10", unit="t", user=officer,
                       supplier_identifier=supplier_label.identifier)
    revoke_label(label=supplier_label, actor=users["admin"], reason="Withdrawn by the verifier")
    with pytest.raises(InvalidInput, match="revoked|已吊销"):
        add_upstream_input(product=glass, description="Soda ash", quantity="1", unit="t", user=officer,
                           supplier_identifier=supplier_label.identifier)
    inventory = set_status(inventory_a, "verified")
    assert any("revoked" in problem for problem in certification_problems(inventory, verifier_body=verifier_body))


def test_a_superseded_supplier_label_is_followed_to_the_new_one(supplier_label, inventory_a, users, issue):
    glass = InventoryProduct.objects.create(inventory=inventory_a, name="Glass", declared_unit="t",
                                            output=Decimal("1000"))
    add_upstream_input(product=glass, description="Soda ash", quantity="10", unit="t", user=users["officer_a"],
                       supplier_identifier=supplier_label.identifier)
    newer = next(label for label in issue(supplier_label.inventory, reissue=True) if label.kind == "product")
    product_label = next(label for label in issue(inventory_a) if label.kind == "product")
    assert product_label.figures["upstream"][0]["reference"] == newer.identifier


def test_inputs_are_entered_by_the_officer_only_and_checked(supplier_label, inventory_a, users, settings):
    settings.LANGUAGE_CODE = "en"
    glass = InventoryProduct.objects.create(inventory=inventory_a, name="Glass", declared_unit="t",
                                            output=Decimal("1000"))
    with pytest.raises(PermissionDenied):
        add_upstream_input(product=glass, description="x", quantity="1", unit="t", user=users["officer_b"],
                           emission_factor="1", factor_source="x")
    with pytest.raises(InvalidInput, match="either"):
        add_upstream_input(product=glass, description="x", quantity="1", unit="t", user=users["officer_a"])
    with pytest.raises(InvalidInput, match="no label"):
        add_upstream_input(product=glass, description="x", quantity="1", unit="t", user=users["officer_a"],
                           supplier_identifier="88.888.8888/P2025-UNKNOWN")
    with pytest.raises(InvalidInput):
        add_upstream_input(product=glass, description="x", quantity="-1", unit="t", user=users["officer_a"],
                           emission_factor="1", factor_source="x")
    set_status(inventory_a, "submitted")
    glass.refresh_from_db()
    with pytest.raises(Conflict):
        add_upstream_input(product=glass, description="x", quantity="1", unit="t", user=users["officer_a"],
                           emission_factor="1", factor_source="x")
    assert Label.objects.filter(kind="product").count() == 1


def test_a_supplier_label_as_upstream_input_over_the_api(supplier_label, inventory_a, users, settings):
    """POST /api/v1/inventories/<id>/upstream-inputs with a supplier label: an active product label
    is taken; a revoked one, an enterprise label or an unknown identifier answer 400."""
    from carbon_portal.accounts.models import Role
    from tests.workflows.support import Api

    settings.LANGUAGE_CODE = "en"
    glass = InventoryProduct.objects.create(inventory=inventory_a, name="Glass", declared_unit="t",
                                            output=Decimal("1000"))
    client = Api()
    client.client.force_authenticate(users["officer_a"])
    assert Role.OFFICER in users["officer_a"].roles
    path = f"inventories/{inventory_a.pk}/upstream-inputs"
    body = {"product": glass.pk, "description": "Soda ash", "quantity": "10", "unit": "t"}
    created = client.post(path, {**body, "supplier_label": supplier_label.identifier})
    assert created.status_code == 201, created.json()
    assert (created.json()["source"], created.json()["supplier_label"]) == ("label", supplier_label.identifier)
    enterprise_label = Label.objects.get(inventory=supplier_label.inventory, kind="enterprise")
    refused = client.post(path, {**body, "supplier_label": enterprise_label.identifier})
    assert refused.status_code == 400 and refused.json()["detail"].startswith("supplier_label:")
    assert client.post(path, {**body, "supplier_label": "88.888.8888/P2025-UNKNOWN"}).status_code == 400
    revoke_label(label=supplier_label, actor=users["admin"], reason="Withdrawn by the verifier")
    revoked = client.post(path, {**body, "supplier_label": supplier_label.identifier})
    assert revoked.status_code == 400 and "revoked" in revoked.json()["detail"].lower()
    assert glass.upstream_inputs.count() == 1
