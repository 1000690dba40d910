"""Possible double counting in the portal: the warning on the inventory page, the side-by-side
comparison with the officer's choice (form token, reason), calculating refused until then,
reviewers reading only, the verifier's workbench listing every decision."""

import re
from decimal import Decimal

import pytest

from inventories.models import DoubleCountDecision
from inventories.double_counts import double_count_groups
from inventories.selectors import latest_result

from tests.inventories.test_double_counting import ids, site  # noqa: F401 (fixture)
from tests.workflows.support import advance, step

from .helpers import messages_of, post, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def group_url(inventory):
    key = double_count_groups(inventory)[0].key
    return f"/portal/inventories/{inventory.pk}/double-counts/{key}/"


def form_token(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', text(page)).group(1)


def records_field(page) -> str:
    return re.search(r'name="records" value="([^"]*)"', text(page)).group(1)


def test_warning_compare_decide_and_calculate(people, site):  # noqa: F811
    inventory = site["inventory"]
    officer = people("officer_a")
    step(inventory, "open", "officer_a")

    page = officer.get(f"/portal/inventories/{inventory.pk}/")
    html = text(page)
    assert 'id="double-counting"' in html and "Possible double counting" in html
    assert group_url(inventory) in html
    assert "Compare the records and choose which count before calculating." in html  # calculate is blocked

    refused = post(officer, f"/portal/inventories/{inventory.pk}/transitions/calculate/")
    assert refused.status_code == 409
    assert "Possible double counting is not settled" in text(refused)
    assert group_url(inventory) in text(refused)  # the link to the comparison beside the message

    comparison = officer.get(group_url(inventory))
    assert comparison.status_code == 200
    html = text(comparison)
    for column in ("Meter readings", "Invoice", "Manual entry"):
        assert column in html
    assert "DC-E1" in html and "Plant 2" in html
    assert "= 1" in html  # the invoice's MWh converted to kWh
    token, shown = form_token(comparison), records_field(comparison)

    missing = post(officer, group_url(inventory), {"form_token": token, "records": shown, "counted": "meter",
                                                   "reason": ""})
    assert missing.status_code == 400
    assert not DoubleCountDecision.objects.exists()

    decided = post(officer, group_url(inventory), {"form_token": token, "records": shown, "counted": "meter",
                                                   "reason": "The calibrated meter counts."})
    assert decided.status_code == 302, text(decided)[:3000]
    assert decided.url.endswith("#double-counting")
    again = post(officer, group_url(inventory), {"form_token": token, "records": shown, "counted": "all",
                                                 "reason": "twice"}, follow=True)
    assert "This form was already sent; it was not sent again." in messages_of(again)
    decision = DoubleCountDecision.objects.get()
    assert decision.counted == "meter" and decision.decided_by.username == "officer_a"

    html = text(officer.get(group_url(inventory)))
    assert "excluded" in html and "The calibrated meter counts." in html

    done = post(officer, f"/portal/inventories/{inventory.pk}/transitions/calculate/")
    assert done.status_code == 302
    assert latest_result(inventory).total_tco2e == Decimal("573.843776")
    html = text(officer.get(f"/portal/inventories/{inventory.pk}/"))
    excluded = html[html.index('id="excluded-records"'):]
    assert f"#{ids(inventory, 'invoice')[0]}" in excluded and "The calibrated meter counts." in excluded


def test_a_group_that_changed_since_it_was_shown_is_shown_again(people, site):  # noqa: F811
    from inventories.services import add_activity
    from tests.workflows.support import user
    import datetime

    inventory = site["inventory"]
    officer = people("officer_a")
    page = officer.get(group_url(inventory))
    shown = records_field(page)
    add_activity(inventory=inventory, actor=user("officer_a"),
                 line={"category": "purchased_electricity", "quantity": "5", "unit": "MWh"}, origin="import",
                 emission_source=site["source"], period_start=datetime.date(2024, 5, 1),
                 period_end=datetime.date(2024, 5, 31))
    response = post(officer, group_url(inventory), {"form_token": form_token(page), "records": shown,
                                                    "counted": "meter", "reason": "Meter."})
    assert response.status_code == 409
    assert "The group has changed since it was shown" in text(response)
    assert "Spreadsheet import" in text(response)  # the new column is shown
    assert not DoubleCountDecision.objects.exists()


def test_reviewer_reads_only_and_cannot_post(people, site):  # noqa: F811
    inventory = site["inventory"]
    reviewer = people("reviewer_a")
    page = reviewer.get(group_url(inventory))
    assert page.status_code == 200
    assert 'name="reason"' not in text(page)
    assert reviewer.get(f"/portal/inventories/{inventory.pk}/double-counts/").status_code == 200
    refused = post(reviewer, group_url(inventory), {"records": ",".join(map(str, ids(inventory)[:3])),
                                                    "counted": "meter", "reason": "x"})
    assert refused.status_code == 403
    assert not DoubleCountDecision.objects.exists()


def test_other_enterprises_and_unknown_groups_are_404(people, site):  # noqa: F811
    inventory = site["inventory"]
    stranger = people("officer_b")
    assert stranger.get(group_url(inventory)).status_code == 404
    assert stranger.get(f"/portal/inventories/{inventory.pk}/double-counts/").status_code == 404
    assert post(stranger, group_url(inventory), {"counted": "meter", "reason": "x"}).status_code == 404
    officer = people("officer_a")
    assert officer.get(f"/portal/inventories/{inventory.pk}/double-counts/0-nothing-none-1/").status_code == 404


def test_bad_form_input_is_400(people, site):  # noqa: F811
    inventory = site["inventory"]
    officer = people("officer_a")
    shown = ",".join(map(str, ids(inventory)[:3]))
    for data in ({"records": shown, "counted": "solar", "reason": "x"},
                 {"records": "", "counted": "meter", "reason": "x"},
                 {"records": "１,2", "counted": "meter", "reason": "x"},
                 {"records": shown, "counted": "meter", "reason": "a\x00b"}):
        assert post(officer, group_url(inventory), data).status_code == 400
    assert not DoubleCountDecision.objects.exists()


def test_the_verifier_sees_every_decision(people, site):  # noqa: F811
    from inventories.double_counts import decide_double_count
    from tests.workflows.support import engagement_of, user

    inventory = site["inventory"]
    decide_double_count(inventory_id=inventory.pk, actor=user("officer_a"), counted="all", reason="First look.",
                        record_ids=ids(inventory)[:3])
    decide_double_count(inventory_id=inventory.pk, actor=user("officer_a"), counted="meter",
                        reason="Invoice repeats the meter.", record_ids=ids(inventory)[:3])
    advance(inventory, "verifying")
    page = people("verifier_1").get(f"/portal/verification/{engagement_of(inventory).pk}/")
    assert page.status_code == 200
    html = text(page)
    assert "Double-counting decisions" in html
    assert "Invoice repeats the meter." in html and "First look." in html
    assert "in force" in html and "superseded or reopened" in html
    section = html[html.index('id="double-counting"'):html.index('id="sampling"')]
    assert section.count("excluded") >= 2 and f"#{ids(inventory)[1]}" in section
