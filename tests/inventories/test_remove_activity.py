"""Removing an activity line while the data is collected (`inventories.activity.remove_activity`,
`DELETE /api/v1/inventories/<id>/activity/<record_id>`, the officer's inventory page): a reason
is required, the removal is kept in the audit trail with who and why, results keep their own copy
and the next calculation no longer counts the line."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from carbon_portal.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from inventories.models import ActivityRecord, Inventory
from inventories.selectors import latest_result
from inventories.services import remove_activity
from workflows.models import TransitionLog
from workflows.services.audit import verify_audit_chain

from tests.workflows.support import new_inventory, step, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory(demo):
    return new_inventory()  # enterprise A, draft (data is collected), two records


def records(inventory):
    return list(ActivityRecord.objects.filter(inventory=inventory).order_by("id"))


def api(username):
    client = APIClient()
    client.force_authenticate(user(username))
    return client


def test_removed_while_collecting_with_who_and_why_in_the_audit_trail(inventory):
    electricity, gas = records(inventory)
    line = remove_activity(record_id=gas.pk, actor=user("officer_a"), reason="  Counted twice: also on the meter.  ")
    assert line["fuel"] == "natural_gas"
    assert records(inventory) == [electricity]
    entry = TransitionLog.objects.get(inventory_id=inventory.pk, name="remove")
    assert (entry.entity, entry.object_id, entry.actor_username, entry.comment) == (
        "activity_record", gas.pk, "officer_a", "Counted twice: also on the meter.")
    assert entry.details["line"] == {"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "20000",
                                     "unit": "m3"}
    assert entry.details["origin"] == "manual"
    assert verify_audit_chain().ok


def test_a_reason_is_required(inventory):
    record = records(inventory)[0]
    for reason in ("", "   ", None):
        with pytest.raises(InvalidInput):
            remove_activity(record_id=record.pk, actor=user("officer_a"), reason=reason)
    with pytest.raises(InvalidInput):
        remove_activity(record_id=record.pk, actor=user("officer_a"), reason="a\x00b")
    assert len(records(inventory)) == 2
    assert not TransitionLog.objects.filter(name="remove").exists()


def test_refused_when_frozen_or_not_the_officer(inventory):
    record = records(inventory)[0]
    with pytest.raises(PermissionDenied):
        remove_activity(record_id=record.pk, actor=user("reviewer_a"), reason="x")
    with pytest.raises(NotFound):
        remove_activity(record_id=record.pk, actor=user("officer_b"), reason="x")
    for state in ("calculated", "submitted", "corrections_requested"):
        Inventory.objects.filter(pk=inventory.pk).update(status=state)
        with pytest.raises(Conflict) as refused:
            remove_activity(record_id=record.pk, actor=user("officer_a"), reason="x")
        assert refused.value.code == "data_frozen"
    assert len(records(inventory)) == 2


def test_results_keep_their_copy_and_the_next_calculation_no_longer_counts_it(inventory):
    step(inventory, "open", "officer_a")
    step(inventory, "calculate", "officer_a")
    before = latest_result(inventory)
    gas = records(inventory)[1]
    step(inventory, "reopen", "officer_a")
    remove_activity(record_id=gas.pk, actor=user("officer_a"), reason="Wrong site.")
    kept = before.lines.get(inputs__fuel="natural_gas")
    assert kept.activity_record_id is None and kept.inputs["quantity"] == "20000"
    step(inventory, "calculate", "officer_a")
    after = latest_result(inventory)
    assert after.pk != before.pk
    assert after.lines.count() == 1 and not after.lines.filter(inputs__fuel="natural_gas").exists()
    assert after.total_tco2e < before.total_tco2e


def test_the_api_removes_with_a_reason(inventory):
    electricity, gas = records(inventory)
    url = f"/api/v1/inventories/{inventory.pk}/activity/{gas.pk}"
    officer = api("officer_a")
    missing = officer.delete(url, {}, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "reason_required"
    assert officer.delete(url, format="json").status_code == 400
    assert api("officer_b").delete(url, {"reason": "x"}, format="json").status_code == 404
    assert api("reviewer_a").delete(url, {"reason": "x"}, format="json").status_code == 403
    assert officer.delete(f"/api/v1/inventories/{inventory.pk}/activity/999999", {"reason": "x"},
                          format="json").status_code == 404
    removed = officer.delete(url, {"reason": "Duplicate of the meter line."}, format="json")
    assert removed.status_code == 204
    assert records(inventory) == [electricity]
    assert TransitionLog.objects.get(name="remove").comment == "Duplicate of the meter line."
    listed = officer.get(f"/api/v1/inventories/{inventory.pk}/activity").json()
    assert [row["id"] for row in listed] == [electricity.pk]


def test_the_api_refuses_with_409_when_frozen(inventory):
    record = records(inventory)[0]
    Inventory.objects.filter(pk=inventory.pk).update(status="submitted")
    refused = api("officer_a").delete(f"/api/v1/inventories/{inventory.pk}/activity/{record.pk}",
                                      {"reason": "x"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "data_frozen"
    assert len(records(inventory)) == 2


def test_the_officer_removes_a_line_on_the_inventory_page(inventory, settings):
    settings.LANGUAGE_CODE = "en"
    electricity, gas = records(inventory)
    client = Client()
    client.force_login(user("officer_a"))
    page = client.get(f"/portal/inventories/{inventory.pk}/").content.decode()
    assert f"/portal/inventories/{inventory.pk}/activity/{gas.pk}/remove/" in page
    url = f"/portal/inventories/{inventory.pk}/activity/{gas.pk}/remove/"
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and len(records(inventory)) == 2
    done = client.post(url, {"reason": "Belongs to the 2023 inventory."})
    assert done.status_code == 302
    assert records(inventory) == [electricity]
    history = client.get(f"/portal/inventories/{inventory.pk}/").content.decode()
    assert "Record removed" in history and "Belongs to the 2023 inventory." in history
    Inventory.objects.filter(pk=inventory.pk).update(status="submitted")
    frozen = client.post(f"/portal/inventories/{inventory.pk}/activity/{electricity.pk}/remove/", {"reason": "x"})
    assert frozen.status_code == 409 and len(records(inventory)) == 1
    assert f"/activity/{electricity.pk}/remove/" not in client.get(f"/portal/inventories/{inventory.pk}/").content.decode()
