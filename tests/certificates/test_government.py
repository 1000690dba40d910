"""The government view: ratings by region and industry, grades, year over year, exports; only
verified data in the user's jurisdiction."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from carbon_portal.accounts.models import Authority, Membership, Role, User
from certificates.government import enterprise_rows, ratings
from certificates.models import IndustryBaseline

from .factories import make_enterprise, make_inventory, make_officer, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(demo, users, issue, inventory_a):
    """A (C30, Hangzhou) certified for 2025 and 2024; a Shanghai C30 enterprise certified for 2025;
    a Hangzhou C30 enterprise verified-but-draft data that must not count."""
    issue(inventory_a)
    enterprise_a = inventory_a.enterprise
    officer = users["officer_a"]
    previous = make_inventory(enterprise_a, officer, year=2024, added_value="7000", lines=[
        {"category": "purchased_electricity", "quantity": "8000", "unit": "MWh"}])
    issue(previous)
    shanghai = make_enterprise("00003", region="310101", name="上海企业")
    IndustryBaseline.objects.get_or_create(industry_id="C30", year=2025, defaults={"average_intensity": Decimal("2.1")})
    issue(make_inventory(shanghai, make_officer(shanghai, "sh"), added_value="500"))
    draft = make_enterprise("00004", name="草稿企业")
    make_inventory(draft, make_officer(draft, "dr"))  # draft: never in the government view
    return inventory_a


def test_government_user_sees_only_verified_data_of_the_jurisdiction(certified, users):
    rows = enterprise_rows(users["gov_1"], year=2025)
    assert [row["enterprise"] for row in rows] == ["杭州青山建材有限公司"]  # Zhejiang only; no draft
    row = rows[0]
    assert (row["grade"], row["rating"], row["status"]) == (1, "中碳 1级", "active")
    assert row["previous_grade"] == 1 and row["intensity_change_percent"] == Decimal("0.3")

    everything = enterprise_rows(users["admin"], year=2025)
    assert {row["enterprise"] for row in everything} == {"杭州青山建材有限公司", "上海企业"}


def test_ratings_by_region_and_industry_with_year_over_year(certified, users):
    result = ratings(users["gov_1"], year=2025)
    [group] = result["groups"]
    assert (group.region, group.industry, group.count, group.grade_counts) == ("330100", "C30", 1, [1, 0, 0, 0, 0])
    assert group.intensity == Decimal("0.608454")
    # 2024: 8000 MWh × 0.5306 (the latest factor for 2024 too) / 7000 = 0.606400
    assert group.previous_intensity == Decimal("0.606400")
    assert group.change_percent == Decimal("0.3")


def test_pages_and_exports(certified, users):
    client = signed_in(users["gov_1"])
    page = client.get("/portal/government/?year=2025")
    assert page.status_code == 200 and "浙江省杭州市 (330100)" in page.content.decode()
    listing = client.get("/portal/government/enterprises/?year=2025").content.decode()
    assert "杭州青山建材有限公司" in listing and "上海企业" not in listing
    assert "浙江省杭州市西湖区<br><small>330106</small>" in listing

    exported = client.get("/portal/government/export.csv?year=2025")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0].startswith("企业") and rows[1][0] == "杭州青山建材有限公司" and len(rows) == 2
    columns = dict(zip(rows[0], rows[1]))
    assert (columns["行政区划代码 Region code"], columns["行政区划 Region"]) == ("330106", "浙江省杭州市西湖区")

    workbook = load_workbook(io.BytesIO(client.get("/portal/government/export.xlsx?year=2025").content))
    assert workbook["Enterprises"].cell(row=2, column=1).value == "杭州青山建材有限公司"
    enterprises = workbook["Enterprises"]
    titles = [cell.value for cell in enterprises[1]]
    assert enterprises.cell(row=2, column=titles.index("行政区划 Region") + 1).value == "浙江省杭州市西湖区"
    assert [cell.value for cell in workbook["Ratings"][2]][:3] == ["330100", "浙江省杭州市", "C30"]


def test_the_region_filter_is_a_select_of_the_jurisdiction(certified, users):
    client = signed_in(users["gov_1"])
    page = client.get("/portal/government/?year=2025").content.decode()
    select = page[page.index('<select name="region"'):]
    select = select[:select.index("</select>")]
    assert '<option value="330000">浙江省 (330000)</option>' in select
    assert '<option value="330106">浙江省杭州市西湖区 (330106)</option>' in select
    assert "310101" not in select and 'type="text"' not in select  # Zhejiang's regions only
    assert select.count("<option") == 1 + 1 + 11 + 90  # "all", the province, its prefectures and counties

    filtered = client.get("/portal/government/enterprises/?year=2025&region=330100")
    assert filtered.status_code == 200 and "杭州青山建材有限公司" in filtered.content.decode()
    assert '<option value="330100" selected>' in filtered.content.decode()
    ningbo = client.get("/portal/government/enterprises/?year=2025&region=330200").content.decode()
    assert "杭州青山建材有限公司" not in ningbo


@pytest.mark.parametrize(("region", "says"), [
    ("999999", "999999"),                  # well-formed, no region of GB/T 2260
    ("330113", "330113"),                  # a code of 2021, not in the table's edition
    ("310101", "上海市黄浦区 (310101)"),    # a real region outside the jurisdiction
    ("abc", "abc"),
])
def test_an_unknown_or_foreign_region_is_a_400_that_says_why(certified, users, region, says):
    client = signed_in(users["gov_1"])
    for path in ("/portal/government/", "/portal/government/enterprises/"):
        response = client.get(f"{path}?year=2025&region={region}")
        assert response.status_code == 400
        text = response.content.decode()
        assert says in text and "杭州青山建材有限公司" not in text
    for file_format in ("csv", "xlsx"):
        response = client.get(f"/portal/government/export.{file_format}?year=2025&region={region}")
        assert response.status_code == 400 and says in response.content.decode()
        assert response["Content-Type"].startswith("text/plain")


def test_the_refusal_is_in_the_reader_s_language(certified, users):
    client = signed_in(users["gov_1"])
    text = client.get("/portal/government/?year=2025&region=310101").content.decode()
    assert "上海市黄浦区 (310101) 不在您的管辖范围内。" in text
    client.cookies["django_language"] = "en"
    text = client.get("/portal/government/?year=2025&region=999999").content.decode()
    assert "999999 is not a region code of GB/T 2260." in text


def test_an_administrator_picks_prefectures_and_may_name_any_county(certified, users):
    client = signed_in(users["admin"])
    page = client.get("/portal/government/enterprises/?year=2025").content.decode()
    assert '<option value="310000">上海市 (310000)</option>' in page and '<option value="330100">' in page
    assert '<option value="330106">' not in page  # counties: by code in the address
    shanghai = client.get("/portal/government/enterprises/?year=2025&region=310101")
    assert shanghai.status_code == 200 and "上海企业" in shanghai.content.decode()
    assert '<option value="310101" selected>上海市黄浦区 (310101)</option>' in shanghai.content.decode()
    assert client.get("/portal/government/enterprises/?year=2025&region=999999").status_code == 400


def test_only_government_users_and_admins(certified, users):
    assert signed_in(users["officer_a"]).get("/portal/government/").status_code == 403
    assert signed_in(users["admin"]).get("/portal/government/").status_code == 200


def test_government_user_sets_a_baseline(demo, users):
    client = signed_in(users["gov_1"])
    response = client.post("/portal/government/baselines/", {"industry": "C31", "year": "2026",
                                                             "average_intensity": "3.3", "source": "Notice"})
    assert response.status_code == 302
    baseline = IndustryBaseline.objects.get(industry_id="C31", year=2026)
    assert (baseline.average_intensity, baseline.basis, baseline.set_by) == (Decimal("3.3"), "set", users["gov_1"])
    assert baseline.authority == Authority.objects.get()


def test_another_authority_sees_nothing(certified):
    other = Authority.objects.create(name="上海市经信委", region_codes=["310000"])
    user = User.objects.create_user(username="gov_sh", password="x-Secret-12345")
    Membership.objects.create(user=user, role=Role.GOVERNMENT, authority=other)
    assert [row["enterprise"] for row in enterprise_rows(user, year=2025)] == ["上海企业"]
