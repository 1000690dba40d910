"""Products: the enterprise's catalogue and the products of an inventory's year
(inventories/products.py), and a facility's boundary (inventories/master_data.py)."""

from decimal import Decimal

import pytest

from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from inventories import master_data, products
from inventories.models import InventoryProduct, Product
from tests.workflows.support import advance, enterprise_a, new_inventory, step, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def officer_a(demo):
    return user("officer_a")


@pytest.fixture
def glass(officer_a):
    return products.create_product(actor=officer_a, name="Float glass", code="FG-6", declared_unit="t",
                                   description="6 mm float glass")


@pytest.fixture
def inventory(demo):
    return new_inventory(year=2024)


def test_an_officer_registers_a_product_in_the_catalogue(glass, officer_a):
    assert glass.enterprise == enterprise_a() and glass.is_active
    assert (glass.code, glass.declared_unit) == ("FG-6", "t")
    assert glass in products.products_visible_to(user("reviewer_a"))
    assert glass not in products.products_visible_to(user("officer_b"))
    with pytest.raises(NotFound):
        products.product_for(user("officer_b"), glass.pk)


def test_catalogue_refusals(glass, officer_a):
    with pytest.raises(InvalidInput, match="^name:") as taken:
        products.create_product(actor=officer_a, name="Float glass", declared_unit="t")
    assert taken.value.code == "duplicate"
    with pytest.raises(InvalidInput, match="^declared_unit:"):
        products.create_product(actor=officer_a, name="Tiles", declared_unit="")
    with pytest.raises(InvalidInput, match="control character"):
        products.create_product(actor=officer_a, name="Tiles\x07", declared_unit="m2")
    with pytest.raises(PermissionDenied):
        products.create_product(actor=user("reviewer_a"), name="Tiles", declared_unit="m2")
    with pytest.raises(PermissionDenied):
        products.update_product(actor=user("reviewer_a"), product_id=glass.pk, changes={"name": "X"})
    with pytest.raises(NotFound):
        products.update_product(actor=user("officer_b"), product_id=glass.pk, changes={"name": "X"})
    with pytest.raises(InvalidInput):
        products.update_product(actor=officer_a, product_id=glass.pk, changes={"is_active": "yes"})
    assert Product.objects.get(pk=glass.pk).name == "Float glass"


def test_a_listed_product_keeps_its_name_and_unit_when_the_catalogue_changes(glass, inventory, officer_a):
    entry = products.add_inventory_product(actor=officer_a, inventory_id=inventory.pk, product=glass.pk,
                                           output="12000", value_10k_yuan="3600")
    assert (entry.name, entry.declared_unit, entry.output, entry.value_10k_yuan) == (
        "Float glass", "t", Decimal("12000"), Decimal("3600"))
    products.update_product(actor=officer_a, product_id=glass.pk,
                            changes={"name": "Float glass 6 mm", "declared_unit": "m2"})
    entry.refresh_from_db()
    assert (entry.name, entry.declared_unit, entry.product_id) == ("Float glass", "t", glass.pk)
    assert Product.objects.get(pk=glass.pk).name == "Float glass 6 mm"


def test_listing_refuses_another_enterprises_product_a_duplicate_and_bad_numbers(glass, inventory, officer_a):
    theirs = products.create_product(actor=user("officer_b"), name="Their product", declared_unit="t")
    with pytest.raises(InvalidInput, match="^product:"):
        products.add_inventory_product(actor=officer_a, inventory_id=inventory.pk, product=theirs.pk, output="1")
    products.add_inventory_product(actor=officer_a, inventory_id=inventory.pk, product=glass.pk, output="1")
    with pytest.raises(InvalidInput, match="already lists"):
        products.add_inventory_product(actor=officer_a, inventory_id=inventory.pk, product=glass.pk, output="2")
    other = products.create_product(actor=officer_a, name="Glassware", declared_unit="piece")
    for bad in ("0", "-1", "１２", "abc", None, "1e20"):
        with pytest.raises(InvalidInput, match="^output:"):
            products.add_inventory_product(actor=officer_a, inventory_id=inventory.pk, product=other.pk, output=bad)
    with pytest.raises(InvalidInput):
        products.add_inventory_product(actor=officer_a, inventory_id=inventory.pk, product=other.pk, output="1.1234567")
    products.update_product(actor=officer_a, product_id=other.pk, changes={"is_active": False})
    with pytest.raises(InvalidInput, match="no longer active"):
        products.add_inventory_product(actor=officer_a, inventory_id=inventory.pk, product=other.pk, output="1")
    with pytest.raises(NotFound):
        products.add_inventory_product(actor=user("officer_b"), inventory_id=inventory.pk, product=theirs.pk,
                                       output="1")
    with pytest.raises(PermissionDenied):
        products.add_inventory_product(actor=user("reviewer_a"), inventory_id=inventory.pk, product=glass.pk,
                                       output="1")
    assert list(inventory.products.values_list("product__name", flat=True)) == ["Float glass"]


def test_output_and_value_change_and_the_product_comes_off_while_open(glass, inventory, officer_a):
    entry = products.add_inventory_product(actor=officer_a, inventory_id=inventory.pk, product=glass.pk, output="5")
    changed = products.update_inventory_product(actor=officer_a, inventory_id=inventory.pk, entry_id=entry.pk,
                                                changes={"output": "7.5", "value_10k_yuan": "12"})
    assert (changed.output, changed.value_10k_yuan) == (Decimal("7.5"), Decimal("12"))
    products.update_inventory_product(actor=officer_a, inventory_id=inventory.pk, entry_id=entry.pk,
                                      changes={"value_10k_yuan": ""})
    assert InventoryProduct.objects.get(pk=entry.pk).value_10k_yuan is None
    products.remove_inventory_product(actor=officer_a, inventory_id=inventory.pk, entry_id=entry.pk)
    assert not inventory.products.exists()
    with pytest.raises(NotFound):
        products.remove_inventory_product(actor=officer_a, inventory_id=inventory.pk, entry_id=entry.pk)


def test_products_are_frozen_from_the_internal_review_on(glass, inventory, officer_a):
    entry = products.add_inventory_product(actor=officer_a, inventory_id=inventory.pk, product=glass.pk, output="5")
    advance(inventory, "calculated")  # still open: the products do not change the site's calculation
    products.update_inventory_product(actor=officer_a, inventory_id=inventory.pk, entry_id=entry.pk,
                                      changes={"output": "6"})
    step(inventory, "submit_review", "officer_a")
    other = products.create_product(actor=officer_a, name="Glassware", declared_unit="piece")
    with pytest.raises(Conflict) as frozen:
        products.add_inventory_product(actor=officer_a, inventory_id=inventory.pk, product=other.pk, output="1")
    assert frozen.value.code == "data_frozen"
    with pytest.raises(Conflict):
        products.update_inventory_product(actor=officer_a, inventory_id=inventory.pk, entry_id=entry.pk,
                                          changes={"output": "9"})
    with pytest.raises(Conflict):
        products.remove_inventory_product(actor=officer_a, inventory_id=inventory.pk, entry_id=entry.pk)
    # The catalogue stays open, and changing it does not touch the frozen inventory.
    products.update_product(actor=officer_a, product_id=glass.pk, changes={"name": "Renamed"})
    assert InventoryProduct.objects.get(pk=entry.pk).name == "Float glass"
    assert InventoryProduct.objects.get(pk=entry.pk).output == Decimal("6")


def test_a_facility_has_its_boundary(officer_a):
    facility = master_data.create_facility(actor=officer_a, name="East works",
                                           boundary="Inside: kilns 1-3.\nOutside: the leased warehouse.")
    assert facility.boundary.startswith("Inside: kilns 1-3.\nOutside")
    changed = master_data.update_facility(actor=officer_a, facility_id=facility.pk,
                                          changes={"boundary": "Inside: all of the site."})
    assert changed.boundary == "Inside: all of the site."
    with pytest.raises(InvalidInput, match="^boundary:"):
        master_data.update_facility(actor=officer_a, facility_id=facility.pk, changes={"boundary": "x\x00"})
    with pytest.raises(InvalidInput, match="^boundary:"):
        master_data.update_facility(actor=officer_a, facility_id=facility.pk, changes={"boundary": "x" * 4001})
