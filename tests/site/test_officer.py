"""The carbon officer's pages: create an inventory, enter activity data (with clear errors),
calculate and read the trace of every line."""

from decimal import Decimal

import pytest

from inventories.models import ActivityRecord, Inventory

from .helpers import (
    COAL_MEASURED,
    ELECTRICITY,
    GAS,
    enterprise_of,
    field_errors,
    messages_of,
    post,
    steps_offered,
    text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def create_inventory(client, year=2024, added_value="6000"):
    response = post(client, "/portal/inventories/new/", {
        "enterprise": enterprise_of("officer_a").pk, "year": year, "added_value_10k_yuan": added_value})
    assert response.status_code == 302, text(response)[:2000]
    return Inventory.objects.get(enterprise=enterprise_of("officer_a"), year=year)


def test_officer_creates_an_inventory_and_is_sent_to_its_page(people):
    officer = people("officer_a")
    form = officer.get("/portal/inventories/new/")
    assert form.status_code == 200
    assert 'name="year"' in text(form)
    inventory = create_inventory(officer)
    assert inventory.status == "draft"
    page = officer.get(f"/portal/inventories/{inventory.pk}/", follow=True)
    html = text(page)
    assert "Open for data collection" in html
    assert steps_offered(page) == {"open"}  # the one step possible now


def test_a_second_inventory_for_the_same_year_is_refused_next_to_the_year(people):
    officer = people("officer_a")
    create_inventory(officer, year=2023)
    response = post(officer, "/portal/inventories/new/", {"enterprise": enterprise_of("officer_a").pk,
                                                          "year": 2023})
    assert response.status_code == 400
    assert "There is already an inventory of 2023" in field_errors(response)
    assert Inventory.objects.filter(enterprise=enterprise_of("officer_a"), year=2023).count() == 1


def test_bad_inputs_of_the_create_form_are_shown_next_to_their_fields(people):
    response = post(people("officer_a"), "/portal/inventories/new/", {
        "enterprise": enterprise_of("officer_a").pk, "year": "twenty", "added_value_10k_yuan": "-5"})
    assert response.status_code == 400
    errors = field_errors(response)
    assert "Enter a whole number." in errors
    assert "greater than or equal to" in errors


def test_officer_adds_lines_a_bad_line_shows_its_error_and_stores_nothing(people):
    officer = people("officer_a")
    inventory = create_inventory(officer)
    url = f"/portal/inventories/{inventory.pk}/activity/new/"
    assert officer.get(url).status_code == 200

    response = post(officer, url, ELECTRICITY)
    assert response.status_code == 302
    assert "Activity line" in " ".join(messages_of(officer.get(response.url)))

    # A negative quantity: refused by the form, next to the quantity field.
    response = post(officer, url, {**GAS, "quantity": "-3"})
    assert response.status_code == 400
    assert "greater than or equal to 0" in field_errors(response)
    assert "The line was not stored" in text(response)
    # Fuel combustion without its fuel.
    response = post(officer, url, {**GAS, "fuel": ""})
    assert response.status_code == 400
    assert "Choose the fuel that was burnt." in field_errors(response)
    # A unit the engine cannot convert: the engine's reason, next to the unit.
    response = post(officer, url, {**GAS, "unit": "bananas"})
    assert response.status_code == 400
    assert "bananas" in field_errors(response)
    # A process line without its factor.
    response = post(officer, url, {"category": "process", "quantity": "10", "unit": "t"})
    assert response.status_code == 400
    assert "needs its emission factor" in field_errors(response)
    assert ActivityRecord.objects.filter(inventory=inventory).count() == 1

    # The typed values stay in the form after an error.
    assert 'value="bananas"' in text(post(officer, url, {**GAS, "unit": "bananas"}))

    assert post(officer, url, GAS).status_code == 302
    assert post(officer, url, {**COAL_MEASURED, "add_another": "1"}).url == url
    assert ActivityRecord.objects.filter(inventory=inventory).count() == 3


def test_officer_calculates_and_sees_the_trace_of_every_line(people):
    officer = people("officer_a")
    inventory = create_inventory(officer)
    for line in (ELECTRICITY, GAS, COAL_MEASURED):
        post(officer, f"/portal/inventories/{inventory.pk}/activity/new/", line)
    assert post(officer, f"/portal/inventories/{inventory.pk}/transitions/open/").status_code == 302
    response = post(officer, f"/portal/inventories/{inventory.pk}/transitions/calculate/", follow=True)
    assert response.status_code == 200
    inventory.refresh_from_db()
    assert inventory.status == "calculated"
    html = text(response)
    assert "Done: Calculate" in html
    result = inventory.results.get()
    # The total, formatted for people (grouped thousands, 3 decimals).
    assert f"{result.total_tco2e:,.3f}" in html
    # Each line's trace: formula, conversions, factors with their sources.
    for line in result.lines.all():
        assert line.formula.split(" = ")[0] in html
    assert "1200000 kWh = 1200 MWh" in html
    assert "MEE/NBS announcement" in html  # the grid factor's source
    assert "line input" in html  # the measured NCV on the coal line
    assert html.count("Trace: formula, factors and sources") == 3
    # Quantities without trailing zeros and with grouping.
    assert "1,200,000" in html and "1200000.00000000" not in html


def test_calculate_without_data_is_not_offered_and_explains_why(people):
    officer = people("officer_a")
    inventory = create_inventory(officer)
    post(officer, f"/portal/inventories/{inventory.pk}/transitions/open/")
    page = officer.get(f"/portal/inventories/{inventory.pk}/")
    assert "calculate" not in steps_offered(page)
    assert "The inventory has no activity data to calculate." in text(page)
    # Posting it anyway changes nothing and says why.
    response = post(officer, f"/portal/inventories/{inventory.pk}/transitions/calculate/")
    assert response.status_code == 409
    assert "no activity data" in text(response)
    inventory.refresh_from_db()
    assert inventory.status == "collecting"


def test_data_is_frozen_after_calculation_and_the_page_says_so(people):
    officer = people("officer_a")
    inventory = create_inventory(officer)
    post(officer, f"/portal/inventories/{inventory.pk}/activity/new/", ELECTRICITY)
    post(officer, f"/portal/inventories/{inventory.pk}/transitions/open/")
    post(officer, f"/portal/inventories/{inventory.pk}/transitions/calculate/")
    html = text(officer.get(f"/portal/inventories/{inventory.pk}/"))
    assert f"/portal/inventories/{inventory.pk}/activity/new/" not in html
    assert "frozen" in html
    response = post(officer, f"/portal/inventories/{inventory.pk}/activity/new/", GAS)
    assert response.status_code == 302
    assert ActivityRecord.objects.filter(inventory=inventory).count() == 1
    # Reopen: data can be entered again.
    post(officer, f"/portal/inventories/{inventory.pk}/transitions/reopen/")
    assert f"/portal/inventories/{inventory.pk}/activity/new/" in text(officer.get(f"/portal/inventories/{inventory.pk}/"))


def test_officer_corrects_a_line_while_collecting(people):
    officer = people("officer_a")
    inventory = create_inventory(officer)
    post(officer, f"/portal/inventories/{inventory.pk}/activity/new/", COAL_MEASURED)
    record = inventory.activity_records.get()
    url = f"/portal/inventories/{inventory.pk}/activity/{record.pk}/"
    form = text(officer.get(url))
    assert 'value="21.5"' in form
    # Clearing the measured parameters falls back to the library defaults.
    changed = {**COAL_MEASURED, "quantity": "900", "ncv": "", "ncv_unit": "", "carbon_content": "",
               "carbon_content_unit": "", "oxidation_rate": ""}
    assert post(officer, url, changed).status_code == 302
    record.refresh_from_db()
    assert record.quantity == Decimal("900")
    assert record.parameters == {}
    response = post(officer, url, {**changed, "quantity": "abc"})
    assert response.status_code == 400
    assert "Enter a number." in field_errors(response)


def test_the_list_asks_the_database_as_often_for_many_inventories_as_for_few(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inventories.services import create_inventory as create
    from .helpers import user

    officer = people("officer_a")
    officer.get("/portal/inventories/")  # warm the session and caches

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert officer.get("/portal/inventories/").status_code == 200
        return len(captured)

    few = queries()
    for year in range(1990, 2020):
        create(enterprise=enterprise_of("officer_a"), year=year, created_by=user("officer_a"))
    assert queries() == few
