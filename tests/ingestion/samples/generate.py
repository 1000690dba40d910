"""Generate the invoice sample set and its ground truth (deterministic, seeded).

    .venv/bin/python tests/ingestion/samples/generate.py

Writes into this folder:

* ``text_*.pdf``   invoices rendered from HTML with WeasyPrint (embedded Noto CJK subset,
                   so the PDF has a real text layer);
* ``cid_*.pdf``    an invoice drawn with reportlab's non-embedded CID font STSong-Light,
                   whose text layer comes out as ``(cid:NNN)`` and must be OCR'd;
* ``image_*.pdf``  image-only PDFs (a rendered page put back into a PDF as a picture);
* ``scan_*.png|jpg|tif`` photos/scans made from rendered pages: rotation, skew, noise,
                   blur, JPEG artefacts, low resolution;
* ``letter.pdf``   a PDF that is not an invoice;
* ``<sample>.json`` the exact expected docs/interfaces.md §3 fields of each sample (without
                   ``confidence``) and ``manifest.json`` listing every sample with its kind.

Needs (generation only, the tests read the committed files): WeasyPrint, pypdfium2,
Pillow, numpy, reportlab (for the CID sample).
"""

from __future__ import annotations

import io
import json
import random
import sys
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from carbon_portal.accounts.uscc import with_check_character
from ingestion.extraction.amounts import to_chinese_uppercase

SEED = 20250131
CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Line:
    description: str
    printed_unit: str
    quantity: str
    unit_price: str
    tax_rate: str  # "13%"
    energy_type: str
    unit: str  # normalised
    spec: str = ""

    @property
    def amount(self) -> Decimal:
        return money(Decimal(self.quantity) * Decimal(self.unit_price))

    @property
    def rate(self) -> Decimal:
        return Decimal(self.tax_rate.rstrip("%")) / 100

    @property
    def tax(self) -> Decimal:
        return money(self.amount * self.rate)


@dataclass
class Invoice:
    key: str
    layout: str  # "digital" (数电票) or "special" (增值税专用发票)
    title: str
    number: str
    date: tuple[int, int, int]
    seller: tuple[str, str]
    buyer: tuple[str, str]
    lines: list[Line]
    code: str | None = None
    remark: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def total_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def total_tax(self) -> Decimal:
        return sum((line.tax for line in self.lines), Decimal(0))

    @property
    def total_with_tax(self) -> Decimal:
        return self.total_amount + self.total_tax

    def truth(self, method: str) -> dict:
        result = {"invoice_number": self.number}
        if self.code:
            result["invoice_code"] = self.code
        result.update({
            "issue_date": "{:04d}-{:02d}-{:02d}".format(*self.date),
            "seller_name": self.seller[0], "seller_tax_id": self.seller[1],
            "buyer_name": self.buyer[0], "buyer_tax_id": self.buyer[1],
            "lines": [{
                "description": line.description, "energy_type": line.energy_type,
                "quantity": line.quantity, "unit": line.unit, "unit_price": line.unit_price,
                "amount": str(line.amount), "tax_rate": str(line.rate.normalize()), "tax": str(line.tax),
            } for line in self.lines],
            "total_amount": str(self.total_amount), "total_tax": str(self.total_tax),
            "total_with_tax": str(self.total_with_tax),
            "method": method, "warnings": [],
        })
        return result


def uscc(rng: random.Random, division: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice(alphabet) for _ in range(9))
    return with_check_character("91" + division + body)


def invoices() -> list[Invoice]:
    rng = random.Random(SEED)
    buyer_a = ("苏州恒达精密制造有限公司", uscc(rng, "320594"))
    buyer_b = ("无锡华澄新材料科技有限公司", uscc(rng, "320214"))
    buyer_c = ("南通瑞丰纺织印染有限公司", uscc(rng, "320612"))
    return [
        Invoice(
            key="electricity_digital", layout="digital", title="电子发票（增值税专用发票）",
            number="25322000000041827365", date=(2025, 1, 31),
            seller=("国网江苏省电力有限公司苏州供电分公司", uscc(rng, "320500")), buyer=buyer_a,
            lines=[
                Line("*供电*电费（峰时段）", "度", "126400", "0.8623", "13%", "electricity", "kWh"),
                Line("*供电*电费（平时段）", "千瓦时", "98250", "0.5174", "13%", "electricity", "kWh"),
                Line("*供电*电费（谷时段）", "kWh", "143760", "0.2587", "13%", "electricity", "kWh"),
                Line("*供电*基本电费（容量）", "千伏安", "2500", "25.48", "13%", "other", "kVA"),
            ],
            remark="户号：3200812345 抄表周期：2025-01-01至2025-01-31",
        ),
        Invoice(
            key="natural_gas_special", layout="special", title="江苏增值税专用发票",
            code="3200243130", number="07391254", date=(2025, 2, 28),
            seller=("苏州港华燃气有限公司", uscc(rng, "320508")), buyer=buyer_a,
            lines=[
                Line("*燃气*天然气（工业用气）", "立方米", "41250", "3.1835", "9%", "natural_gas", "m3"),
                Line("*燃气*天然气（锅炉用气）", "方", "18600", "3.0642", "9%", "natural_gas", "m3"),
            ],
            extra={"address_seller": "苏州市姑苏区人民路2288号 0512-65223344",
                   "bank_seller": "中国银行苏州分行 4657 5823 1209 3381",
                   "address_buyer": "苏州工业园区星湖街328号 0512-62345678",
                   "bank_buyer": "中国工商银行苏州园区支行 1102 0205 0900 0123 456"},
        ),
        Invoice(
            key="heat_steam_digital", layout="digital", title="电子发票（增值税专用发票）",
            number="25322000000052918437", date=(2025, 3, 15),
            seller=("南通天生港热电有限公司", uscc(rng, "320611")), buyer=buyer_c,
            lines=[
                Line("*热力*工业蒸汽（1.0MPa）", "吨", "3260.5", "218.35", "9%", "steam", "t"),
                Line("*热力*供暖热费", "吉焦", "1875.2", "56.8", "9%", "heat", "GJ"),
            ],
        ),
        Invoice(
            key="diesel_digital", layout="digital", title="电子发票（增值税专用发票）",
            number="25442000000013372409", date=(2025, 4, 8),
            seller=("中国石化销售股份有限公司江苏无锡石油分公司", uscc(rng, "320200")), buyer=buyer_b,
            lines=[
                Line("*柴油*0号柴油（车用）", "升", "8450", "6.8142", "13%", "diesel", "L"),
            ],
        ),
        Invoice(
            key="coal_special", layout="special", title="江苏增值税专用发票",
            code="032002400411", number="58204716", date=(2024, 12, 20),
            seller=("徐州华润煤炭物流有限公司", uscc(rng, "320300")), buyer=buyer_b,
            lines=[
                Line("*煤炭*动力煤（5500大卡）", "吨", "1250.36", "845.5", "13%", "raw_coal", "t"),
                Line("*煤炭*原煤", "吨", "300", "792", "13%", "raw_coal", "t"),
            ],
            extra={"address_seller": "徐州市鼓楼区中山北路56号 0516-83456789",
                   "bank_seller": "中国建设银行徐州分行 3205 0163 8801 0000 0567",
                   "address_buyer": "无锡市滨湖区蠡湖大道1800号 0510-85112233",
                   "bank_buyer": "中国农业银行无锡分行 1063 0101 0400 1234 5"},
        ),
        Invoice(
            key="fuel_cid", layout="cid", title="电子发票（增值税专用发票）",
            number="25322000000063345102", date=(2025, 5, 6),
            seller=("江苏中油能源销售有限公司", uscc(rng, "320100")), buyer=buyer_c,
            lines=[
                Line("*汽油*92号车用汽油", "升", "5200", "7.0354", "13%", "gasoline", "L"),
                Line("*液化石油气*液化石油气", "千克", "1800", "6.25", "13%", "lpg", "kg"),
            ],
        ),
    ]


# --------------------------------------------------------------------------- HTML layouts

CSS = """
@page { size: %(w)smm %(h)smm; margin: 6mm 7mm; }
body { font-family: 'Noto Sans CJK SC'; font-size: 9pt; color: #1a1a1a; margin: 0; }
.title { text-align: center; font-size: 16pt; color: #8a2b1a; letter-spacing: 1pt; margin-top: 2mm; }
.head { position: relative; height: 17mm; }
.meta { position: absolute; right: 0; top: 0; font-size: 9pt; line-height: 1.6; }
.metaleft { position: absolute; left: 0; top: 0; font-size: 9pt; line-height: 1.6; }
table { border-collapse: collapse; width: 100%%; }
td, th { border: 0.6pt solid #8a2b1a; padding: 1.2mm 1.5mm; vertical-align: middle; font-weight: normal; }
.party td { height: 16mm; }
.side { width: 5mm; text-align: center; line-height: 1.3; color: #8a2b1a; }
.items th { color: #8a2b1a; text-align: center; }
.items td { border-top: none; border-bottom: none; }
.items tr.sum td { border-top: 0.6pt solid #8a2b1a; }
.num { text-align: right; }
.ctr { text-align: center; }
.foot { margin-top: 2mm; font-size: 9pt; }
.lbl { color: #8a2b1a; }
"""


def _fmt_date(date: tuple[int, int, int]) -> str:
    return "{:04d}年{:02d}月{:02d}日".format(*date)


def _items_rows(inv: Invoice) -> str:
    rows = []
    for line in inv.lines:
        rows.append(
            f"<tr><td>{line.description}</td><td>{line.spec}</td><td class=ctr>{line.printed_unit}</td>"
            f"<td class=num>{line.quantity}</td><td class=num>{line.unit_price}</td>"
            f"<td class=num>{line.amount}</td><td class=ctr>{line.tax_rate}</td><td class=num>{line.tax}</td></tr>")
    for _ in range(max(0, 4 - len(inv.lines))):
        rows.append("<tr>" + "<td>&nbsp;</td>" * 8 + "</tr>")
    return "".join(rows)


def html_digital(inv: Invoice) -> str:
    upper = to_chinese_uppercase(inv.total_with_tax)
    side = lambda text: "<br>".join(text)
    return f"""<html><head><style>{CSS % {'w': 240, 'h': 150}}</style></head><body>
<div class=head>
  <div class=title>{inv.title}</div>
  <div class=meta><span class=lbl>发票号码：</span>{inv.number}<br><span class=lbl>开票日期：</span>{_fmt_date(inv.date)}</div>
</div>
<table class=party><tr>
  <td class=side>{side('购买方信息')}</td>
  <td style="width:47%"><span class=lbl>名称：</span>{inv.buyer[0]}<br><br>
      <span class=lbl>统一社会信用代码/纳税人识别号：</span>{inv.buyer[1]}</td>
  <td class=side>{side('销售方信息')}</td>
  <td><span class=lbl>名称：</span>{inv.seller[0]}<br><br>
      <span class=lbl>统一社会信用代码/纳税人识别号：</span>{inv.seller[1]}</td>
</tr></table>
<table class=items>
<tr><th style="width:27%">项目名称</th><th style="width:9%">规格型号</th><th style="width:6%">单位</th>
<th style="width:11%">数量</th><th style="width:10%">单价</th><th style="width:13%">金额</th>
<th style="width:9%">税率/征收率</th><th>税额</th></tr>
{_items_rows(inv)}
<tr class=sum><td class=ctr>合　　计</td><td></td><td></td><td></td><td></td>
<td class=num>¥{inv.total_amount}</td><td></td><td class=num>¥{inv.total_tax}</td></tr>
</table>
<table><tr><td style="width:24%" class=ctr><span class=lbl>价税合计（大写）</span></td>
<td>⊗{upper}</td><td style="width:30%"><span class=lbl>（小写）</span>¥{inv.total_with_tax}</td></tr>
<tr><td class=ctr style="height:10mm"><span class=lbl>备注</span></td><td colspan=2>{inv.remark}</td></tr></table>
<div class=foot><span class=lbl>开票人：</span>王丽</div>
</body></html>"""


def html_special(inv: Invoice) -> str:
    upper = to_chinese_uppercase(inv.total_with_tax)
    side = lambda text: "<br>".join(text)
    cipher_rng = random.Random(inv.number)
    cipher = "<br>".join("".join(cipher_rng.choice("0123456789+-*/<>") for _ in range(28)) for _ in range(4))
    x = inv.extra
    return f"""<html><head><style>{CSS % {'w': 240, 'h': 150}}
.cipher {{ font-family: 'Noto Sans Mono CJK SC'; font-size: 8pt; line-height: 1.25; }}
</style></head><body>
<div class=head>
  <div class=metaleft><span class=lbl>发票代码：</span>{inv.code}<br><span class=lbl>发票号码：</span>{inv.number}</div>
  <div class=title>{inv.title}</div>
  <div class=meta>No {inv.number}<br><span class=lbl>开票日期：</span>{_fmt_date(inv.date)}</div>
</div>
<table class=party><tr>
  <td class=side>{side('购买方')}</td>
  <td style="width:58%"><span class=lbl>名　　称：</span>{inv.buyer[0]}<br>
  <span class=lbl>纳税人识别号：</span>{inv.buyer[1]}<br>
  <span class=lbl>地 址、电 话：</span>{x['address_buyer']}<br>
  <span class=lbl>开户行及账号：</span>{x['bank_buyer']}</td>
  <td class=side>{side('密码区')}</td><td class=cipher>{cipher}</td>
</tr></table>
<table class=items>
<tr><th style="width:27%">货物或应税劳务、服务名称</th><th style="width:9%">规格型号</th><th style="width:6%">单位</th>
<th style="width:11%">数 量</th><th style="width:10%">单 价</th><th style="width:13%">金 额</th>
<th style="width:7%">税率</th><th>税 额</th></tr>
{_items_rows(inv)}
<tr class=sum><td class=ctr>合　　计</td><td></td><td></td><td></td><td></td>
<td class=num>¥{inv.total_amount}</td><td></td><td class=num>¥{inv.total_tax}</td></tr>
</table>
<table><tr><td style="width:24%" class=ctr><span class=lbl>价税合计（大写）</span></td>
<td>⊗{upper}</td><td style="width:30%"><span class=lbl>（小写）</span>¥{inv.total_with_tax}</td></tr></table>
<table class=party><tr>
  <td class=side>{side('销售方')}</td>
  <td style="width:58%"><span class=lbl>名　　称：</span>{inv.seller[0]}<br>
  <span class=lbl>纳税人识别号：</span>{inv.seller[1]}<br>
  <span class=lbl>地 址、电 话：</span>{x['address_seller']}<br>
  <span class=lbl>开户行及账号：</span>{x['bank_seller']}</td>
  <td class=side>{side('备注')}</td><td>{inv.remark}</td>
</tr></table>
<div class=foot><span class=lbl>收款人：</span>李娜　　<span class=lbl>复核：</span>赵强　　
<span class=lbl>开票人：</span>王丽　　<span class=lbl>销售方：（章）</span></div>
</body></html>"""


LETTER = """<html><head><style>@page { size: A4; margin: 25mm; }
body { font-family: 'Noto Serif CJK SC'; font-size: 12pt; line-height: 1.8; }</style></head><body>
<p>尊敬的客户：</p>
<p>感谢您一直以来对我公司的支持。根据国家发展改革委关于进一步深化燃煤发电上网电价市场化改革的通知，
自2025年1月1日起，我公司将调整工商业用户的分时电价时段划分。峰时段为每日8:00至11:00、17:00至22:00，
谷时段为0:00至8:00。请贵单位合理安排生产，降低用能成本。</p>
<p>如有疑问，请致电95598。</p>
<p style="text-align:right">国网江苏省电力有限公司苏州供电分公司<br>2024年12月20日</p>
</body></html>"""


def render_html(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


# --------------------------------------------------------------------------- reportlab (CID font)

def render_cid(inv: Invoice) -> bytes:
    try:
        from reportlab.lib.pagesizes import landscape
        from reportlab.lib.units import mm
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas
    except ImportError:  # pragma: no cover - generation only
        sys.exit("reportlab is needed to generate the CID-font sample: pip install reportlab==5.1.0")
    from reportlab.pdfbase import _cidfontdata

    # Declare the non-embedded font's character collection as Adobe-Identity (as some invoice
    # generators do): viewers still draw it (the UniGB-UCS2-H CMap names the glyphs), but a text
    # extractor has no CID -> Unicode table for it and yields "(cid:NNN)". With the honest
    # Adobe-GB1 ordering, current pdfminer.six decodes STSong-Light correctly.
    descendant = _cidfontdata.CIDFontInfo["STSong-Light"]["DescendantFonts"][0]
    descendant["CIDSystemInfo"]["Ordering"] = "(Identity)"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    width, height = landscape((150 * mm, 240 * mm))
    c = canvas.Canvas(buf, pagesize=(width, height), invariant=1)
    font = "STSong-Light"
    red = (0.54, 0.17, 0.1)

    def text(x, y, s, size=10, color=(0.1, 0.1, 0.1), align="left"):
        c.setFillColorRGB(*color)
        c.setFont(font, size)
        if align == "right":
            c.drawRightString(x * mm, y * mm, s)
        elif align == "center":
            c.drawCentredString(x * mm, y * mm, s)
        else:
            c.drawString(x * mm, y * mm, s)

    c.setStrokeColorRGB(*red)
    c.setLineWidth(0.6)
    text(120, 138, inv.title, 16, red, "center")
    text(160, 140, "发票号码：", 10, red)
    text(180, 140, inv.number)
    text(160, 134, "开票日期：", 10, red)
    text(180, 134, _fmt_date(inv.date))
    # parties
    c.rect(7 * mm, 104 * mm, 226 * mm, 24 * mm)
    c.line(120 * mm, 104 * mm, 120 * mm, 128 * mm)
    text(9, 120, "购买方  名称：", 10, red)
    text(35, 120, inv.buyer[0])
    text(9, 110, "统一社会信用代码/纳税人识别号：", 9, red)
    text(62, 110, inv.buyer[1])
    text(122, 120, "销售方  名称：", 10, red)
    text(148, 120, inv.seller[0])
    text(122, 110, "统一社会信用代码/纳税人识别号：", 9, red)
    text(175, 110, inv.seller[1])
    # items
    cols = [9, 70, 88, 100, 122, 144, 172, 196]
    heads = ["项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率/征收率", "税额"]
    c.rect(7 * mm, 52 * mm, 226 * mm, 52 * mm)
    for x, h in zip(cols, heads):
        text(x, 98, h, 10, red)
    y = 88
    for line in inv.lines:
        text(9, y, line.description)
        text(88, y, line.printed_unit)
        text(118, y, line.quantity, align="right")
        text(140, y, line.unit_price, align="right")
        text(166, y, str(line.amount), align="right")
        text(176, y, line.tax_rate)
        text(228, y, str(line.tax), align="right")
        y -= 9
    text(9, 56, "合计", 10, red)
    text(166, 56, f"¥{inv.total_amount}", align="right")
    text(228, 56, f"¥{inv.total_tax}", align="right")
    c.rect(7 * mm, 40 * mm, 226 * mm, 12 * mm)
    text(9, 44.5, "价税合计（大写）", 10, red)
    text(50, 44.5, "⊗" + to_chinese_uppercase(inv.total_with_tax))
    text(160, 44.5, "（小写）", 10, red)
    text(178, 44.5, f"¥{inv.total_with_tax}")
    text(9, 30, "开票人：", 10, red)
    text(25, 30, "王丽")
    c.showPage()
    c.save()
    return buf.getvalue()


# --------------------------------------------------------------------------- images and scans

def render_page(pdf: bytes, dpi: int) -> Image.Image:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()


def image_pdf(page: Image.Image, dpi: int) -> bytes:
    buf = io.BytesIO()
    fixed = time.gmtime(1735689600)  # 2025-01-01, not "now": reproducible bytes
    page.save(buf, "PDF", resolution=dpi, quality=80, creationDate=fixed, modDate=fixed)
    return buf.getvalue()


def degrade(page: Image.Image, rng: np.random.Generator, *, rotate: int = 0, skew: float = 0.0,
            noise: float = 0.0, blur: float = 0.0, scale: float = 1.0, shade: bool = False) -> Image.Image:
    img = page.convert("L")
    if scale != 1.0:
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)
    if shade:  # uneven lighting of a photo
        h, w = img.height, img.width
        grad = np.linspace(1.0, 0.78, w)[None, :] * np.linspace(0.95, 1.0, h)[:, None]
        img = Image.fromarray(np.clip(np.asarray(img, dtype=np.float32) * grad, 0, 255).astype(np.uint8))
    if skew:
        img = img.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=235)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        arr = np.asarray(img, dtype=np.float32)
        arr = arr + rng.normal(0, noise, arr.shape)
        speckle = rng.random(arr.shape) < 0.002
        arr[speckle] = 0
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if rotate:
        img = img.rotate(rotate, expand=True)
    return img


SCANS = [
    # name, invoice key, dpi, degrade kwargs, format, save kwargs
    ("scan_heat_steam_rot90.png", "heat_steam_digital", 200, {"rotate": 90, "noise": 0, "blur": 0.4}, "PNG", {"optimize": True}),
    ("scan_coal_skew.jpg", "coal_special", 200, {"skew": 2.5, "noise": 10, "blur": 0.6}, "JPEG", {"quality": 55}),
    ("scan_diesel_lowres.tif", "diesel_digital", 150, {"blur": 0.5}, "TIFF", {"compression": "tiff_deflate"}),
    ("scan_gas_rot180.jpg", "natural_gas_special", 200,
     {"rotate": 180, "skew": -1.5, "noise": 8, "blur": 0.7}, "JPEG", {"quality": 60}),
    ("scan_electricity_photo.jpg", "electricity_digital", 300,
     {"scale": 0.55, "skew": 1.2, "shade": True, "noise": 5}, "JPEG", {"quality": 45}),
]

IMAGE_PDFS = [
    ("image_electricity.pdf", "electricity_digital", 200),
    ("image_coal.pdf", "coal_special", 200),
]


def main() -> None:
    rng = np.random.default_rng(SEED)
    manifest = []
    pdfs: dict[str, bytes] = {}
    by_key = {}
    for inv in invoices():
        by_key[inv.key] = inv
        if inv.layout == "cid":
            pdfs[inv.key] = render_cid(inv)
            name, kind, method = f"cid_{inv.key}.pdf", "cid", "ocr"
        else:
            html = html_digital(inv) if inv.layout == "digital" else html_special(inv)
            pdfs[inv.key] = render_html(html)
            name, kind, method = f"text_{inv.key}.pdf", "text", "text"
        (HERE / name).write_bytes(pdfs[inv.key])
        (HERE / (name.rsplit(".", 1)[0] + ".json")).write_text(
            json.dumps(inv.truth(method), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        manifest.append({"file": name, "kind": kind, "invoice": inv.key})
    for name, key, dpi in IMAGE_PDFS:
        (HERE / name).write_bytes(image_pdf(render_page(pdfs[key], dpi), dpi))
        (HERE / (name.rsplit(".", 1)[0] + ".json")).write_text(
            json.dumps(by_key[key].truth("ocr"), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        manifest.append({"file": name, "kind": "image_pdf", "invoice": key})
    for name, key, dpi, kwargs, fmt, save in SCANS:
        img = degrade(render_page(pdfs[key], dpi), rng, **kwargs)
        img.save(HERE / name, fmt, dpi=(dpi * kwargs.get("scale", 1), dpi * kwargs.get("scale", 1)), **save)
        (HERE / (name.rsplit(".", 1)[0] + ".json")).write_text(
            json.dumps(by_key[key].truth("ocr"), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        manifest.append({"file": name, "kind": "scan", "invoice": key})
    (HERE / "letter.pdf").write_bytes(render_html(LETTER))
    (HERE / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for entry in manifest:
        print(f"{entry['kind']:10} {entry['file']:36} {(HERE / entry['file']).stat().st_size // 1024:6d} KiB")


if __name__ == "__main__":
    main()
