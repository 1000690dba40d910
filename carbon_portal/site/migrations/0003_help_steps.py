"""The help page's getting-started steps, rewritten for self-service onboarding: every step names a
page that exists and that the role it names can open (tests/site/test_help_page.py follows each link)."""

from django.db import migrations

HELP_ZH = (
    "<h2>快速开始</h2><ol>"
    '<li><b>申请入驻</b>：在<a href="/join/">申请入驻</a>页填写企业名称、统一社会信用代码（校验位会被核对）、'
    "所属行业（GB/T 4754）、所在地区（GB/T 2260）和联系人。平台管理员（或按配置由所在地区的主管部门）审核通过后，"
    "联系人会收到设置密码的邮件，成为本企业的企业管理员兼碳管理员。</li>"
    '<li><b>邀请同事</b>：企业管理员在<a href="/portal/people/">人员</a>页按邮箱邀请同事并指定角色'
    "（碳管理员、复核人、企业管理员），可停用离职人员，并查看谁在何时做了什么。内部复核须由另一人完成。</li>"
    '<li><b>登记主数据</b>：碳管理员在<a href="/portal/master-data/">主数据</a>页登记厂区（含核算边界）、'
    "排放源（类别与燃料）、计量表（能源类型、单位、读数方式、量程上限、计量对象）和产品（声明单位）；"
    "为计量表签发设备密钥——密钥只显示一次，可随时吊销。</li>"
    '<li><b>收集活动数据</b>：在<a href="/portal/inventories/">盘查</a>页新建年度盘查，然后由计量表按设备密钥'
    "经 MQTT 或 HTTP 上报读数、上传能源发票（自动识别后人工确认；购买方不是本企业或开票日期不在盘查期内时，"
    "须填写理由方可采用，核查机构可见）、导入表格或手工录入。录错的行可以删除，删除的人和理由保留在历史中。</li>"
    "<li><b>处理重复计量</b>：同一厂区、同一能源、同一期间来自多个来源（计量表、发票、导入、手工）的数据在计算前"
    "会被并排列出，由碳管理员选择计入哪一来源；选择及理由对核查机构可见。</li>"
    "<li><b>计算</b>：运行计算，打开任一结果行查看公式与因子来源。若要签发产品碳标签，"
    "在盘查页登记本年各产品的产量与产值及其上游投入。</li>"
    "<li><b>复核与核查</b>：提交内部复核（由复核人批准或退回），再选择第三方核查机构；按核查发现更正数据。</li>"
    "<li><b>签发标签</b>：核查通过后，由平台管理员认证并签发企业碳效标签和产品碳标签；"
    '购买方可在<a href="/id/">标签查验</a>页输入标识、扫描二维码或调用接口核验签名。</li>'
    "</ol>"
)
HELP_EN = (
    "<h2>Getting started</h2><ol>"
    '<li><b>Apply to join</b> on the <a href="/join/">application page</a>: the enterprise\'s name, unified social '
    "credit code (its check digit is verified), industry (GB/T 4754), region (GB/T 2260) and a contact. Once a "
    "platform administrator (or, where configured, the government of that region) approves, the contact receives "
    "an e-mail to set a password and becomes the enterprise's administrator and carbon officer.</li>"
    '<li><b>Invite colleagues</b> on the <a href="/portal/people/">People</a> page: by e-mail, with a role '
    "(carbon officer, reviewer, enterprise administrator). Deactivate people who leave, and see who did what. "
    "Internal review must be done by another person.</li>"
    '<li><b>Register master data</b> on the <a href="/portal/master-data/">Master data</a> page: facilities with '
    "their boundary, emission sources (category and fuel), meters (energy type, unit, reading kind, register "
    "maximum, what they measure) and products (declared unit). Issue a device key for a meter: it is shown once "
    "and can be revoked at any time.</li>"
    '<li><b>Collect activity data</b>: open a yearly inventory on the <a href="/portal/inventories/">Inventories</a> '
    "page; meters send readings with their device key over MQTT or HTTP; upload energy invoices (read "
    "automatically, then confirmed by you; an invoice to another buyer or dated outside the period needs a reason, "
    "which the verifier sees); import a spreadsheet or enter lines by hand. A wrong line can be removed; who removed "
    "it and why stays in the history.</li>"
    "<li><b>Resolve double counting</b>: the same energy for the same facility and period from more than one "
    "origin (meter, invoice, import, manual) is shown side by side before calculation, and you choose which "
    "counts; the choice and its reason are shown to the verifier.</li>"
    "<li><b>Calculate</b>, and open any result line to see its formula and the sources of its factors. For product "
    "carbon labels, add the year's output and value of each product, and its upstream inputs, on the inventory "
    "page.</li>"
    "<li><b>Review and verification</b>: submit for internal review (a reviewer approves or returns it), then "
    "choose a third-party verifier body; answer its findings.</li>"
    "<li><b>Labels</b>: once verified, a platform administrator certifies the inventory and issues the enterprise "
    "carbon-efficiency label and the product carbon labels; buyers check them on the "
    '<a href="/id/">label page</a> by identifier or QR code, or through the API, and can verify the signature.</li>'
    "</ol>"
)


def rewrite_help(apps, schema_editor):
    ContentPage = apps.get_model("portal_site.ContentPage")
    ContentPage.objects.filter(slug="help", kind="help").update(body=HELP_ZH, body_en=HELP_EN)


class Migration(migrations.Migration):
    dependencies = [("portal_site", "0002_create_pages")]

    operations = [migrations.RunPython(rewrite_help, migrations.RunPython.noop)]
