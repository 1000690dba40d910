"""The inventory report (DOCX) in the structure of a GB/T 32150-2015 report:

1 reporting entity, 2 boundary, 3 emission sources, 4 activity data, 5 emission factors with
their sources (the result's factor snapshot), 6 emissions by category, 7 energy consumption
(GB/T 2589-2020) and intensity, 8 data quality, 9 verification and labels.
"""

import io
from collections import Counter

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from carbon_portal.core.regions import region_label
from inventories.models import EmissionSource, Facility
from inventories.selectors import latest_result

from ..models import Label
from ..payloads import decimal_text
from ..verification import verification_of
from .certificate import ASSURANCE_NAMES, CATEGORY_NAMES, CONCLUSION_NAMES

CJK_FONT = "Noto Sans CJK SC"
LATIN_FONT = "Noto Sans"


def _set_fonts(document) -> None:
    style = document.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = Pt(10)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        heading = document.styles[name]
        heading.font.name = LATIN_FONT
        heading.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)


def _table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = "" if value is None else str(value)


def _pairs(document, pairs: list[tuple[str, object]]) -> None:
    _table(document, ["项目 Item", "内容 Value"], [[key, value] for key, value in pairs])


def _factor_rows(result) -> list[list]:
    rows = []
    for value in result.factor_snapshot or []:
        scope = " ".join(str(part) for part in (value.get("programme"), value.get("region"), value.get("data_year"))
                         if part)
        rows.append([value.get("subject"), value.get("parameter"), value.get("value"), value.get("unit"), scope,
                     value.get("source")])
    for line in result.lines.all():
        for name, factor in (line.factors or {}).items():
            if isinstance(factor, dict) and factor.get("origin") == "line":
                rows.append([f"line {line.index + 1}", name, factor.get("value"), factor.get("unit"), "",
                             "measured / given on the activity line (实测或填报)"])
    return rows


def build_report(inventory) -> bytes:
    result = latest_result(inventory)
    if result is None:
        raise ValueError("the inventory has no calculation result")
    enterprise = inventory.enterprise
    document = DocxDocument()
    _set_fonts(document)
    title = document.add_heading(f"{enterprise.name} {inventory.year} 年度温室气体排放报告", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"Greenhouse gas emission report {inventory.year} — {enterprise.name_en or enterprise.name}"
                           " (GB/T 32150-2015)").alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("1 报告主体 Reporting entity", level=1)
    _pairs(document, [
        ("企业名称 Name", enterprise.name), ("英文名称 English name", enterprise.name_en),
        ("统一社会信用代码 Credit code", enterprise.credit_code),
        ("行业 Industry (GB/T 4754)", f"{enterprise.industry.code} {enterprise.industry.name_zh}"),
        ("行政区划 Region (GB/T 2260)", region_label(enterprise.region_code)), ("地址 Address", enterprise.address),
        ("报告期 Period", f"{inventory.period_start} — {inventory.period_end}"),
    ])

    document.add_heading("2 核算边界 Boundary", level=1)
    facilities = list(Facility.objects.filter(enterprise=enterprise).order_by("name"))
    document.add_paragraph(
        "组织边界：以法人企业为边界，核算其所有生产设施的排放；温室气体种类：CO₂（及报告的其他气体）。"
        " Organisational boundary: the legal entity and all its production facilities; gases: CO₂ as reported. "
        "排放类别：化石燃料燃烧、工业生产过程、净购入电力和热力（GB/T 32150-2015 第 6 章）。")
    _table(document, ["设施 Facility", "地址 Address"], [[f.name, f.address] for f in facilities])

    document.add_heading("3 排放源 Emission sources", level=1)
    sources = EmissionSource.objects.filter(facility__enterprise=enterprise).select_related("facility")
    _table(document, ["设施 Facility", "排放源 Source", "类别 Category", "燃料 Fuel"],
           [[s.facility.name, s.name, s.get_category_display(), s.get_fuel_display() if s.fuel else ""]
            for s in sources])

    lines = list(result.lines.select_related("activity_record__evidence").order_by("index"))
    document.add_heading("4 活动数据 Activity data", level=1)
    _table(document, ["#", "类别 Category", "说明 Description", "数量 Quantity", "单位 Unit", "来源 Origin"],
           [[line.index + 1, CATEGORY_NAMES.get(line.category, (line.category,))[0],
             line.inputs.get("description") or line.inputs.get("fuel", ""), line.inputs.get("quantity"),
             line.inputs.get("unit"),
             line.activity_record.get_origin_display() if line.activity_record else ""] for line in lines])

    document.add_heading("5 排放因子及来源 Emission factors and sources", level=1)
    document.add_paragraph(f"因子库 Factor library: {result.factor_set.code} {result.factor_set.version}；"
                           "下表为计算时锁定的因子快照 (snapshot locked at calculation).")
    _table(document, ["对象 Subject", "参数 Parameter", "数值 Value", "单位 Unit", "适用 Scope", "来源 Source"],
           _factor_rows(result))

    document.add_heading("6 排放量 Emissions", level=1)
    rows = [[f"{CATEGORY_NAMES.get(name, (name, name))[0]} {CATEGORY_NAMES.get(name, (name, name))[1]}",
             decimal_text(value)] for name, value in result.by_category.items()]
    rows.append(["合计 Total", decimal_text(result.total_tco2e)])
    _table(document, ["类别 Category", "排放量 tCO₂e"], rows)
    document.add_paragraph("计算过程 Calculation trace:")
    for line in lines:
        document.add_paragraph(f"[{line.index + 1}] {line.formula}", style="List Bullet")

    document.add_heading("7 能源消费与强度 Energy consumption and intensity", level=1)
    intensity = result.carbon_intensity
    _pairs(document, [
        ("综合能源消费量 Comprehensive energy consumption (GB/T 2589-2020)", f"{decimal_text(result.energy_tce)} tce"),
        ("工业增加值 Added value", f"{decimal_text(result.added_value_10k_yuan)} 万元 (10^4 yuan)"),
        ("能源活动 CO₂ Energy-related CO₂", f"{decimal_text(result.energy_related_tco2e)} tCO₂"),
        ("碳排放强度 Carbon intensity L", f"{decimal_text(intensity)} tCO₂/万元" if intensity is not None else "—"),
        ("单位增加值排放总量 Total emissions per added value",
         f"{decimal_text(result.total_tco2e / result.added_value_10k_yuan)} tCO₂e/万元"
         if result.added_value_10k_yuan else "—"),
    ])

    document.add_heading("8 数据质量 Data quality", level=1)
    origins = Counter(line.activity_record.get_origin_display() for line in lines if line.activity_record)
    evidence = {line.activity_record.evidence for line in lines
                if line.activity_record and line.activity_record.evidence_id}
    document.add_paragraph("活动数据来源 Origins of activity data: "
                           + ("; ".join(f"{name} × {count}" for name, count in origins.items()) or "—"))
    document.add_paragraph(f"计算时间 Calculated at {result.calculated_at:%Y-%m-%d %H:%M} by {result.calculated_by}; "
                           "每个数值可追溯至活动数据、证据文件（SHA-256）与因子快照。 Every figure traces back to its "
                           "activity record, evidence file (SHA-256) and factor snapshot.")
    if evidence:
        _table(document, ["证据 Evidence", "SHA-256"], [[item.original_name, item.sha256] for item in evidence])

    document.add_heading("9 核查情况 Verification", level=1)
    verification = verification_of(inventory)
    labels = list(Label.objects.filter(inventory=inventory, is_current=True).select_related("verifier_body"))
    body = verification.verifier_body or (labels[0].verifier_body if labels else None)
    _pairs(document, [
        ("核查机构 Verifier body", f"{body.name} ({body.accreditation_number})" if body else "—"),
        ("保证等级 Level of assurance", ASSURANCE_NAMES.get(verification.assurance_level, "—")),
        ("实质性 Materiality", verification.materiality or "—"),
        ("核查结论 Conclusion", CONCLUSION_NAMES.get(verification.conclusion, "—")),
        ("核查意见 Opinion", verification.opinion_text or "—"),
        ("状态 Status", inventory.get_status_display()),
    ])
    for label in labels:
        figures = label.figures
        summary = (f"{figures.get('rating_zh')} (K = {figures.get('efficiency_value_k')})"
                   if label.kind == Label.Kind.ENTERPRISE else
                   f"{figures.get('footprint_per_unit_tco2e')} tCO₂e/{figures.get('declared_unit')}")
        document.add_paragraph(f"{label.get_kind_display()} {label.identifier}: {summary}", style="List Bullet")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

