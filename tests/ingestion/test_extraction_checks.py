"""The arithmetic cross-checks, tax-id warnings and confidence, on synthetic pages.

Pages are built from positioned words (what the PDF text layer or OCR yields), so each
check can be broken on purpose without rendering anything.
"""

import pytest

from carbon_portal.accounts.uscc import with_check_character
from ingestion.extraction import ExtractionError, parse_pages
from ingestion.extraction.layout import PageText, Word, group_lines

BUYER_ID = with_check_character("91320594XJ5GBJJQP")
SELLER_ID = with_check_character("91320500LF53WR7MX")


def page(rows: list[list[tuple[float, str]]], method: str = "text") -> PageText:
    """Each row is a list of (x, text) cells, rows 20 points apart, characters 9 points tall."""
    words = []
    for index, row in enumerate(rows):
        top = 20.0 + index * 20
        for x, text in row:
            words.append(Word(text, x, x + 9 * len(text) * 0.6, top, top + 9))
    return PageText(group_lines(words), 680, 425, method, 90.0)


def invoice(lines=None, *, total=("¥1000.00", "¥130.00"), with_tax="¥1130.00", upper="壹仟壹佰叁拾圆整",
            buyer_id=BUYER_ID, seller_id=SELLER_ID, method="text") -> PageText:
    lines = lines or [["*供电*电费", "度", "2000", "0.5", "1000.00", "13%", "130.00"]]
    rows = [
        [(230, "电子发票（增值税专用发票）"), (516, "发票号码：25322000000041827365")],
        [(516, "开票日期：2025年01月31日")],
        [(48, "名称：苏州恒达精密制造有限公司"), (372, "名称：国网江苏省电力有限公司苏州供电分公司")],
        [(48, f"统一社会信用代码/纳税人识别号：{buyer_id}"), (372, f"统一社会信用代码/纳税人识别号：{seller_id}")],
        [(89, "项目名称"), (204, "规格型号"), (261, "单位"), (315, "数量"), (382, "单价"), (456, "金额"), (516, "税率/征收率"),
         (603, "税额")],
    ]
    xs = (25, 261, 325, 391, 460, 526, 618)
    for cells in lines:
        rows.append([(x, text) for x, text in zip(xs, cells) if text])
    rows.append([(89, "合"), (116, "计"), (455, total[0]), (613, total[1])])
    rows.append([(61, "价税合计（大写）"), (178, f"⊗{upper}"), (470, f"（小写）{with_tax}")])
    return page(rows, method)


def codes(result) -> list[str]:
    return [warning.split(":", 1)[0] for warning in result.warnings]


def test_consistent_invoice_has_no_warning():
    result = parse_pages([invoice()])
    assert result.warnings == []
    assert result.confidence == 1.0
    data = result.as_dict()
    assert data["lines"] == [{"description": "*供电*电费", "energy_type": "electricity", "quantity": "2000",
                              "unit": "kWh", "unit_price": "0.5", "amount": "1000.00", "tax_rate": "0.13",
                              "tax": "130.00"}]
    assert (data["total_amount"], data["total_tax"], data["total_with_tax"]) == ("1000.00", "130.00", "1130.00")
    assert data["buyer_name"] == "苏州恒达精密制造有限公司" and data["seller_tax_id"] == SELLER_ID


def test_unit_price_with_many_decimals_is_within_tolerance():
    # 1000.00 / 2999 = 0.33344448...: the printed price is rounded, the amount is right.
    result = parse_pages([invoice([["*供电*电费", "度", "2999", "0.33344448", "1000.00", "13%", "130.00"]])])
    assert "line_amount" not in codes(result)


@pytest.mark.parametrize("kwargs, code", [
    ({"lines": [["*供电*电费", "度", "2000", "0.5", "1001.00", "13%", "130.13"]],
      "total": ("¥1001.00", "¥130.13"), "with_tax": "¥1131.13", "upper": "壹仟壹佰叁拾壹圆壹角叁分"}, "line_amount"),
    ({"lines": [["*供电*电费", "度", "2000", "0.5", "1000.00", "13%", "131.00"]],
      "total": ("¥1000.00", "¥131.00"), "with_tax": "¥1131.00", "upper": "壹仟壹佰叁拾壹圆整"}, "line_tax"),
    ({"total": ("¥1100.00", "¥130.00"), "with_tax": "¥1230.00", "upper": "壹仟贰佰叁拾圆整"}, "total_amount"),
    ({"total": ("¥1000.00", "¥140.00"), "with_tax": "¥1140.00", "upper": "壹仟壹佰肆拾圆整"}, "total_tax"),
    ({"with_tax": "¥1140.00", "upper": "壹仟壹佰肆拾圆整"}, "total_with_tax"),
    ({"upper": "壹仟壹佰肆拾圆整"}, "uppercase_total"),
])
def test_each_cross_check_warns_and_lowers_confidence(kwargs, code):
    result = parse_pages([invoice(**kwargs)])
    assert codes(result) == [code], result.warnings
    assert result.confidence < 1.0


def test_more_failures_mean_lower_confidence():
    one = parse_pages([invoice(upper="壹仟壹佰肆拾圆整")])
    two = parse_pages([invoice(with_tax="¥1140.00", upper="壹仟壹佰伍拾圆整")])
    assert two.confidence < one.confidence < 1.0


def test_invalid_tax_id_warns():
    bad = BUYER_ID[:-1] + ("1" if BUYER_ID[-1] != "1" else "2")
    result = parse_pages([invoice(buyer_id=bad)])
    assert codes(result) == ["tax_id_invalid"]
    assert result.buyer_tax_id == bad
    assert result.confidence < 1.0


def test_ocr_confusion_in_tax_id_is_repaired():
    read = SELLER_ID.replace("0", "O")
    result = parse_pages([invoice(seller_id=read)])
    assert result.seller_tax_id == SELLER_ID
    assert codes(result) == ["tax_id_repaired"]


def test_missing_totals_are_derived_with_a_warning():
    rows = invoice()
    rows.lines = [line for line in rows.lines if "合" not in line.text[:2]]
    result = parse_pages([rows])
    assert result.total_amount is not None and "derived" in codes(result)


def test_tax_exempt_line():
    result = parse_pages([invoice([["*水冰雪*自来水", "立方米", "100", "10", "1000.00", "免税", "***"]],
                                  total=("¥1000.00", "***"), with_tax="¥1000.00", upper="壹仟圆整")])
    line = result.lines[0]
    assert (line.energy_type, line.unit, str(line.tax_rate), str(line.tax)) == ("water", "m3", "0", "0")
    assert result.warnings == []


def test_wrapped_description_continues_on_the_next_line():
    page_text = invoice([["*燃气*天然气（工业", "立方米", "100", "10", "1000.00", "13%", "130.00"], ["用气）"]])
    result = parse_pages([page_text])
    assert result.lines[0].description == "*燃气*天然气（工业用气）"
    assert len(result.lines) == 1


def test_ocr_method_and_confidence_capped():
    result = parse_pages([invoice(method="ocr")])
    assert result.method == "ocr" and result.confidence <= 0.95


def test_letter_is_not_an_invoice():
    letter = page([[(50, "尊敬的客户：")], [(50, "感谢您一直以来对我公司的支持。")]])
    with pytest.raises(ExtractionError) as error:
        parse_pages([letter])
    assert error.value.code == "not_an_invoice"
