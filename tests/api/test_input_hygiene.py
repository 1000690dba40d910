"""Bad input at the API's edge is a clear 4xx with `detail` and `code`, never a 5xx, and stores
nothing: control characters, deep JSON, numbers in other scripts, unknown paths and methods."""

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from carbon_portal.api.parsers import MAX_DEPTH
from ingestion.models import Reading
from inventories.models import ActivityRecord, Inventory
from tests.workflows.support import login

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

LINE = {"category": "purchased_electricity", "quantity": "10", "unit": "kWh"}


@pytest.fixture
def officer(demo):
    return login(demo, "officer_a")


@pytest.fixture
def inventory_id(officer):
    return officer.get("inventories").json()["results"][0]["id"]


def post_json(api, path, body: str):
    return api.client.post(f"/api/v1/{path}", body, content_type="application/json")


@pytest.mark.parametrize("description", ["a\u0001b", "line\u000bbreak", "nul\u0000byte", "del\u007f", "c1\u0085",
                                         "\ud800"])
def test_a_control_character_in_a_description_is_refused_and_nothing_is_stored(officer, inventory_id, description):
    before = ActivityRecord.objects.count()
    response = post_json(officer, f"inventories/{inventory_id}/activity", json.dumps({**LINE, "description": description}))
    assert response.status_code == 400, response.content
    assert "contains a control character" in response.json()["detail"]
    assert response.json()["code"] == "control_character"
    assert ActivityRecord.objects.count() == before


def test_tab_and_newline_are_text_and_a_control_character_in_a_correction_is_refused(officer, inventory_id):
    created = officer.post(f"inventories/{inventory_id}/activity", {**LINE, "description": "two\tcolumns\nlines"})
    assert created.status_code == 201, created.json()
    record = created.json()["id"]
    response = officer.patch(f"inventories/{inventory_id}/activity/{record}", {"unit": "kWh\u0001"})
    assert response.status_code == 400 and "control character" in response.json()["detail"]
    assert ActivityRecord.objects.get(pk=record).unit == "kWh"


@pytest.mark.parametrize("quantity", ["１２３", "١٢٣", "1_000", "१२३"])
def test_quantities_take_ascii_digits_only(officer, inventory_id, quantity):
    before = ActivityRecord.objects.count()
    for line in ({**LINE, "quantity": quantity},
                 {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1", "unit": "t", "ncv": quantity,
                  "ncv_unit": "GJ/t"}):
        response = officer.post(f"inventories/{inventory_id}/activity", line)
        assert response.status_code == 400 and "is not a number" in response.json()["detail"], response.json()
    assert ActivityRecord.objects.count() == before


@pytest.mark.parametrize("quantity", ["1e3", ".5", "5.", "+2", " 7 "])
def test_the_ascii_forms_accepted_before_still_are(officer, inventory_id, quantity):
    assert officer.post(f"inventories/{inventory_id}/activity", {**LINE, "quantity": quantity}).status_code == 201


def nested(depth: int) -> str:
    return '{"a": ' * (depth - 1) + "[]" + "}" * (depth - 1)


def test_deep_json_is_a_400_on_the_activity_and_readings_endpoints(demo, officer, inventory_id):
    device = APIClient()
    device.credentials(HTTP_AUTHORIZATION=f"Device {demo['device_keys']['A']}")
    for body in (nested(30), "[" * 100_000 + "]" * 100_000):
        response = post_json(officer, f"inventories/{inventory_id}/activity", body)
        assert response.status_code == 400 and response.json()["code"] == "too_deep", response.content[:200]
        response = device.post("/api/v1/readings", body, content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] == "too_deep", response.content[:200]
    # MAX_DEPTH levels are fine for the parser (the view then says what is wrong with the line).
    response = post_json(officer, f"inventories/{inventory_id}/activity", nested(MAX_DEPTH))
    assert response.status_code == 400 and response.json()["code"] != "too_deep"


def test_a_control_character_in_readings_is_refused(demo):
    device = APIClient()
    device.credentials(HTTP_AUTHORIZATION=f"Device {demo['device_keys']['A']}")
    reading = {"meter": "A-ELEC-01\u0000", "ts": "2025-03-01T08:00:00+08:00", "value": "1"}
    response = device.post("/api/v1/readings", json.dumps({"readings": [reading]}), content_type="application/json")
    assert response.status_code == 400 and "meter contains a control character" in response.json()["detail"]
    response = device.post("/api/v1/readings", "meter,ts,value\nA-ELEC-01,2025-03-01T08:00:00+08:00,1\u0001\n",
                           content_type="text/csv")
    assert response.status_code == 400 and "Line 2 contains a control character" in response.json()["detail"]
    for value in ("１２３", "1_000"):
        answer = device.post("/api/v1/readings", {"readings": [{**reading, "meter": "A-ELEC-01", "value": value}]},
                             format="json")
        assert answer.json()["rejected"][0]["error"].startswith("value:"), answer.json()
    assert not Reading.objects.exists()


def test_unknown_api_paths_answer_json_404(officer):
    for path in ("/api/v1/nope", "/api/v1/nope/", "/api/v1/inventories/1/nope", "/api/v2/anything", "/api/"):
        for client in (officer.client, APIClient()):
            response = client.get(path)
            assert response.status_code == 404, path
            assert response["Content-Type"] == "application/json"
            assert response.json() == {"detail": "Not found.", "code": "not_found"}
    assert officer.client.post("/api/v1/nope", {}, format="json").status_code == 404


def test_trace_and_other_methods_answer_405_json_not_a_redirect(officer):
    for method in ("trace", "put", "delete"):
        response = getattr(officer.client, method)("/api/v1/inventories")
        assert response.status_code == 405, (method, response.status_code)
        assert response.json()["code"] == "method_not_allowed" and response.json()["detail"]


def test_a_nul_in_a_query_or_path_parameter_is_not_a_server_error(officer):
    for path in ("/api/v1/inventories?status=%00", "/api/v1/meters/A%00/readings",
                 "/api/v1/meters/A-ELEC-01/readings?start=%00"):
        response = officer.client.get(path)
        assert response.status_code < 500 and "detail" in (response.json() if response.status_code >= 400 else {"detail": ""})


def test_ids_beyond_64_bits_are_a_400_or_404_not_a_server_error(officer, inventory_id):
    """SQLite's driver cannot even bind such a number (OverflowError), PostgreSQL refuses it."""
    huge = "45099044398826947254157312"
    assert officer.post("inventories", {"year": 2033, "enterprise": int(huge)}).status_code == 400
    for path in (f"/api/v1/inventories/{huge}", f"/api/v1/inventories/{huge}/activity",
                 f"/api/v1/inventories/{inventory_id}/activity/{huge}", f"/api/v1/engagements/{huge}",
                 f"/api/v1/findings/{huge}", f"/api/v1/documents/{huge}/download"):
        response = officer.client.get(path)
        assert response.status_code in (400, 404, 405), (path, response.status_code)
        assert response.json()["detail"]


def test_every_4xx_body_has_detail_and_code(officer, inventory_id):
    for response in (officer.post(f"inventories/{inventory_id}/activity", ["not", "an", "object"]),
                     post_json(officer, f"inventories/{inventory_id}/activity", "{not json"),
                     officer.client.get("/api/v1/meters/NO-SUCH-METER/readings"),
                     officer.post("inventories", {"year": "x"})):
        assert 400 <= response.status_code < 500
        assert {"detail", "code"} <= set(response.json()), response.json()


def test_a_body_over_the_size_limit_is_a_413_with_detail(officer, inventory_id, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_json(officer, f"inventories/{inventory_id}/activity",
                         json.dumps({**LINE, "description": "x" * 2000}))
    assert response.status_code == 413 and response.json()["code"] == "too_large"


NOT_ASCII = ["１２３", "١٢٣", "1_000", "²", "१२३"]
# The year 2031 as Python's int() would read it, and a superscript (which str.isdigit() takes).
YEARS_NOT_ASCII = ["２０３１", "٢٠٣١", "2_031", "२०३१", "203¹"]


@pytest.mark.parametrize(("number", "year"), list(zip(NOT_ASCII, YEARS_NOT_ASCII, strict=True)))
def test_body_numbers_take_ascii_digits_only(officer, number, year):
    before = Inventory.objects.count()
    for body, field in (({"year": 2031, "added_value_10k_yuan": number}, "added_value_10k_yuan"),  # a decimal
                        ({"year": year}, "year")):  # an integer
        response = officer.post("inventories", body)
        assert response.status_code == 400, (body, response.content)
        answer = response.json()
        assert answer["code"] == "invalid" and answer["detail"].startswith(f"{field}: "), answer
    assert Inventory.objects.count() == before
    assert "digits 0-9" in officer.post("inventories", {"year": "２０３１"}).json()["detail"]


def test_normal_and_json_numbers_in_a_body_are_still_taken(officer):
    for year, added_value in ((2031, "123.5"), ("2032", 123), (2033, 1.5e3), (" 2034 ", " +7e2 ")):
        response = officer.post("inventories", {"year": year, "added_value_10k_yuan": added_value})
        assert response.status_code == 201, response.content
    assert Inventory.objects.get(year=2033).added_value_10k_yuan == 1500
    assert Inventory.objects.get(year=2034).added_value_10k_yuan == 700


@pytest.mark.parametrize("number", [*NOT_ASCII, "-1", "1.5", "abc", "45099044398826947254157312"])
def test_numeric_query_parameters_take_ascii_digits_only(officer, number):
    for path in ("inventories?year={}", "inventories?enterprise={}", "inventories?page={}", "inventories?page_size={}",
                 "engagements?inventory={}", "findings?inventory={}", "documents?inventory={}",
                 "meters/A-ELEC-01/readings?limit={}"):
        response = officer.client.get("/api/v1/" + path.format(quote(number)))
        assert response.status_code == 400, (path, number, response.status_code)
        answer = response.json()
        assert answer["code"] == "invalid" and answer["detail"].startswith(path.split("?")[1][:-3]), answer


def test_numeric_query_parameters_in_ascii_digits_still_work(officer, inventory_id):
    year = Inventory.objects.get(pk=inventory_id).year
    assert officer.get(f"inventories?year={year}&page=1&page_size=2").status_code == 200
    assert officer.get("inventories?page=last").status_code == 200
    for path in (f"engagements?inventory={inventory_id}", f"findings?inventory={inventory_id}",
                 f"documents?inventory={inventory_id}", "meters/A-ELEC-01/readings?limit=3"):
        assert officer.get(path).status_code == 200, path


def test_an_import_takes_its_inventory_id_in_ascii_digits_only(officer, inventory_id):
    upload = SimpleUploadedFile("lines.csv", b"category,fuel,description,quantity,unit\n", content_type="text/csv")
    response = officer.client.post("/api/v1/imports", {"file": upload, "kind": "activity",
                                                       "inventory": str(inventory_id).translate(FULL_WIDTH)})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and response.json()["detail"].startswith("inventory: ")


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_the_api_has_no_number_field_that_takes_other_digits():
    """Every number field of the API's serializers is one of carbon_portal/api/fields.py; numbers in
    query parameters go through its `query_int` (str.isdigit() is true for "１２３" and "²"); no
    ModelSerializer, whose number fields would be DRF's own."""
    offending = []
    for path in sorted((ROOT / "carbon_portal" / "api").rglob("*.py")):
        if path.name == "fields.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"serializers\.(Decimal|Integer|Float)Field\b|ModelSerializer|\.isdigit\(\)"
                         r"|\b(int|float|Decimal)\(request", line):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offending, "\n".join(offending)
