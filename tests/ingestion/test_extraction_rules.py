"""Units, energy types, uppercase amounts and tax ids."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon_portal.accounts.uscc import ALPHABET, with_check_character
from ingestion.extraction import (
    ENERGY_TYPES,
    check_tax_id,
    classify,
    normalise_unit,
    parse_chinese_uppercase,
    to_chinese_uppercase,
)
from ingestion.extraction.energy import fix_category


@pytest.mark.parametrize("printed, unit, factor", [
    ("千瓦时", "kWh", "1"), ("度", "kWh", "1"), ("kWh", "kWh", "1"), ("KWH", "kWh", "1"), ("kW·h", "kWh", "1"),
    ("兆瓦时", "MWh", "1"), ("MWh", "MWh", "1"), ("万千瓦时", "MWh", "10"),
    ("立方米", "m3", "1"), ("方", "m3", "1"), ("m³", "m3", "1"), ("m3", "m3", "1"), ("标准立方米", "m3", "1"),
    ("万立方米", "m3", "10000"),
    ("吉焦", "GJ", "1"), ("GJ", "GJ", "1"), ("吨", "t", "1"), ("升", "L", "1"), ("L", "L", "1"),
    ("公斤", "kg", "1"), ("千克", "kg", "1"), ("kg", "kg", "1"),
    ("千伏安", "kVA", "1"), ("kVA", "kVA", "1"), ("千瓦", "kW", "1"),
    # OCR look-alikes
    ("于瓦时", "kWh", "1"), ("干克", "kg", "1"), ("二伏安", "kVA", "1"),
])
def test_unit_normalisation(printed, unit, factor):
    assert normalise_unit(printed) == (unit, Decimal(factor))


def test_unknown_unit_is_kept_as_printed():
    assert normalise_unit("台") == ("台", Decimal(1))
    assert normalise_unit(None) == (None, Decimal(1))


@pytest.mark.parametrize("description, unit, energy_type", [
    ("*供电*电费", "kWh", "electricity"), ("*供电*电费（峰时段）", "kWh", "electricity"),
    ("*电力*售电", "MWh", "electricity"),
    ("*供电*基本电费（容量）", "kVA", "other"), ("*供电*需量电费", "kW", "other"),
    ("*燃气*天然气", "m3", "natural_gas"), ("*燃气*管道天然气（工业）", "m3", "natural_gas"),
    ("液化天然气LNG", "t", "natural_gas"),
    ("*热力*蒸汽", "t", "steam"), ("*热力*工业蒸汽（1.0MPa）", "t", "steam"),
    ("*热力*供暖热费", "GJ", "heat"), ("热力", "GJ", "heat"),
    ("*柴油*0号柴油", "L", "diesel"), ("*成品油*柴油 0号", "L", "diesel"),
    ("*汽油*92号车用汽油", "L", "gasoline"), ("*成品油*汽油 92号", "L", "gasoline"),
    ("*煤炭*原煤", "t", "raw_coal"), ("*煤炭*动力煤（5500大卡）", "t", "raw_coal"),
    ("*液化石油气*液化石油气", "kg", "lpg"), ("液化气", "kg", "lpg"),
    ("*燃料油*船用燃料油", "t", "fuel_oil"),
    ("*水冰雪*自来水", "m3", "water"), ("*水冰雪*水费", "m3", "water"),
    ("*运输服务*煤炭运输费", "t", "other"), ("*信息技术服务*软件服务费", None, "other"),
])
def test_energy_type(description, unit, energy_type):
    assert classify(description, unit) == energy_type
    assert energy_type in ENERGY_TYPES


def test_category_repair():
    assert fix_category("*汽油592号车用汽油") == "*汽油*92号车用汽油"
    assert fix_category("*访化石油气*访化石油气") == "*液化石油气*访化石油气"
    assert fix_category("*供电*电费") == "*供电*电费"
    assert fix_category("蒸汽") == "蒸汽"


@pytest.mark.parametrize("text, value", [
    ("捌仟捌佰壹拾肆圆整", "8814.00"), ("壹拾叁万玖仟陆佰肆拾圆壹角柒分", "139640.17"),
    ("⊗贰拾玖万肆仟陆佰壹拾叁圆伍角柒分", "294613.57"), ("壹万零伍圆整", "10005.00"), ("壹拾圆零伍分", "10.05"),
    ("壹亿贰仟万圆整", "120000000.00"), ("伍角", "0.50"), ("负壹佰圆整", "-100.00"), ("拾元整", "10.00"),
])
def test_uppercase_amounts(text, value):
    assert parse_chinese_uppercase(text) == Decimal(value)


def test_uppercase_garbage_is_none():
    assert parse_chinese_uppercase("苏州恒达") is None
    assert parse_chinese_uppercase("") is None


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999999.99"), places=2))
def test_uppercase_round_trip(value):
    assert parse_chinese_uppercase(to_chinese_uppercase(value)) == value


def test_valid_tax_id_passes():
    code = with_check_character("91320594XJ5GBJJQP")
    assert check_tax_id(code).valid and check_tax_id(code).repaired_from is None


def test_old_taxpayer_numbers_are_accepted():
    assert check_tax_id("320502123456789").valid  # 15 digits, no check character


def test_ocr_confusion_is_repaired_when_unique():
    code = "91320594XJ5GBJJQP3"
    read = code.replace("0", "O")  # O is not in the code alphabet: it must be a 0 (or D/Q)
    checked = check_tax_id(read)
    assert checked.valid and checked.value == code and checked.repaired_from == read


def test_wrong_check_character_is_invalid():
    checked = check_tax_id("91320594XJ5GBJJQP4")
    assert not checked.valid and "check character" in checked.error


def test_ambiguous_repair_is_refused():
    # 8/B at position 13 and 0/Q elsewhere both give a valid code: no unique repair.
    checked = check_tax_id("91320594XJ5G8JJQP3")
    assert not checked.valid


@given(st.text(alphabet=ALPHABET, min_size=9, max_size=9), st.sampled_from(["110105", "320594", "440300"]))
def test_letter_o_for_zero_is_repaired_or_flagged(body, division):
    code = with_check_character("91" + division + body)
    read = code.replace("0", "O", 1)
    checked = check_tax_id(read)
    if read == code:
        assert checked.valid
    else:
        # Either the unique repair gives back the code, or the reading is reported invalid: never a wrong "valid".
        assert (checked.valid and checked.value == code) or not checked.valid


def test_extra_character_outside_the_alphabet_is_dropped():
    checked = check_tax_id("91320612NXNTXF1IH2N")  # OCR read H as IH
    assert checked.valid and checked.value == "91320612NXNTXF1H2N"


def test_speck_before_a_unit():
    assert normalise_unit("和干克") == ("kg", Decimal(1))
    assert normalise_unit("逢") == ("L", Decimal(1))


def test_amount_without_its_decimal_point():
    from ingestion.extraction.lines import money_value

    assert money_value("10899472") == Decimal("108994.72")
    assert money_value("了7485.40") == Decimal("7485.40")
    assert money_value("¥260,719.98") == Decimal("260719.98")
    assert money_value("108994,72") == Decimal("108994.72")


@pytest.mark.parametrize("read, value, ok", [
    ("yz94613.57", "294613.57", True),    # ¥2 read as yz
    ("ya463100.70", "1463100.70", True),  # ¥1 read as ya
    ("y6506539", "65065.39", True),       # point lost
    ("Y294613.58", "294613.57", False),   # a different digit is a different figure
    ("9461357", "294613.57", False),      # a digit missing
])
def test_ocr_figure_matching(read, value, ok):
    from ingestion.extraction.totals import matches

    assert matches(read, Decimal(value)) is ok
