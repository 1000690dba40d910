"""Imports refuse a row with a control character or a formula in a code or unit column, naming the
row and the column; a description may begin with = (stored as it is, quoted in every export)."""

import pytest

from ingestion.imports.services import import_activity, import_readings
from inventories.models import ActivityRecord, Inventory

HEADER = "category,fuel,description,quantity,unit\n"


@pytest.fixture
def inventory_a(demo):
    return Inventory.objects.get(enterprise__memberships__user__username="officer_a", year=2025)


def test_activity_rows_with_formulas_or_control_characters_are_refused_by_row_and_column(inventory_a, officer_a):
    text = (HEADER
            + "purchased_electricity,,Grid,100,kWh\n"                        # row 2: fine
            + 'purchased_electricity,,Grid,100,"=HYPERLINK(""x"")"\n'       # row 3: a formula as the unit
            + "purchased_electricity,,Grid\u0001,100,kWh\n"                # row 4: a control character
            + "purchased_electricity,,=1+2 is a note,100,kWh\n"            # row 5: free text: stored
            + "purchased_electricity,,Grid,１２３,kWh\n"                     # row 6: full-width digits
            + "@cmd,,Grid,100,kWh\n")                                      # row 7: a formula as the category
    batch = import_activity(inventory=inventory_a, imported_by=officer_a, data=text.encode(), filename="a.csv")
    refused = {entry["row"]: entry["error"] for entry in batch.refused}
    assert sorted(refused) == [3, 4, 6, 7]
    assert refused[3].startswith("unit:") and "formula" in refused[3]
    assert "description contains a control character (U+0001)" in refused[4]
    assert "is not a number" in refused[6]
    assert refused[7].startswith("category:") and "formula" in refused[7]
    assert ActivityRecord.objects.filter(origin="import", description="=1+2 is a note").exists()


def test_readings_rows_with_formulas_or_control_characters_are_refused_by_row(enterprise_a, officer_a):
    text = ("meter,ts,value\n"
            "A-STEAM-01,2025-03-01T08:00:00+08:00,1.5\n"
            "=A-STEAM-01,2025-03-01T08:15:00+08:00,2\n"
            "A-STEAM-01\u0002,2025-03-01T08:30:00+08:00,2\n"
            "A-STEAM-01,2025-03-01T08:45:00+08:00,２\n")
    batch = import_readings(enterprise=enterprise_a, imported_by=officer_a, data=text.encode(), filename="r.csv")
    assert batch.accepted == 1
    refused = {entry["row"]: entry["error"] for entry in batch.refused}
    assert sorted(refused) == [3, 4, 5]
    assert refused[3].startswith("meter:") and "formula" in refused[3]
    assert "meter contains a control character" in refused[4]
    assert refused[5].startswith("value:")
