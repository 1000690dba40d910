"""Products over the API (docs/interfaces.md §7): the catalogue (/api/v1/products), the products of
an inventory's year (/api/v1/inventories/<id>/products) and their upstream inputs
(/api/v1/inventories/<id>/upstream-inputs); a facility's boundary. Officers write, readers read,
another enterprise gets 404, and from the internal review on the inventory's products answer 409."""

from decimal import Decimal

import pytest

from certificates.models import UpstreamInput
from inventories.models import Facility, InventoryProduct, Product
from tests.workflows.support import advance, enterprise_a, new_inventory, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory(demo):
    return new_inventory(year=2024)


def _product(client, name="Float glass", **fields):
    answer = client.post("products", {"name": name, "declared_unit": "t", "code": "FG-6", **fields})
    assert answer.status_code == 201, answer.json()
    return answer.json()


def _listed(client, inventory, product, output="12000", value="3600"):
    answer = client.post(f"inventories/{inventory.pk}/products",
                         {"product": product["id"], "output": output, "value_10k_yuan": value})
    assert answer.status_code == 201, answer.json()
    return answer.json()


def test_catalogue_create_list_patch(officer_a, reviewer_a, officer_b):
    created = _product(officer_a, description="6 mm")
    assert created["enterprise"] == enterprise_a().pk and created["active"] is True
    assert (created["code"], created["declared_unit"], created["description"]) == ("FG-6", "t", "6 mm")
    assert created["id"] in [row["id"] for row in reviewer_a.get("products").json()["products"]]
    assert created["id"] not in [row["id"] for row in officer_b.get("products").json()["products"]]
    assert reviewer_a.get(f"products/{created['id']}").json()["name"] == "Float glass"
    changed = officer_a.patch(f"products/{created['id']}", {"name": "Float glass 6 mm", "active": False})
    assert changed.status_code == 200 and changed.json()["name"] == "Float glass 6 mm"
    assert changed.json()["active"] is False and changed.json()["code"] == "FG-6"


def test_catalogue_refusals(officer_a, officer_b, reviewer_a):
    created = _product(officer_a)
    taken = officer_a.post("products", {"name": "Float glass", "declared_unit": "t"})
    assert taken.status_code == 400 and taken.json()["code"] == "duplicate"
    assert taken.json()["detail"].startswith("name:")
    assert officer_a.post("products", {"name": "No unit"}).status_code == 400
    assert officer_a.post("products", {"name": "Bell\x07", "declared_unit": "t"}).status_code == 400
    assert reviewer_a.post("products", {"name": "Reviewer's", "declared_unit": "t"}).status_code == 403
    assert reviewer_a.patch(f"products/{created['id']}", {"name": "X"}).status_code == 403
    assert officer_b.get(f"products/{created['id']}").status_code == 404
    assert officer_b.patch(f"products/{created['id']}", {"name": "Mine"}).status_code == 404
    assert officer_b.post("products", {"name": "Into A", "declared_unit": "t",
                                       "enterprise": enterprise_a().pk}).status_code == 403
    assert Product.objects.get(pk=created["id"]).name == "Float glass"


def test_inventory_products_add_change_remove_and_the_snapshot(officer_a, reviewer_a, inventory):
    product = _product(officer_a)
    listed = _listed(officer_a, inventory, product)
    assert (listed["product"], listed["name"], listed["declared_unit"]) == (product["id"], "Float glass", "t")
    assert (listed["output"], listed["value_10k_yuan"]) == ("12000.000000", "3600.0000")
    rows = reviewer_a.get(f"inventories/{inventory.pk}/products").json()["products"]
    assert [row["id"] for row in rows] == [listed["id"]]
    url = f"inventories/{inventory.pk}/products/{listed['id']}"
    changed = officer_a.patch(url, {"output": "13000.5", "value_10k_yuan": None})
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["output"], changed.json()["value_10k_yuan"]) == ("13000.500000", None)
    # Renaming the catalogue product does not change the inventory's product.
    officer_a.patch(f"products/{product['id']}", {"name": "Renamed", "declared_unit": "m2"})
    assert reviewer_a.get(url).json()["name"] == "Float glass"
    assert reviewer_a.get(url).json()["declared_unit"] == "t"
    assert reviewer_a.patch(url, {"output": "1"}).status_code == 403
    assert reviewer_a.delete(url).status_code == 403
    assert officer_a.delete(url).status_code == 204
    assert officer_a.get(url).status_code == 404
    assert not InventoryProduct.objects.filter(inventory=inventory).exists()


def test_inventory_product_bad_input_is_400(officer_a, inventory):
    product = _product(officer_a)
    path = f"inventories/{inventory.pk}/products"
    for body in ({"product": product["id"]}, {"product": product["id"], "output": "-1"},
                 {"product": product["id"], "output": "0"}, {"product": product["id"], "output": "１２"},
                 {"product": product["id"], "output": "abc"}, {"product": 999999, "output": "1"},
                 {"product": "x", "output": "1"}, {"output": "1"},
                 {"product": product["id"], "output": "1", "value_10k_yuan": "-5"}):
        answer = officer_a.post(path, body)
        assert answer.status_code == 400, (body, answer.json())
        assert set(answer.json()) >= {"detail", "code"}
    _listed(officer_a, inventory, product)
    again = officer_a.post(path, {"product": product["id"], "output": "1"})
    assert again.status_code == 400 and again.json()["code"] == "duplicate"
    assert InventoryProduct.objects.filter(inventory=inventory).count() == 1


def test_another_enterprise_gets_404_and_cannot_attach_its_product(officer_a, officer_b, inventory):
    product = _product(officer_a)
    listed = _listed(officer_a, inventory, product)
    theirs = _product(officer_b, name="Soda ash")
    # B's product into A's inventory: refused by A's officer (400), and B cannot see A's inventory (404).
    answer = officer_a.post(f"inventories/{inventory.pk}/products", {"product": theirs["id"], "output": "1"})
    assert answer.status_code == 400 and answer.json()["detail"].startswith("product:")
    assert officer_b.post(f"inventories/{inventory.pk}/products",
                          {"product": theirs["id"], "output": "1"}).status_code == 404
    url = f"inventories/{inventory.pk}/products/{listed['id']}"
    assert officer_b.get(f"inventories/{inventory.pk}/products").status_code == 404
    assert officer_b.get(url).status_code == 404
    assert officer_b.patch(url, {"output": "2"}).status_code == 404
    assert officer_b.delete(url).status_code == 404
    assert officer_b.get(f"inventories/{inventory.pk}/upstream-inputs").status_code == 404
    assert officer_b.post(f"inventories/{inventory.pk}/upstream-inputs", {
        "product": listed["id"], "description": "x", "quantity": "1", "unit": "t", "emission_factor": "1",
        "factor_source": "x"}).status_code == 404
    assert not InventoryProduct.objects.filter(product_id=theirs["id"]).exists()
    assert InventoryProduct.objects.get(pk=listed["id"]).output == Decimal("12000")


def test_upstream_inputs_add_list_remove(officer_a, officer_b, reviewer_a, inventory):
    listed = _listed(officer_a, inventory, _product(officer_a))
    path = f"inventories/{inventory.pk}/upstream-inputs"
    created = officer_a.post(path, {"product": listed["id"], "description": "Soda ash", "quantity": "6000",
                                    "unit": "t", "emission_factor": "0.42", "factor_source": "Supplier EPD 2025"})
    assert created.status_code == 201, created.json()
    item = created.json()
    assert (item["source"], item["emission_factor"], item["supplier_label"]) == ("factor", "0.420000000", None)
    assert item["product"] == listed["id"] and item["product_name"] == "Float glass"
    assert [row["id"] for row in reviewer_a.get(path).json()["upstream_inputs"]] == [item["id"]]
    assert reviewer_a.get(f"{path}/{item['id']}").json()["factor_source"] == "Supplier EPD 2025"
    assert officer_b.get(f"{path}/{item['id']}").status_code == 404
    assert officer_b.delete(f"{path}/{item['id']}").status_code == 404
    assert reviewer_a.post(path, {"product": listed["id"], "description": "x", "quantity": "1", "unit": "t",
                                  "emission_factor": "1", "factor_source": "x"}).status_code == 403
    assert reviewer_a.delete(f"{path}/{item['id']}").status_code == 403
    assert officer_a.delete(f"{path}/{item['id']}").status_code == 204
    assert not UpstreamInput.objects.exists()


def test_upstream_input_bad_input_is_400(officer_a, officer_b, inventory, demo):
    listed = _listed(officer_a, inventory, _product(officer_a))
    other = new_inventory(year=2023)
    elsewhere = _listed(officer_a, other, _product(officer_a, name="Tiles"))
    path = f"inventories/{inventory.pk}/upstream-inputs"
    base = {"product": listed["id"], "description": "Soda ash", "quantity": "10", "unit": "t"}
    for body in (base,  # neither a factor nor a label
                 {**base, "emission_factor": "1"},  # no source of the factor
                 {**base, "emission_factor": "1", "factor_source": "x", "supplier_label": "88.1/P2025-X"},
                 {**base, "supplier_label": "88.888.8888/P2025-UNKNOWN"},
                 {**base, "supplier_label": "not an identifier"},
                 {**base, "quantity": "-1", "emission_factor": "1", "factor_source": "x"},
                 {**base, "quantity": "１", "emission_factor": "1", "factor_source": "x"},
                 {**base, "description": "", "emission_factor": "1", "factor_source": "x"},
                 {**base, "product": elsewhere["id"], "emission_factor": "1", "factor_source": "x"},
                 {**base, "product": 999999, "emission_factor": "1", "factor_source": "x"}):
        answer = officer_a.post(path, body)
        assert answer.status_code == 400, (body, answer.json())
        assert set(answer.json()) >= {"detail", "code"}
    assert not UpstreamInput.objects.exists()


def test_after_the_internal_review_the_products_answer_409(officer_a, inventory):
    product = _product(officer_a)
    listed = _listed(officer_a, inventory, product)
    path = f"inventories/{inventory.pk}/upstream-inputs"
    item = officer_a.post(path, {"product": listed["id"], "description": "Soda ash", "quantity": "1", "unit": "t",
                                 "emission_factor": "1", "factor_source": "x"}).json()
    advance(inventory, "calculated")
    step(inventory, "submit_review", "officer_a")
    advance_body = {"product": listed["id"], "description": "Sand", "quantity": "1", "unit": "t",
                    "emission_factor": "1", "factor_source": "x"}
    url = f"inventories/{inventory.pk}/products/{listed['id']}"
    other = _product(officer_a, name="Glassware")
    for answer in (officer_a.post(f"inventories/{inventory.pk}/products", {"product": other["id"], "output": "1"}),
                   officer_a.patch(url, {"output": "1"}), officer_a.delete(url),
                   officer_a.post(path, advance_body), officer_a.delete(f"{path}/{item['id']}")):
        assert answer.status_code == 409, answer.json()
        assert answer.json()["code"] == "data_frozen"
    assert InventoryProduct.objects.get(pk=listed["id"]).output == Decimal("12000")
    assert UpstreamInput.objects.count() == 1
    # The catalogue stays open; the inventory keeps what it had.
    assert officer_a.patch(f"products/{product['id']}", {"name": "Renamed"}).status_code == 200
    assert officer_a.get(url).json()["name"] == "Float glass"


def test_a_retried_post_with_its_idempotency_key_adds_once(officer_a, inventory):
    product = _product(officer_a)
    body = {"product": product["id"], "output": "5"}
    first = officer_a.client.post(f"/api/v1/inventories/{inventory.pk}/products", body, format="json",
                                  HTTP_IDEMPOTENCY_KEY="add-glass-1")
    again = officer_a.client.post(f"/api/v1/inventories/{inventory.pk}/products", body, format="json",
                                  HTTP_IDEMPOTENCY_KEY="add-glass-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert InventoryProduct.objects.filter(inventory=inventory).count() == 1


def test_a_facility_boundary_over_the_api(officer_a, officer_b):
    created = officer_a.post("facilities", {"name": "East works", "boundary": "Inside: kilns 1-3.\nOutside: depot."})
    assert created.status_code == 201, created.json()
    assert created.json()["boundary"] == "Inside: kilns 1-3.\nOutside: depot."
    changed = officer_a.patch(f"facilities/{created.json()['id']}", {"boundary": "Inside: the whole site."})
    assert changed.status_code == 200 and changed.json()["boundary"] == "Inside: the whole site."
    assert officer_a.patch(f"facilities/{created.json()['id']}", {"boundary": "x" * 4001}).status_code == 400
    assert officer_b.patch(f"facilities/{created.json()['id']}", {"boundary": "Mine"}).status_code == 404
    assert Facility.objects.get(pk=created.json()["id"]).boundary == "Inside: the whole site."
