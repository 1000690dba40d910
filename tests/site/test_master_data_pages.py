"""Master data in the portal: an officer registers a facility and a meter, issues a device key
(shown once) and revokes it; readers see without forms; another enterprise's pages are 404."""

import pytest

from ingestion.models import DeviceKey
from inventories.models import Facility, Meter

from .helpers import enterprise_of, post, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_officer_navigation_leads_to_master_data(people):
    page = people("officer_a").get("/portal/")
    assert 'href="/portal/master-data/"' in text(page)
    listing = people("officer_a").get("/portal/master-data/")
    assert listing.status_code == 200 and "A-ELEC-01" in text(listing)


def test_officer_creates_a_facility_and_a_meter_and_issues_a_key(people):
    officer = people("officer_a")
    enterprise = enterprise_of("officer_a")
    assert officer.get("/portal/master-data/facilities/new/").status_code == 200
    created = post(officer, "/portal/master-data/facilities/new/",
                   {"enterprise": enterprise.pk, "name": "North plant", "address": "7 River Road"})
    assert created.status_code == 302, text(created)[:3000]
    facility = Facility.objects.get(enterprise=enterprise, name="North plant")
    taken = post(officer, "/portal/master-data/facilities/new/", {"enterprise": enterprise.pk, "name": "North plant"})
    assert taken.status_code == 400 and "already has a facility" in text(taken)

    assert officer.get("/portal/master-data/meters/new/").status_code == 200
    meter = {"enterprise": enterprise.pk, "identifier": "A-NORTH-01", "name": "North main", "energy_type":
             "electricity", "unit": "kWh", "reading_kind": "cumulative", "register_max": "999999",
             "facility": facility.pk, "is_active": "on"}
    bad = post(officer, "/portal/master-data/meters/new/", {**meter, "identifier": "bad id"})
    assert bad.status_code == 400
    created = post(officer, "/portal/master-data/meters/new/", meter)
    assert created.status_code == 302, text(created)[:3000]
    assert created["Location"] == "/portal/master-data/meters/A-NORTH-01/"
    stored = Meter.objects.get(identifier="A-NORTH-01")
    assert stored.enterprise == enterprise and stored.facility == facility and stored.unit == "kWh"

    changed = post(officer, "/portal/master-data/meters/A-NORTH-01/", {**meter, "name": "North incomer"})
    assert changed.status_code == 302
    assert Meter.objects.get(identifier="A-NORTH-01").name == "North incomer"

    issued = post(officer, "/portal/master-data/meters/A-NORTH-01/device-keys/", {"name": "North logger"})
    assert issued.status_code == 200 and issued["Cache-Control"] == "no-store"
    key = DeviceKey.objects.get(name="North logger")
    html = text(issued)
    assert "shown only this once" in html and 'id="device-key">dk_' in html
    page = text(officer.get("/portal/master-data/meters/A-NORTH-01/"))
    assert "North logger" in page and "dk_" not in page

    revoked = post(officer, f"/portal/master-data/meters/A-NORTH-01/device-keys/{key.pk}/revoke/")
    assert revoked.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_a_reviewer_reads_but_cannot_write(people):
    reviewer = people("reviewer_a")
    page = reviewer.get("/portal/master-data/meters/A-ELEC-01/")
    assert page.status_code == 200 and "Issue the key" not in text(page)
    assert reviewer.get("/portal/master-data/facilities/new/").status_code == 403
    assert post(reviewer, "/portal/master-data/meters/A-ELEC-01/", {"name": "X", "energy_type": "electricity",
                                                                   "unit": "kWh", "reading_kind": "cumulative"}
                ).status_code == 403
    assert post(reviewer, "/portal/master-data/meters/A-ELEC-01/device-keys/", {"name": "x"}).status_code == 403
    assert Meter.objects.get(identifier="A-ELEC-01").name != "X"


def test_another_enterprises_master_data_is_404(people, demo):
    officer_b = people("officer_b")
    meter_a = demo["meters"]["A"][0]
    assert officer_b.get(f"/portal/master-data/meters/{meter_a}/").status_code == 404
    assert post(officer_b, f"/portal/master-data/meters/{meter_a}/device-keys/", {"name": "x"}).status_code == 404
    facility_a = Facility.objects.filter(enterprise=enterprise_of("officer_a")).first()
    if facility_a is None:
        facility_a = Facility.objects.create(enterprise=enterprise_of("officer_a"), name="A plant")
    assert officer_b.get(f"/portal/master-data/facilities/{facility_a.pk}/").status_code == 404
    assert meter_a not in text(officer_b.get("/portal/master-data/"))


def test_refusals_show_on_the_form(people):
    officer = people("officer_a")
    response = post(officer, "/portal/master-data/meters/A-ELEC-01/", {
        "name": "Main", "energy_type": "electricity", "unit": "m3", "reading_kind": "cumulative", "is_active": "on"})
    assert response.status_code == 400
    assert "kWh or MWh" in text(response)


def test_master_data_pages_are_chinese_by_default(people, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    html = text(people("officer_a").get("/portal/master-data/"))
    assert "主数据" in html and "新建计量表" in html
