import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from carbon_portal.accounts.models import User
from ingestion.models import DeviceKey, Reading

from .helpers import CST, cumulative_series

URL = "/api/v1/readings"


def device(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {key}")
    return client


def user_client(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


@pytest.fixture
def device_a(demo):
    return device(demo["device_keys"]["A"])


@pytest.fixture
def device_b(demo):
    return device(demo["device_keys"]["B"])


def test_a_device_posts_json_readings_and_a_replay_changes_nothing(device_a):
    rows = cumulative_series("A-ELEC-01", datetime.datetime(2025, 3, 1, tzinfo=CST), 7)
    answer = device_a.post(URL, {"readings": rows}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {"accepted": 672, "duplicates": 0, "rejected": []}
    again = device_a.post(URL, {"readings": rows}, format="json")
    assert again.json() == {"accepted": 0, "duplicates": 672, "rejected": []}
    assert Reading.objects.count() == 672


def test_json_numbers_are_read_as_exact_decimals(device_a):
    body = b'{"readings": [{"meter": "A-STEAM-01", "ts": "2025-03-01T08:00:00+08:00", "value": 0.1}]}'
    assert device_a.post(URL, body, content_type="application/json").json()["accepted"] == 1
    assert str(Reading.objects.get().value) == "0.100000"


def test_a_device_key_writing_another_enterprises_meter_is_refused(device_a, device_b):
    row = {"meter": "B-ELEC-01", "ts": "2025-03-01T08:00:00+08:00", "value": "10"}
    own = {"meter": "A-ELEC-01", "ts": "2025-03-01T08:00:00+08:00", "value": "10"}
    answer = device_a.post(URL, {"readings": [own, row]}, format="json")
    assert answer.status_code == 200
    assert answer.json()["accepted"] == 1
    assert answer.json()["rejected"] == [{"index": 1, "error": "meter: 'B-ELEC-01' is not a meter you may write to"}]
    assert not Reading.objects.filter(meter__identifier="B-ELEC-01").exists()
    answer = device_b.post(URL, {"readings": [{**own, "meter": "A-GAS-01"}]}, format="json")
    assert answer.json()["rejected"][0]["index"] == 0
    assert not Reading.objects.filter(meter__identifier="A-GAS-01").exists()


def test_a_key_is_limited_to_its_own_meters_even_within_its_enterprise(demo, device_a):
    key = DeviceKey.objects.get(enterprise__meters__identifier="A-ELEC-01", name="demo gateway")
    key.meters.remove(key.meters.get(identifier="A-GAS-01"))
    answer = device_a.post(URL, {"readings": [{"meter": "A-GAS-01", "ts": "2025-03-01T08:00:00+08:00",
                                               "value": "1"}]}, format="json")
    assert answer.json()["accepted"] == 0
    assert len(answer.json()["rejected"]) == 1


def test_csv_readings(device_a):
    body = ("meter,ts,value\r\n"
            "A-STEAM-01,2025-03-01T08:00:00+08:00,1.5\r\n"
            "A-STEAM-01,2025-03-01T08:15:00+08:00,oops\r\n"
            "A-STEAM-01,2025-03-01T08:30:00+08:00\r\n")
    answer = device_a.post(URL, body, content_type="text/csv")
    assert answer.status_code == 200
    assert answer.json() == {"accepted": 1, "duplicates": 0, "rejected": [
        {"index": 1, "error": "value: 'oops' is not a decimal number"}, {"index": 2, "error": "value: missing"}]}


@pytest.mark.parametrize(("body", "content_type", "message"), [
    (b"{not json", "application/json", "not valid JSON"),
    (b'{"readings": {"meter": "A-ELEC-01"}}', "application/json", "readings"),
    (b'{"readings": [{"meter": "A-ELEC-01", "ts": "2025-03-01T08:00:00+08:00", "value": NaN}]}',
     "application/json", "not valid JSON"),
    (b"ts,value\n2025-03-01T08:00:00+08:00,1\n", "text/csv", "header"),
    (b"\xff\xfe", "text/csv", "UTF-8"),
])
def test_a_malformed_body_is_a_clear_400_and_stores_nothing(device_a, body, content_type, message):
    answer = device_a.post(URL, body, content_type=content_type)
    assert answer.status_code == 400
    assert message in answer.json()["detail"]
    assert not Reading.objects.exists()


def test_an_unsupported_media_type_is_415(device_a):
    assert device_a.post(URL, b"meter=1", content_type="application/x-www-form-urlencoded").status_code == 415


def test_too_many_readings_in_one_request(device_a, settings):
    settings.READINGS_MAX_BATCH = 2
    rows = cumulative_series("A-ELEC-01", datetime.datetime(2025, 3, 1, tzinfo=CST), 1)[:3]
    answer = device_a.post(URL, {"readings": rows}, format="json")
    assert answer.status_code == 400
    assert "At most 2" in answer.json()["detail"]
    assert not Reading.objects.exists()


def test_without_or_with_a_wrong_or_revoked_key_the_answer_is_401(demo):
    assert APIClient().post(URL, {"readings": []}, format="json").status_code == 401
    assert device("dk_wrong").post(URL, {"readings": []}, format="json").status_code == 401
    DeviceKey.objects.update(revoked_at=timezone.now())
    assert device(demo["device_keys"]["A"]).post(URL, {"readings": []}, format="json").status_code == 401


def test_officers_may_post_for_their_enterprises_meters_and_reviewers_may_not(demo):
    row = {"meter": "A-STEAM-01", "ts": "2025-03-01T08:00:00+08:00", "value": "2"}
    assert user_client("officer_a").post(URL, {"readings": [row]}, format="json").json()["accepted"] == 1
    assert user_client("officer_b").post(URL, {"readings": [row]}, format="json").json()["rejected"]
    assert user_client("reviewer_a").post(URL, {"readings": [{**row, "ts": "2025-03-01T09:00:00+08:00"}]},
                                          format="json").json()["rejected"]


def test_meters_are_listed_for_the_caller(demo, device_a):
    identifiers = [m["identifier"] for m in device_a.get("/api/v1/meters").json()["meters"]]
    assert identifiers == ["A-ELEC-01", "A-GAS-01", "A-STEAM-01"]
    assert [m["identifier"] for m in user_client("officer_b").get("/api/v1/meters").json()["meters"]] == ["B-ELEC-01"]
    assert user_client("reviewer_a").get("/api/v1/meters").json()["meters"][0]["unit"] == "kWh"


def test_a_meters_readings_between_start_and_end(demo, device_a):
    rows = cumulative_series("A-ELEC-01", datetime.datetime(2025, 3, 1, tzinfo=CST), 1)
    device_a.post(URL, {"readings": rows}, format="json")
    answer = device_a.get("/api/v1/meters/A-ELEC-01/readings",
                          {"start": "2025-03-01T01:00:00+08:00", "end": "2025-03-01T02:00:00+08:00"})
    assert answer.status_code == 200
    readings = answer.json()["readings"]
    assert [r["ts"] for r in readings] == [f"2025-03-01T01:{m:02d}:00+08:00" for m in (0, 15, 30, 45)]
    assert Decimal(readings[0]["value"]) == Decimal(rows[4]["value"])
    # An unencoded "+" in the offset still works; paging with limit and next.
    paged = device_a.get("/api/v1/meters/A-ELEC-01/readings?start=2025-03-01T01:00:00+08:00&limit=3").json()
    assert len(paged["readings"]) == 3 and paged["next"]
    assert device_a.get(paged["next"]).json()["readings"][0]["ts"] == readings[3]["ts"]


def test_another_enterprises_meter_is_not_found(demo, device_a):
    assert device_a.get("/api/v1/meters/B-ELEC-01/readings").status_code == 404
    assert user_client("officer_b").get("/api/v1/meters/A-ELEC-01/readings").status_code == 404
    assert device_a.get("/api/v1/meters/A-ELEC-01/readings", {"start": "yesterday"}).status_code == 400


def test_rollups_and_issues_of_a_meter(demo, device_a):
    rows = cumulative_series("A-ELEC-01", datetime.datetime(2025, 3, 1, tzinfo=CST), 2)
    del rows[20:40]
    device_a.post(URL, {"readings": rows}, format="json")
    daily = device_a.get("/api/v1/meters/A-ELEC-01/rollups",
                         {"interval": "day", "start": "2025-03-01", "end": "2025-03-02"}).json()
    assert [r["period"] for r in daily["rollups"]] == ["2025-03-01", "2025-03-02"]
    monthly = device_a.get("/api/v1/meters/A-ELEC-01/rollups", {"interval": "month"}).json()
    assert monthly["rollups"][0]["readings"] == 192 - 20
    issues = device_a.get("/api/v1/meters/A-ELEC-01/issues").json()["issues"]
    assert [issue["kind"] for issue in issues] == ["gap"]
