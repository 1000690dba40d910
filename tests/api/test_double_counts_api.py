"""`GET/POST /api/v1/inventories/<id>/double-counts`: the groups side by side with their status,
the officer's decision, and calculating refused (409 `double_count_unresolved`) until then."""

from decimal import Decimal

import pytest

from inventories.models import DoubleCountDecision, Inventory
from inventories.selectors import latest_result

from tests.inventories.test_double_counting import ids, site  # noqa: F401 (fixture)
from tests.workflows.support import login

pytestmark = pytest.mark.django_db


def path(inventory):
    return f"inventories/{inventory.pk}/double-counts"


def test_groups_side_by_side_then_decide_then_calculate(demo, site):  # noqa: F811
    inventory = site["inventory"]
    officer = login(demo, "officer_a")
    assert officer.transition(inventory.pk, "open").status_code == 200

    answer = officer.get(path(inventory))
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["unresolved"] == 1 and body["decisions"] == []
    [group] = body["groups"]
    assert group["status"] == "unresolved" and group["origins"] == ["meter", "invoice", "manual"]
    assert group["facility"] == {"id": site["facility"].pk, "name": "Plant 2"}
    assert group["unit"] == "kWh"
    assert group["totals"] == [{"origin": "meter", "total": "1000000"}, {"origin": "invoice", "total": "1000000"},
                               {"origin": "manual", "total": "1000000"}]
    invoice = next(record for record in group["records"] if record["origin"] == "invoice")
    assert (invoice["quantity"], invoice["unit"], invoice["compared_quantity"]) == ("1000.00000000", "MWh", "1000000")
    assert invoice["emission_source"] == "Grid supply" and invoice["created_by"]["id"]
    meter = next(record for record in group["records"] if record["origin"] == "meter")
    assert meter["meter"] == "DC-E1" and meter["period_start"] == "2024-01-01" and meter["counted"] is None

    refused = officer.transition(inventory.pk, "calculate")
    assert refused.status_code == 409
    assert refused.json()["code"] == "double_count_unresolved" and "Plant 2" in refused.json()["detail"]

    decided = officer.post(path(inventory), {"group": group["key"], "counted": "meter",
                                             "reason": "The calibrated meter counts."})
    assert decided.status_code == 201, decided.json()
    assert decided.json()["unresolved"] == 0
    decision = decided.json()["decision"]
    assert decision["counted"] == "meter" and decision["current"] is True
    assert [entry["counted"] for entry in decision["records"]] == [True, False, False]

    after = officer.get(path(inventory)).json()
    assert after["groups"][0]["status"] == "decided"
    assert [record["counted"] for record in after["groups"][0]["records"]] == [True, False, False]
    assert after["decisions"][0]["reason"] == "The calibrated meter counts."

    assert officer.transition(inventory.pk, "calculate").status_code == 200
    assert latest_result(inventory).total_tco2e == Decimal("573.843776")
    result = officer.get(f"inventories/{inventory.pk}").json()["result"]
    assert result["total_tco2e"] == "573.843776"
    assert sorted(row["origin"] for row in result["exclusions"]) == ["invoice", "manual"]
    assert {row["reason"] for row in result["exclusions"]} == {"The calibrated meter counts."}


def test_decide_by_record_ids_and_count_all(demo, site):  # noqa: F811
    inventory = site["inventory"]
    officer = login(demo, "officer_a")
    response = officer.post(path(inventory), {"records": ids(inventory)[:3], "counted": "all",
                                              "reason": "Three supplies."})
    assert response.status_code == 201, response.json()
    assert DoubleCountDecision.objects.get().counted == "all"


@pytest.mark.parametrize("payload", [
    {},
    {"counted": "meter", "reason": "x"},
    {"group": "nope", "counted": "meter", "reason": "x"},
    {"records": "1,2", "counted": "meter", "reason": "x"},
    {"records": ["１"], "counted": "meter", "reason": "x"},
    {"records": [1, 2], "counted": "meter", "reason": "x"},
    {"records": "ALL", "counted": "all", "reason": "x"},
    {"group": ["x"], "counted": "meter", "reason": "x"},
    {"counted": "everything", "reason": "x", "group": "x"},
    [1, 2],
])
def test_bad_input_is_400_and_changes_nothing(demo, site, payload):  # noqa: F811
    inventory = site["inventory"]
    officer = login(demo, "officer_a")
    response = officer._call("post", path(inventory), payload)
    assert response.status_code == 400, response.content
    assert set(response.json()) >= {"detail", "code"}
    assert not DoubleCountDecision.objects.exists()


def test_reason_required_and_origin_must_be_in_the_group(demo, site):  # noqa: F811
    inventory = site["inventory"]
    officer = login(demo, "officer_a")
    key = officer.get(path(inventory)).json()["groups"][0]["key"]
    missing = officer.post(path(inventory), {"group": key, "counted": "meter", "reason": "  "})
    assert (missing.status_code, missing.json()["code"]) == (400, "reason_required")
    absent = officer.post(path(inventory), {"group": key, "counted": "import", "reason": "x"})
    assert absent.status_code == 400
    assert not DoubleCountDecision.objects.exists()


def test_other_enterprises_get_404_and_reviewers_cannot_decide(demo, site):  # noqa: F811
    inventory = site["inventory"]
    stranger = login(demo, "officer_b")
    assert stranger.get(path(inventory)).status_code == 404
    assert stranger.post(path(inventory), {"group": "x", "counted": "meter", "reason": "x"}).status_code == 404
    reviewer = login(demo, "reviewer_a")
    key = reviewer.get(path(inventory)).json()["groups"][0]["key"]
    assert reviewer.post(path(inventory), {"group": key, "counted": "meter", "reason": "x"}).status_code == 403
    assert not DoubleCountDecision.objects.exists()


def test_not_collecting_is_409(demo, site):  # noqa: F811
    inventory = site["inventory"]
    Inventory.objects.filter(pk=inventory.pk).update(status="in_review")
    officer = login(demo, "officer_a")
    key = officer.get(path(inventory)).json()["groups"][0]["key"]
    response = officer.post(path(inventory), {"group": key, "counted": "meter", "reason": "x"})
    assert (response.status_code, response.json()["code"]) == (409, "data_frozen")
