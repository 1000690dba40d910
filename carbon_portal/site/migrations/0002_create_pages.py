"""Replace Wagtail's welcome page with the portal's home, methodology and help pages."""

from django.db import migrations

HOME_INTRO_ZH = (
    "<p>碳效通是面向工业企业的温室气体核算、核查与碳标签平台：按 GB/T 32150 收集活动数据并计算排放，"
    "经企业内部复核与第三方核查后，签发可验证的企业碳效标签与产品碳标签。</p>"
)
HOME_INTRO_EN = (
    "<p>Carbon Portal carries industrial enterprises from activity data to verified greenhouse-gas "
    "inventories (GB/T 32150), carbon-efficiency grades and signed product carbon labels that anyone can check.</p>"
)
METHODOLOGY_ZH = (
    "<h2>核算方法</h2><p>排放总量 E = 燃料燃烧 + 工业过程 + 外购电力 + 外购热力 − 输出电力 − 输出热力。</p>"
    "<p>燃料燃烧：活动数据 AD = 消耗量 × 低位发热量；排放因子 EF = 单位热值含碳量 × 碳氧化率 × 44/12；E = AD × EF。</p>"
    "<p>外购电力：E = 电量 (MWh) × 电网排放因子 (tCO2/MWh)，默认采用生态环境部、国家统计局公布的全国平均因子。"
    "外购热力：E = 热量 (GJ) × 0.11 tCO2/GJ。</p>"
    "<h2>综合能耗</h2><p>按 GB/T 2589-2020 折算标准煤：电力当量值 0.1229 kgce/kWh，热力 0.03412 kgce/MJ。</p>"
    "<h2>碳效评价</h2><p>碳排放强度 L = 能源相关 CO2 ÷ 工业增加值 (tCO2/万元)；碳效值 K = L ÷ 行业平均；"
    "K ≤ 0.6 为 1 级，≤ 0.8 为 2 级，≤ 1.2 为 3 级，≤ 2.0 为 4 级，其余为 5 级。</p>"
    "<p>所有因子均带来源与有效期，计算结果保存所用因子的快照，因子库更新不会改变历史结果。</p>"
)
METHODOLOGY_EN = (
    "<h2>Accounting</h2><p>Total E = fuel combustion + process + purchased electricity + purchased heat "
    "− exported electricity − exported heat.</p>"
    "<p>Fuel combustion: AD = fuel consumed × net calorific value; EF = carbon content × oxidation rate × 44/12; "
    "E = AD × EF.</p><p>Purchased electricity: E = MWh × grid factor (tCO2/MWh), by default the national average "
    "published by the Ministry of Ecology and Environment and the National Bureau of Statistics. Purchased heat: "
    "E = GJ × 0.11 tCO2/GJ.</p>"
    "<h2>Energy</h2><p>Comprehensive energy consumption in tonnes of standard coal per GB/T 2589-2020: "
    "electricity 0.1229 kgce/kWh, heat 0.03412 kgce/MJ.</p>"
    "<h2>Carbon efficiency</h2><p>Intensity L = energy-related CO2 ÷ industrial added value (tCO2 per 10^4 yuan); "
    "K = L ÷ industry average; grade 1 for K ≤ 0.6, 2 for ≤ 0.8, 3 for ≤ 1.2, 4 for ≤ 2.0, otherwise 5.</p>"
    "<p>Every factor carries its source and validity; a result keeps a snapshot of the factors it used, so a "
    "later edition of the library never changes it.</p>"
)
HELP_ZH = (
    "<h2>快速开始</h2><ol><li>碳管理员登录后登记厂区、排放源与计量表。</li>"
    "<li>新建年度盘查，上传能源发票（自动识别后人工确认）、导入计量数据或手工录入活动数据。</li>"
    "<li>运行计算，查看每一行结果的计算过程与因子来源。</li>"
    "<li>提交内部复核，再由第三方核查机构核查；按核查发现更正数据。</li>"
    "<li>核查通过后签发碳效标签，购买方可通过标识或二维码查验。</li></ol>"
)
HELP_EN = (
    "<h2>Getting started</h2><ol><li>The carbon officer registers facilities, emission sources and meters.</li>"
    "<li>Open a yearly inventory and collect activity data: upload energy invoices (read automatically, then "
    "confirmed), import meter data, or enter it by hand.</li>"
    "<li>Calculate, and open any result line to see its formula and the sources of its factors.</li>"
    "<li>Submit for internal review, then third-party verification; answer the verifier's findings.</li>"
    "<li>Once verified, the portal issues a signed carbon-efficiency label that buyers check by identifier or "
    "QR code.</li></ol>"
)

PAGES = [
    ("methodology", "核算方法", "Methodology", "methodology", METHODOLOGY_ZH, METHODOLOGY_EN),
    ("help", "帮助", "Help", "help", HELP_ZH, HELP_EN),
]


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("portal_site.HomePage")
    ContentPage = apps.get_model("portal_site.ContentPage")

    Page.objects.filter(depth=2, slug="home").delete()
    locale = Locale.objects.first() or Locale.objects.create(language_code="zh-hans")
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="portal_site")
    content_type, _ = ContentType.objects.get_or_create(model="contentpage", app_label="portal_site")

    home = HomePage.objects.create(
        title="碳效通 Carbon Portal", draft_title="碳效通 Carbon Portal", slug="home", content_type=home_type,
        path="00010001", depth=2, numchild=len(PAGES), url_path="/home/", locale=locale,
        intro=HOME_INTRO_ZH, intro_en=HOME_INTRO_EN,
    )
    for position, (slug, title, title_en, kind, body, body_en) in enumerate(PAGES, start=1):
        ContentPage.objects.create(
            title=title, draft_title=title, slug=slug, content_type=content_type,
            path=f"00010001{position:04d}", depth=3, numchild=0, url_path=f"/home/{slug}/", locale=locale,
            kind=kind, title_en=title_en, body=body, body_en=body_en, show_in_menus=True,
        )
    Site.objects.update_or_create(is_default_site=True, defaults={
        "hostname": "localhost", "port": 80, "root_page": home, "site_name": "Carbon Portal"})
    Page.objects.filter(depth=1).update(numchild=Page.objects.filter(depth=2).count())


def remove_pages(apps, schema_editor):
    apps.get_model("wagtailcore.Page").objects.filter(depth=2, slug="home").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal_site", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_pages, remove_pages)]
