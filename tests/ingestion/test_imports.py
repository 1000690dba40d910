import datetime
import io
from decimal import Decimal

import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook
from rest_framework.test import APIClient

from carbon_portal.accounts.models import User
from ingestion.imports.services import ImportRefused, import_activity, import_readings
from ingestion.imports.templates import ACTIVITY_COLUMNS, template_csv, template_xlsx
from ingestion.models import DailyRollup, Evidence, ImportBatch, Reading
from inventories.models import ActivityRecord, Inventory

from .files import png

GOOD_AND_BAD = (
    "category,fuel,description,quantity,unit,period_start,period_end\n"
    "fuel_combustion,natural_gas,Kiln gas,350000,m3,2025-01-01,2025-12-31\n"      # row 2
    "fuel_combustion,unobtainium,Mystery,10,t,,\n"                                  # row 3: unknown fuel
    "purchased_electricity,,Grid,2400000.5,kWh,,\n"                                 # row 4
    "purchased_electricity,,Grid,-5,kWh,,\n"                                        # row 5: negative
    ",,,,,,\n"                                                                      # row 6: empty, left out
    "purchased_heat,,Steam,5000,GJ,2025-02-30,\n"                                   # row 7: no such date
    "purchased_heat,,Steam,,GJ,,\n"                                                 # row 8: no quantity
    "purchased_heat,,Steam,12,GJ,2025-03-01,2025-03-31\n"                           # row 9
)


@pytest.fixture
def inventory_a(demo):
    return Inventory.objects.get(enterprise__memberships__user__username="officer_a", year=2025)


def activity(inventory, user, data, name="activity.csv", **kwargs):
    return import_activity(inventory=inventory, imported_by=user, data=data, filename=name, **kwargs)


def test_an_activity_csv_with_bad_rows_imports_the_good_ones_and_reports_the_others(inventory_a, officer_a):
    before = ActivityRecord.objects.count()
    batch = activity(inventory_a, officer_a, GOOD_AND_BAD.encode())
    assert (batch.rows, batch.accepted) == (7, 3)
    refused = {entry["row"]: entry["error"] for entry in batch.refused}
    assert sorted(refused) == [3, 5, 7, 8]
    assert "unobtainium" in refused[3]
    assert "negative" in refused[5]
    assert "period_start" in refused[7]
    assert refused[8] == "quantity: missing"
    records = ActivityRecord.objects.filter(origin="import").order_by("id")
    assert ActivityRecord.objects.count() == before + 3
    assert [r.quantity for r in records] == [Decimal("350000"), Decimal("2400000.5"), Decimal("12")]
    assert {r.evidence_id for r in records} == {batch.evidence_id}
    assert records[2].period_start == datetime.date(2025, 3, 1)
    assert Evidence.objects.get(pk=batch.evidence_id).kind == "spreadsheet"


def test_an_xlsx_in_the_template_form_is_imported(inventory_a, officer_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Category", "Fuel", "Quantity", "Unit", "NCV", "NCV_unit"])
    sheet.append(["fuel_combustion", "raw_coal", 1200, "t", 21.5, "GJ/t"])
    sheet.append(["purchased_electricity", None, 0.1, "MWh", None, None])
    output = io.BytesIO()
    workbook.save(output)
    batch = activity(inventory_a, officer_a, output.getvalue(), "data.xlsx")
    assert (batch.accepted, batch.refused) == (2, [])
    coal, electricity = ActivityRecord.objects.filter(origin="import").order_by("id")
    assert (coal.quantity, coal.parameters) == (Decimal("1200"), {"ncv": "21.5", "ncv_unit": "GJ/t"})
    assert electricity.quantity == Decimal("0.1")


@pytest.mark.parametrize(("data", "message"), [
    (b"category,quantity\nprocess,1\n", "Missing column(s): unit"),
    (b"category,quantity,unit,colour\nprocess,1,t,red\n", "Unknown column(s): colour"),
    (b"category,quantity,unit\n", "no data rows"),
    (b"category,quantity,unit\nfuel_combustion,1,t\n", "Nothing was imported"),
    (png(), "neither an Excel workbook"),
    (b"PK\x03\x04 not really a zip", "neither an Excel workbook"),
    (b"", "empty"),
])
def test_a_file_that_cannot_be_imported_leaves_nothing_behind(inventory_a, officer_a, data, message):
    records, evidence = ActivityRecord.objects.count(), Evidence.objects.count()
    with pytest.raises(ImportRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        activity(inventory_a, officer_a, data)
    assert (ActivityRecord.objects.count(), Evidence.objects.count()) == (records, evidence)
    assert not ImportBatch.objects.exists()


def test_all_or_nothing_refuses_the_whole_file_for_one_bad_row(inventory_a, officer_a):
    records = ActivityRecord.objects.count()
    with pytest.raises(ImportRefused) as refused:
        activity(inventory_a, officer_a, GOOD_AND_BAD.encode(), all_or_nothing=True)
    assert [entry["row"] for entry in refused.value.report["refused"]] == [3, 5, 7, 8]
    assert ActivityRecord.objects.count() == records


def test_a_failure_while_storing_rolls_everything_back(inventory_a, officer_a, monkeypatch):
    records, evidence = ActivityRecord.objects.count(), Evidence.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ImportBatch.objects, "create", broken)
    with pytest.raises(RuntimeError):
        activity(inventory_a, officer_a, GOOD_AND_BAD.encode())
    assert (ActivityRecord.objects.count(), Evidence.objects.count()) == (records, evidence)


def test_the_same_activity_file_is_not_imported_twice(inventory_a, officer_a):
    activity(inventory_a, officer_a, GOOD_AND_BAD.encode())
    records = ActivityRecord.objects.count()
    with pytest.raises(ImportRefused, match="imported into this inventory already"):
        activity(inventory_a, officer_a, GOOD_AND_BAD.encode(), "again.csv")
    assert ActivityRecord.objects.count() == records


def test_only_officers_import_activity(inventory_a):
    with pytest.raises(PermissionDenied):
        activity(inventory_a, User.objects.get(username="reviewer_a"), GOOD_AND_BAD.encode())


def test_a_readings_csv_with_local_times_duplicates_and_bad_rows(enterprise_a, officer_a):
    text = ("meter,ts,value\n"
            "A-STEAM-01,2025-03-01 08:00:00,1.5\n"            # local time (Asia/Shanghai)
            "A-STEAM-01,2025-03-01T00:15:00Z,2\n"
            "A-STEAM-01,2025-03-01 08:00:00,1.5\n"            # duplicate
            "B-ELEC-01,2025-03-01 08:00:00,1\n"               # another enterprise's meter
            "A-STEAM-01,2025-03-01 08:30:00,abc\n")
    batch = import_readings(enterprise=enterprise_a, imported_by=officer_a, data=text.encode("gb18030"),
                            filename="读数.csv")
    assert (batch.rows, batch.accepted, batch.duplicates) == (5, 2, 1)
    assert [entry["row"] for entry in batch.refused] == [5, 6]
    first = Reading.objects.order_by("ts").first()
    assert first.ts == datetime.datetime(2025, 3, 1, 0, 0, tzinfo=datetime.timezone.utc)
    assert DailyRollup.objects.get().consumption == Decimal("3.5")
    again = import_readings(enterprise=enterprise_a, imported_by=officer_a, data=text.encode("gb18030"),
                            filename="again.csv")
    assert (again.accepted, again.duplicates) == (0, 3)


def test_a_readings_workbook_with_excel_dates(enterprise_a, officer_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["meter", "ts", "value"])
    sheet.append(["A-GAS-01", datetime.datetime(2025, 3, 1, 8, 0), 100])
    sheet.append(["A-GAS-01", datetime.datetime(2025, 3, 1, 9, 0), 112.25])
    output = io.BytesIO()
    workbook.save(output)
    batch = import_readings(enterprise=enterprise_a, imported_by=officer_a, data=output.getvalue(),
                            filename="gas.xlsx")
    assert (batch.accepted, batch.refused) == (2, [])
    assert DailyRollup.objects.get().consumption == Decimal("12.25")


@pytest.mark.parametrize("kind", ["activity", "readings"])
def test_templates_download_and_read_back(demo, kind):
    client = APIClient()
    client.force_authenticate(User.objects.get(username="officer_a"))
    for extension, reader in (("csv", lambda data: pd.read_csv(io.BytesIO(data), dtype=str)),
                              ("xlsx", lambda data: pd.read_excel(io.BytesIO(data), dtype=str))):
        answer = client.get(f"/api/v1/imports/templates/{kind}.{extension}")
        assert answer.status_code == 200
        assert "attachment" in answer["Content-Disposition"]
        frame = reader(answer.content)
        if kind == "activity":
            assert tuple(frame.columns) == ACTIVITY_COLUMNS
        else:
            assert tuple(frame.columns) == ("meter", "ts", "value")
    assert client.get("/api/v1/imports/templates/other.csv").status_code == 404
    assert template_csv(kind).startswith(b"\xef\xbb\xbf") and template_xlsx(kind).startswith(b"PK")


def test_the_imports_api(inventory_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = APIClient()
    client.force_authenticate(User.objects.get(username="officer_a"))
    answer = client.post("/api/v1/imports", {"kind": "activity", "inventory": inventory_a.pk,
                                             "file": SimpleUploadedFile("a.csv", GOOD_AND_BAD.encode())},
                         format="multipart")
    assert answer.status_code == 201
    assert answer.json()["accepted"] == 3 and len(answer.json()["refused"]) == 4
    refused = client.post("/api/v1/imports", {"kind": "activity", "inventory": inventory_a.pk,
                                              "file": SimpleUploadedFile("b.csv", b"category\nprocess\n")},
                          format="multipart")
    assert refused.status_code == 400 and "Missing column" in refused.json()["detail"]
    readings = client.post("/api/v1/imports", {"kind": "readings", "file": SimpleUploadedFile(
        "r.csv", b"meter,ts,value\nA-GAS-01,2025-03-01T08:00:00+08:00,5\n")}, format="multipart")
    assert readings.status_code == 201 and readings.json()["accepted"] == 1
    client.force_authenticate(User.objects.get(username="officer_b"))
    assert client.post("/api/v1/imports", {"kind": "activity", "inventory": inventory_a.pk, "file":
                                           SimpleUploadedFile("a.csv", GOOD_AND_BAD.encode())},
                       format="multipart").status_code == 404
