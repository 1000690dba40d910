"""Master data over the API (docs/interfaces.md §7): facilities, emission sources, meters and a
meter's device keys. Officers write, reviewers read, other enterprises get 404."""

import pytest
from rest_framework.test import APIClient

from ingestion.models import DeviceKey
from inventories.models import EmissionSource, Facility, Meter
from tests.workflows.support import enterprise_a

pytestmark = pytest.mark.django_db

METER = {"identifier": "A-GAS-NEW", "name": "Boiler gas", "energy_type": "natural_gas", "unit": "m3",
         "reading_kind": "cumulative", "register_max": "99999999"}


def _facility(officer, name="Plant 2"):
    answer = officer.post("facilities", {"name": name, "address": "1 Harbour Road"})
    assert answer.status_code == 201, answer.json()
    return answer.json()


def test_facilities_create_list_patch(officer_a, reviewer_a, officer_b):
    created = _facility(officer_a)
    assert created["enterprise"] == enterprise_a().pk and created["address"] == "1 Harbour Road"
    assert created["id"] in [row["id"] for row in reviewer_a.get("facilities").json()["facilities"]]
    assert created["id"] not in [row["id"] for row in officer_b.get("facilities").json()["facilities"]]
    changed = officer_a.patch(f"facilities/{created['id']}", {"name": "Plant Two"})
    assert changed.status_code == 200 and changed.json()["name"] == "Plant Two"
    assert changed.json()["address"] == "1 Harbour Road"
    assert Facility.objects.get(pk=created["id"]).name == "Plant Two"


def test_facility_bad_input_is_400_and_a_taken_name_too(officer_a):
    assert officer_a.post("facilities", {"name": ""}).status_code == 400
    assert officer_a.post("facilities", {}).status_code == 400
    _facility(officer_a, "Same")
    taken = officer_a.post("facilities", {"name": "Same"})
    assert taken.status_code == 400 and taken.json()["code"] == "duplicate"
    assert taken.json()["detail"].startswith("name:")


def test_facilities_of_another_enterprise_are_404_and_readers_get_403(officer_a, officer_b, reviewer_a):
    created = _facility(officer_a)
    assert officer_b.get(f"facilities/{created['id']}").status_code == 404
    assert officer_b.patch(f"facilities/{created['id']}", {"name": "Mine"}).status_code == 404
    assert reviewer_a.get(f"facilities/{created['id']}").status_code == 200
    assert reviewer_a.patch(f"facilities/{created['id']}", {"name": "X"}).status_code == 403
    assert reviewer_a.post("facilities", {"name": "Reviewer's"}).status_code == 403
    assert officer_b.post("facilities", {"name": "Into A", "enterprise": enterprise_a().pk}).status_code == 403
    assert Facility.objects.get(pk=created["id"]).name == "Plant 2"


def test_sources_create_list_patch_and_refusals(officer_a, officer_b, reviewer_a):
    facility = _facility(officer_a)
    created = officer_a.post("sources", {"facility": facility["id"], "name": "Boiler 1",
                                         "category": "fuel_combustion", "fuel": "natural_gas"})
    assert created.status_code == 201, created.json()
    source = created.json()
    assert source["facility"] == facility["id"] and source["fuel"] == "natural_gas"
    assert source["id"] in [row["id"] for row in reviewer_a.get("sources").json()["sources"]]
    assert source["id"] not in [row["id"] for row in officer_b.get("sources").json()["sources"]]
    changed = officer_a.patch(f"sources/{source['id']}", {"category": "process", "fuel": ""})
    assert changed.status_code == 200 and changed.json()["category"] == "process"
    # Bad input: a fuel for a process source, no fuel for a combustion source, an unknown category.
    assert officer_a.patch(f"sources/{source['id']}", {"fuel": "diesel"}).status_code == 400
    no_fuel = officer_a.post("sources", {"facility": facility["id"], "name": "B2", "category": "fuel_combustion"})
    assert no_fuel.status_code == 400 and no_fuel.json()["detail"].startswith("fuel:")
    assert officer_a.post("sources", {"facility": facility["id"], "name": "B3", "category": "x"}).status_code == 400
    # Another enterprise: its ids are not found, its facility cannot take a source.
    assert officer_b.patch(f"sources/{source['id']}", {"name": "Mine"}).status_code == 404
    assert officer_b.post("sources", {"facility": facility["id"], "name": "B", "category": "process"}
                          ).status_code == 400
    assert reviewer_a.patch(f"sources/{source['id']}", {"name": "X"}).status_code == 403
    assert EmissionSource.objects.get(pk=source["id"]).name == "Boiler 1"


def test_meters_create_list_patch(officer_a, officer_b, reviewer_a):
    facility = _facility(officer_a)
    source = officer_a.post("sources", {"facility": facility["id"], "name": "Boiler", "category": "fuel_combustion",
                                        "fuel": "natural_gas"}).json()
    created = officer_a.post("meters", {**METER, "emission_source": source["id"]})
    assert created.status_code == 201, created.json()
    meter = created.json()
    # What the list showed before stays, with the new fields added.
    assert {"identifier", "name", "energy_type", "unit", "reading_kind", "register_max", "active", "enterprise",
            "last_reading_at", "open_issues", "id", "facility", "emission_source"} <= set(meter)
    assert meter["facility"] == facility["id"] and meter["register_max"] == "99999999"
    assert "A-GAS-NEW" in [row["identifier"] for row in reviewer_a.get("meters").json()["meters"]]
    assert "A-GAS-NEW" not in [row["identifier"] for row in officer_b.get("meters").json()["meters"]]
    changed = officer_a.patch("meters/A-GAS-NEW", {"name": "Boiler gas main", "active": False})
    assert changed.status_code == 200
    assert changed.json()["name"] == "Boiler gas main" and changed.json()["active"] is False
    assert officer_a.get("meters/A-GAS-NEW").json()["name"] == "Boiler gas main"


def test_meter_bad_input_is_400(officer_a):
    assert officer_a.post("meters", {**METER, "unit": "furlongs"}).status_code == 400
    assert officer_a.post("meters", {**METER, "identifier": "has space"}).status_code == 400
    assert officer_a.post("meters", {**METER, "energy_type": "electricity"}).status_code == 400  # m3 of electricity
    assert officer_a.post("meters", {**METER, "reading_kind": "interval"}).status_code == 400  # register max
    assert officer_a.post("meters", {**METER, "register_max": "-1"}).status_code == 400
    taken = officer_a.post("meters", {**METER, "identifier": "A-ELEC-01"})
    assert taken.status_code == 400 and taken.json()["code"] == "duplicate"
    assert officer_a.post("meters", METER).status_code == 201
    assert officer_a.patch("meters/A-GAS-NEW", {"identifier": "OTHER"}).status_code == 400
    assert officer_a.patch("meters/A-GAS-NEW", {"facility": 999999}).status_code == 400
    assert Meter.objects.filter(identifier__in=["has space", "OTHER"]).count() == 0


def test_meters_of_another_enterprise_are_404_and_readers_get_403(demo, officer_b, reviewer_a):
    meter_a = demo["meters"]["A"][0]
    assert officer_b.get(f"meters/{meter_a}").status_code == 404
    assert officer_b.patch(f"meters/{meter_a}", {"name": "Mine"}).status_code == 404
    assert officer_b.get(f"meters/{meter_a}/device-keys").status_code == 404
    assert officer_b.post(f"meters/{meter_a}/device-keys", {"name": "steal"}).status_code == 404
    assert reviewer_a.patch(f"meters/{meter_a}", {"name": "X"}).status_code == 403
    assert reviewer_a.post("meters", METER).status_code == 403
    assert reviewer_a.post(f"meters/{meter_a}/device-keys", {"name": "k"}).status_code == 403
    assert reviewer_a.get(f"meters/{meter_a}/device-keys").status_code == 200


def test_a_device_key_is_shown_once_and_revoked_at_once(demo, officer_a, officer_b):
    meter = demo["meters"]["A"][0]
    issued = officer_a.post(f"meters/{meter}/device-keys", {"name": "Gateway 7"})
    assert issued.status_code == 201
    body = issued.json()
    key = body["key"]
    assert key.startswith("dk_") and body["revoked"] is False and body["last_used_at"] is None
    listed = officer_a.get(f"meters/{meter}/device-keys").json()["device_keys"]
    assert key not in str(listed)
    row = next(row for row in listed if row["id"] == body["id"])
    assert set(row) == {"id", "name", "created_at", "last_used_at", "revoked_at", "revoked"}
    assert officer_a.post(f"meters/{meter}/device-keys", {"name": "Gateway 7"}).status_code == 400  # name taken
    assert officer_a.post(f"meters/{meter}/device-keys", {"name": ""}).status_code == 400

    device = APIClient()
    device.credentials(HTTP_AUTHORIZATION=f"Device {key}")
    reading = {"readings": [{"meter": meter, "ts": "2025-03-01T08:00:00+08:00", "value": "10"}]}
    assert device.post("/api/v1/readings", reading, format="json").status_code == 200
    row = next(r for r in officer_a.get(f"meters/{meter}/device-keys").json()["device_keys"] if r["id"] == body["id"])
    assert row["last_used_at"] is not None
    # A device key registers no meters.
    assert device.post("/api/v1/meters", METER, format="json").status_code == 403

    assert officer_b.delete(f"meters/{meter}/device-keys/{body['id']}").status_code == 404
    assert officer_a.delete(f"meters/{meter}/device-keys/{body['id']}").status_code == 204
    assert DeviceKey.objects.get(pk=body["id"]).revoked_at is not None
    assert device.post("/api/v1/readings", reading, format="json").status_code == 401
    assert officer_a.delete(f"meters/{meter}/device-keys/999999").status_code == 404


SUB_METER = {"identifier": "A-ELEC-KILN", "name": "Kiln line", "energy_type": "electricity", "unit": "kWh",
             "reading_kind": "interval"}


def test_a_sub_meter_names_its_main_meter_of_the_same_energy_and_enterprise(demo, officer_a, officer_b):
    created = officer_a.post("meters", {**SUB_METER, "parent": "A-ELEC-01"})
    assert created.status_code == 201, created.json()
    assert created.json()["parent"] == "A-ELEC-01"
    assert Meter.objects.get(identifier="A-ELEC-KILN").parent.identifier == "A-ELEC-01"
    assert officer_a.get("meters/A-ELEC-01").json()["parent"] is None
    # Another enterprise's meter, another energy, an unknown meter: refused, nothing stored.
    assert officer_b.post("meters", {**SUB_METER, "identifier": "B-SUB", "parent": "A-ELEC-01"}).status_code == 400
    assert officer_a.post("meters", {**SUB_METER, "identifier": "A-SUB-2", "parent": "A-GAS-01"}).status_code == 400
    assert officer_a.post("meters", {**SUB_METER, "identifier": "A-SUB-3", "parent": "NO-SUCH"}).status_code == 400
    assert not Meter.objects.filter(identifier__in=["B-SUB", "A-SUB-2", "A-SUB-3"]).exists()
    # No loops: the main meter cannot become a sub-meter of its own sub-meter, nor of itself.
    loop = officer_a.patch("meters/A-ELEC-01", {"parent": "A-ELEC-KILN"})
    assert loop.status_code == 400 and "parent" in loop.json()["detail"]
    assert officer_a.patch("meters/A-ELEC-01", {"parent": "A-ELEC-01"}).status_code == 400
    assert Meter.objects.get(identifier="A-ELEC-01").parent is None
    # A sub-meter cannot change energy away from its main meter's; clearing the main meter works.
    assert officer_a.patch("meters/A-ELEC-KILN", {"energy_type": "natural_gas", "unit": "m3"}).status_code == 400
    assert officer_a.patch("meters/A-ELEC-KILN", {"parent": None}).json()["parent"] is None
