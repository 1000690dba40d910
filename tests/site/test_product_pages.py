"""Products in the portal: the catalogue in master data (create, edit), the products of an
inventory's year on the inventory page (add, change, remove while open), a facility's boundary,
and the way by clicking from a certified inventory with products to its product label."""

import re
from decimal import Decimal

import pytest

from certificates.models import Label, UpstreamInput
from inventories.models import Facility, InventoryProduct, Product
from tests.workflows.support import advance, new_inventory

from .helpers import enterprise_of, messages_of, post, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _form_token(page, action="") -> str:
    """The one-time token of the form posting to `action` (the first form's without)."""
    html = text(page)
    if action:
        html = html[html.index(f'action="{action}"'):]
    found = re.search(r'name="form_token" value="([^"]+)"', html)
    return found.group(1) if found else ""


def _register(officer, name="Float glass", **fields):
    enterprise = enterprise_of("officer_a")
    answer = post(officer, "/portal/master-data/products/new/",
                  {"enterprise": enterprise.pk, "name": name, "code": "FG-6", "declared_unit": "t",
                   "description": "6 mm float glass", "is_active": "on", **fields})
    assert answer.status_code == 302, text(answer)[:3000]
    return Product.objects.get(enterprise=enterprise, name=name)


def test_officer_registers_and_edits_a_product_in_master_data(people):
    officer = people("officer_a")
    index = text(officer.get("/portal/master-data/"))
    assert 'href="/portal/master-data/products/new/"' in index and "No products yet" in index
    assert officer.get("/portal/master-data/products/new/").status_code == 200
    product = _register(officer)
    assert (product.code, product.declared_unit, product.is_active) == ("FG-6", "t", True)
    listing = text(officer.get("/portal/master-data/"))
    assert f'href="/portal/master-data/products/{product.pk}/"' in listing and "FG-6" in listing
    taken = post(officer, "/portal/master-data/products/new/",
                 {"enterprise": product.enterprise_id, "name": "Float glass", "declared_unit": "t"})
    assert taken.status_code == 400 and "already has a product" in text(taken)
    assert post(officer, "/portal/master-data/products/new/",
                {"enterprise": product.enterprise_id, "name": "No unit"}).status_code == 400

    edit = f"/portal/master-data/products/{product.pk}/"
    assert 'value="Float glass"' in text(officer.get(edit))
    changed = post(officer, edit, {"name": "Float glass 6 mm", "code": "FG-6", "declared_unit": "t"})
    assert changed.status_code == 302
    product.refresh_from_db()
    assert product.name == "Float glass 6 mm" and product.is_active is False  # the box was not ticked

    reviewer_page = people("reviewer_a").get(edit)
    assert reviewer_page.status_code == 200 and "<button" not in text(reviewer_page).split("<form")[-1]
    assert post(people("reviewer_a"), edit, {"name": "X", "declared_unit": "t"}).status_code == 403
    assert people("officer_b").get(edit).status_code == 404
    assert post(people("officer_b"), edit, {"name": "X", "declared_unit": "t"}).status_code == 404
    assert Product.objects.get(pk=product.pk).name == "Float glass 6 mm"


def test_a_facility_boundary_in_the_portal(people):
    officer = people("officer_a")
    enterprise = enterprise_of("officer_a")
    created = post(officer, "/portal/master-data/facilities/new/", {
        "enterprise": enterprise.pk, "name": "East works",
        "boundary": "Inside: kilns 1-3.\r\nOutside: the leased depot."})
    assert created.status_code == 302, text(created)[:3000]
    facility = Facility.objects.get(enterprise=enterprise, name="East works")
    assert facility.boundary == "Inside: kilns 1-3.\r\nOutside: the leased depot." or \
        facility.boundary == "Inside: kilns 1-3.\nOutside: the leased depot."
    page = text(officer.get(f"/portal/master-data/facilities/{facility.pk}/"))
    assert "Outside: the leased depot." in page and 'name="boundary"' in page
    changed = post(officer, f"/portal/master-data/facilities/{facility.pk}/",
                   {"name": "East works", "boundary": "Inside: the whole site."})
    assert changed.status_code == 302
    assert Facility.objects.get(pk=facility.pk).boundary == "Inside: the whole site."
    assert "Inside: the whole site." in text(officer.get("/portal/master-data/"))


def test_officer_lists_changes_and_removes_products_of_the_year(people):
    officer = people("officer_a")
    glass = _register(officer)
    inventory = new_inventory(year=2024)
    url = f"/portal/inventories/{inventory.pk}/"
    page = officer.get(url)
    assert 'id="products"' in text(page) and f'action="{url}products/"' in text(page)
    token = _form_token(page, f"{url}products/")
    bad = post(officer, f"{url}products/", {"product": glass.pk, "output": "-3", "form_token": token})
    assert bad.status_code == 400 and not inventory.products.exists()
    added = post(officer, f"{url}products/", {"product": glass.pk, "output": "12000", "value_10k_yuan": "3600",
                                              "form_token": token})
    assert added.status_code == 302 and added["Location"].endswith("#products")
    again = post(officer, f"{url}products/", {"product": glass.pk, "output": "12000", "form_token": token})
    assert again.status_code == 302 and inventory.products.count() == 1  # the same form, sent twice
    entry = InventoryProduct.objects.get(inventory=inventory)
    assert (entry.name, entry.declared_unit, entry.product) == ("Float glass", "t", glass)
    page = text(officer.get(url))
    assert "Float glass" in page and f'href="{url}products/{entry.pk}/"' in page
    assert 'href="/portal/certificates/inventories/%d/"' % inventory.pk in page

    # Renaming the catalogue product does not change the inventory's product.
    post(officer, f"/portal/master-data/products/{glass.pk}/", {"name": "Renamed", "declared_unit": "m2",
                                                                "is_active": "on"})
    entry.refresh_from_db()
    assert (entry.name, entry.declared_unit) == ("Float glass", "t")

    edit = f"{url}products/{entry.pk}/"
    assert officer.get(edit).status_code == 200
    assert post(officer, edit, {"output": "abc"}).status_code == 400
    changed = post(officer, edit, {"output": "13000", "value_10k_yuan": ""})
    assert changed.status_code == 302
    entry.refresh_from_db()
    assert entry.output == Decimal("13000") and entry.value_10k_yuan is None
    assert people("reviewer_a").get(edit).status_code == 200
    assert post(people("reviewer_a"), edit, {"output": "1"}).status_code == 403
    assert people("officer_b").get(edit).status_code == 404
    assert post(people("officer_b"), f"{url}products/{entry.pk}/remove/").status_code == 404
    assert post(people("officer_b"), f"{url}products/", {"product": glass.pk, "output": "1"}).status_code == 404

    removed = post(officer, f"{url}products/{entry.pk}/remove/")
    assert removed.status_code == 302 and not inventory.products.exists()


def test_products_are_read_only_once_the_inventory_is_in_review(people):
    officer = people("officer_a")
    glass = _register(officer)
    inventory = new_inventory(year=2024)
    url = f"/portal/inventories/{inventory.pk}/"
    post(officer, f"{url}products/", {"product": glass.pk, "output": "5"})
    entry = InventoryProduct.objects.get(inventory=inventory)
    from tests.workflows.support import step

    advance(inventory, "calculated")
    step(inventory, "submit_review", "officer_a")
    page = text(officer.get(url))
    assert "frozen" in page and f'action="{url}products/"' not in page
    refused = post(officer, f"{url}products/{entry.pk}/", {"output": "9"})
    assert refused.status_code == 409
    removed = post(officer, f"{url}products/{entry.pk}/remove/", follow=True)
    assert any("frozen" in message for message in messages_of(removed))
    entry.refresh_from_db()
    assert entry.output == Decimal("5")


def test_from_products_to_the_product_label_by_clicking(people):
    """The officer lists a product, enters an upstream input on the certification page (reached
    from the inventory page); once the inventory is certified, the labels page of the inventory
    (linked from its page) shows the product label, and the administrator can issue again there."""
    officer = people("officer_a")
    glass = _register(officer)
    inventory = new_inventory(year=2024)
    url = f"/portal/inventories/{inventory.pk}/"
    post(officer, f"{url}products/", {"product": glass.pk, "output": "12000", "value_10k_yuan": "3600"})
    entry = InventoryProduct.objects.get(inventory=inventory)

    certification = f"/portal/certificates/inventories/{inventory.pk}/"
    assert f'href="{certification}"' in text(officer.get(url))
    page = officer.get(certification)
    assert page.status_code == 200 and "Float glass" in text(page)
    added = post(officer, f"{certification}inputs", {
        "product": entry.pk, "description": "Soda ash", "quantity": "6000", "unit": "t", "source": "factor",
        "emission_factor": "0.42", "factor_source": "Supplier EPD 2025", "form_token": _form_token(page, f"{certification}inputs")})
    assert added.status_code == 302
    assert UpstreamInput.objects.get().product == entry

    certified = advance(inventory, "certified")
    assert certified.status == "certified"
    admin = people("admin")
    detail = text(admin.get(url))
    assert f'href="{certification}"' in detail
    labels_page = admin.get(certification)
    product_label = Label.objects.get(inventory=inventory, kind="product", is_current=True)
    assert product_label.product == entry and product_label.identifier in text(labels_page)
    assert f'action="{certification}issue"' in text(labels_page)
    reissued = post(admin, f"{certification}issue", {"form_token": _form_token(labels_page, f"{certification}issue")})
    assert reissued.status_code == 302
    newest = Label.objects.get(inventory=inventory, kind="product", is_current=True)
    assert newest.pk != product_label.pk and newest.figures["declared_unit"] == "t"
    assert newest.identifier in text(officer.get(certification))
