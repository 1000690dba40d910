"""The inventories endpoints in detail: list, create, detail, activity."""

import pytest

from carbon_portal.api.inventories.views import InventorySummarySerializer, _listed, _rows
from inventories.models import Inventory

from tests.workflows.support import advance, login, new_inventory

pytestmark = pytest.mark.django_db


def test_list_rows_have_the_documented_shape(demo):
    inventory = advance(new_inventory(), "calculated")
    annotated = _listed(Inventory.objects.filter(pk=inventory.pk)).get()
    assert _rows(_listed(Inventory.objects.filter(pk=inventory.pk))) == [
        dict(InventorySummarySerializer(annotated).data)]
    row = _rows(_listed(Inventory.objects.filter(pk=inventory.pk)))[0]
    assert row["total_tco2e"]
    assert (row["enterprise"]["region_code"], row["enterprise"]["region_name"]) == ("330106", "浙江省杭州市西湖区")


def test_list_is_paginated_and_filtered(demo):
    for year in (2019, 2020, 2021):
        new_inventory(year)
    officer = login(demo, "officer_a")
    page = officer.get("inventories?page_size=2").json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]
    assert [row["year"] for row in page["results"]] == [2025, 2021]
    assert officer.get("inventories?year=2020").json()["count"] == 1
    assert officer.get("inventories?status=collecting").json()["count"] == 0
    assert officer.get("inventories?year=abc").status_code == 400
    assert officer.get("inventories?page=99").status_code == 404


def test_create_needs_an_officer(demo):
    assert login(demo, "reviewer_a").post("inventories", {"year": 2024}).status_code == 403
    admin = login(demo, "admin")
    assert admin.post("inventories", {"year": 2024}).status_code == 400  # which enterprise?
    officer_b = login(demo, "officer_b")
    created = officer_b.post("inventories", {"year": 2024, "added_value_10k_yuan": "5000"})
    assert created.status_code == 201
    assert created.json()["status"] == "draft"
    assert created.json()["added_value_10k_yuan"] == "5000.0000"
    other = Inventory.objects.exclude(enterprise_id=created.json()["enterprise"]["id"]).first()
    assert officer_b.post("inventories", {"year": 2023, "enterprise": other.enterprise_id}).status_code == 403


def test_detail_has_the_trace_of_every_result_line(demo):
    officer = login(demo, "officer_a")
    inventory_id = officer.get("inventories").json()["results"][0]["id"]
    detail = officer.get(f"inventories/{inventory_id}").json()
    assert detail["status"] == "draft" and detail["transitions"] == ["open"]
    lines = detail["result"]["lines"]
    assert {line["activity_record"] for line in lines} == {record["id"] for record in detail["activity"]}
    assert all({"inputs", "factors", "formula", "tco2e"} <= set(line) for line in lines)
    assert detail["result"]["factor_snapshot"]


def test_bad_activity_is_refused_with_the_reason(demo):
    officer = login(demo, "officer_a")
    inventory_id = officer.get("inventories").json()["results"][0]["id"]
    for line, reason in [
        ({"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "-5", "unit": "t"}, "negative"),
        ({"category": "purchased_electricity", "quantity": "10", "unit": "t"}, "unit"),
        ({"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1", "unit": "t", "colour": "red"},
         "unknown field"),
    ]:
        response = officer.post(f"inventories/{inventory_id}/activity", line)
        assert response.status_code == 400 and reason in response.json()["detail"], response.json()
    assert officer.post(f"inventories/{inventory_id}/activity", ["not", "an", "object"]).status_code == 400
