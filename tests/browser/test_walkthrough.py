"""A brand-new enterprise from its application to its certified carbon-efficiency label and product
label, by clicking in headless Chromium only (the meter device alone talks HTTP to the API, as a
device does; the e-mails are read from the mailbox the test settings deliver to).

The platform exists before the enterprise: the factor library, the industries, an accredited
verifier body with its verifier, the platform administrator and the authority's industry
average. Everything of the enterprise comes from the pages: it applies, the administrator
approves, its administrator sets a password by the e-mailed link and invites the reviewer, who
creates an account by the invitation's link.
"""

import base64
import datetime
import json
import re
import secrets
from decimal import Decimal
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from carbon_portal.accounts.models import Authority, Industry, Membership, Role, User, VerifierBody
from carbon_portal.accounts.uscc import with_check_character
from carbon_portal.demo import load_industries
from certificates.models import IndustryBaseline

from . import pages
from .pages import Person

pytestmark = [
    pytest.mark.browser,
    # The live server commits: a transactional test; serialized_rollback brings back the data of
    # the migrations (Wagtail's pages) for the tests after it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SAMPLES = Path(__file__).resolve().parents[1] / "ingestion" / "samples"
INVOICE = SAMPLES / "text_electricity_digital.pdf"  # a digital VAT invoice of electricity, January 2025
INVOICE_FIELDS = json.loads(INVOICE.with_suffix(".json").read_text(encoding="utf-8"))
BODY_NAME_EN = "Browser Test Verification Centre"
CST = datetime.timezone(datetime.timedelta(hours=8))
YEAR = 2025


def _person(username, role, password, *, mfa=False, **organisation) -> Person:
    """A user with a membership; with `mfa`, a confirmed authenticator whose secret the test
    holds as the person's phone does."""
    user = User.objects.create_user(username=username, password=password, email=f"{username}@browser.test",
                                    display_name=username.replace("_", " ").title())
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    Membership.objects.create(user=user, role=role, **organisation)
    secret = ""
    if mfa:
        key = secrets.token_bytes(20)
        TOTPDevice.objects.create(user=user, name="phone", key=key.hex(), confirmed=True)
        secret = base64.b32encode(key).decode()
    return Person(username, password, secret)


@pytest.fixture
def platform(factor_set):
    """What exists before any enterprise applies."""
    load_industries()
    body = VerifierBody.objects.create(
        name="浏览器测试核查中心", name_en=BODY_NAME_EN, accreditation_number="CNAS-GHG-BROWSER-01",
        credit_code=with_check_character("91110105MA0XXXX1Y"),
        accredited_from=datetime.date(2024, 1, 1), accredited_until=datetime.date(2030, 12, 31))
    body.scope.set(Industry.objects.filter(code__in=["C30", "C34"]))
    authority = Authority.objects.create(name="江苏省工业和信息化厅", name_en="Jiangsu DIIT",
                                         region_codes=["320000"])
    IndustryBaseline.objects.create(industry_id="C34", year=YEAR, average_intensity=Decimal("2.10"),
                                    authority=authority, basis=IndustryBaseline.Basis.SET_BY_AUTHORITY,
                                    source="Browser test figure")
    return {
        "body": body,
        "verifier": _person("verifier_one", Role.VERIFIER, "Verifier-pass-2025!", mfa=True, verifier_body=body),
        "admin": _person("platform_admin", Role.ADMIN, "Admin-pass-2025!", mfa=True),
    }


APPLICATION = {  # the buyer of the sample invoice: its name and unified social credit code
    "name": INVOICE_FIELDS["buyer_name"], "name_en": "Suzhou Hengda Precision Manufacturing Co., Ltd.",
    "credit_code": INVOICE_FIELDS["buyer_tax_id"], "region": "江苏省苏州市吴中区",
    "address": "江苏省苏州市吴中区木渎镇金枫南路 88 号", "contact_name": "Li Na",
    "contact_email": "li.na@hengda-precision.test", "contact_phone": "0512-66881234",
}
PRODUCT = "Gear housing"
ADMIN_PASSWORD = "Hengda-admin-pass-2025!"
REVIEWER = {"email": "wang.lei@hengda-precision.test", "username": "wang_lei", "display_name": "Wang Lei",
            "password": "Reviewer-pass-2025!"}


def hourly_register(meter: str, start: datetime.datetime, hours: int, first: Decimal, per_hour: Decimal):
    return [{"meter": meter, "ts": (start + datetime.timedelta(hours=hour)).isoformat(),
             "value": str(first + per_hour * hour)} for hour in range(hours + 1)]


def test_a_new_enterprise_from_its_application_to_its_certified_labels(portal, platform, live_server, settings):
    verifier, admin = platform["verifier"], platform["admin"]
    enterprise_name = APPLICATION["name_en"]  # the pages are in English: the English name

    # --- Anyone: the enterprise applies ------------------------------------------------------------------
    pages.apply_to_join(portal, {
        "Enterprise name": APPLICATION["name"], "English name": APPLICATION["name_en"],
        "Unified social credit code": APPLICATION["credit_code"],
        "Industry (GB/T 4754)": str(Industry.objects.get(code="C34")),  # as the choice shows it
        "Region (GB/T 2260)": APPLICATION["region"], "Address": APPLICATION["address"],
        "Contact name": APPLICATION["contact_name"], "Contact e-mail": APPLICATION["contact_email"],
        "Contact phone": APPLICATION["contact_phone"]})
    portal.expect_text(APPLICATION["contact_email"])

    # --- The platform administrator (second factor) approves ----------------------------------------
    pages.log_in(portal, admin)
    pages.open_application(portal, APPLICATION["name"])
    portal.expect_text(APPLICATION["credit_code"], APPLICATION["region"], APPLICATION["contact_email"])
    # Approving wants a sign-in within the re-authentication window; the window is shortened to
    # nothing so that the sign-in of a minute ago is too old, as it is after a long pause.
    window = settings.REAUTH_MAX_AGE_MINUTES
    settings.REAUTH_MAX_AGE_MINUTES = 0
    portal.click_button("Approve")
    settings.REAUTH_MAX_AGE_MINUTES = window
    pages.confirm_it_is_you(portal, admin)
    portal.expect_heading(APPLICATION["name"])  # back where the step was: approve again
    portal.click_button("Approve")
    portal.expect_heading("Applications to join")
    portal.expect_message("is approved")
    pages.log_out(portal)

    # --- The applicant: the e-mailed link, a password, the log-in --------------------------------------
    approval = pages.read_mail(APPLICATION["contact_email"], "is approved")
    username = re.search(r"Your user name: (\S+)", approval).group(1)
    pages.set_password_by_link(portal, pages.link_in(approval, "/accounts/password/reset/"), ADMIN_PASSWORD)
    officer = Person(username, ADMIN_PASSWORD)  # the enterprise's administrator and carbon officer
    pages.log_in(portal, officer)

    # --- The enterprise administrator invites the reviewer, who creates the account -----------------
    pages.invite(portal, email=REVIEWER["email"], role="Enterprise reviewer")
    pages.log_out(portal)
    invitation = pages.read_mail(REVIEWER["email"], "invitation")
    pages.accept_invitation(portal, pages.link_in(invitation, "/accounts/invitations/"),
                            username=REVIEWER["username"], display_name=REVIEWER["display_name"],
                            password=REVIEWER["password"])
    pages.log_out(portal)
    reviewer = Person(REVIEWER["username"], REVIEWER["password"])

    # --- The officer: master data -------------------------------------------------------------------
    pages.log_in(portal, officer)
    pages.register_facility(portal, name="Plant 1", address="88 Xinghu Street, Suzhou")
    pages.register_emission_source(portal, facility="Plant 1", name="Heat-treatment furnace",
                                   category="Fuel combustion", fuel="Natural gas")
    pages.register_meter(portal, identifier="HD-ELEC-01", name="Main incomer", energy_type="Electricity",
                         unit="kWh", reading_kind="Cumulative register", facility="Plant 1",
                         register_max="99999999")
    pages.register_meter(portal, identifier="HD-GAS-01", name="Furnace gas", energy_type="Natural gas",
                         unit="m³", reading_kind="Cumulative register", facility="Plant 1",
                         emission_source="Heat-treatment furnace", register_max="9999999")
    electricity_key = pages.issue_device_key(portal, meter="HD-ELEC-01", device="Incomer logger")
    gas_key = pages.issue_device_key(portal, meter="HD-GAS-01", device="Furnace gas logger")
    pages.register_product(portal, name=PRODUCT, code="GH-200", declared_unit="piece")

    # --- The devices send a week of hourly register readings with their new keys ---------------------
    start = datetime.datetime(YEAR, 3, 1, tzinfo=CST)
    electricity = hourly_register("HD-ELEC-01", start, 24 * 7, Decimal("100000"), Decimal("1250"))
    gas = hourly_register("HD-GAS-01", start, 24 * 7, Decimal("20000"), Decimal("85"))
    assert pages.send_readings(live_server.url, electricity_key, electricity) == {
        "accepted": len(electricity), "duplicates": 0, "rejected": []}
    assert pages.send_readings(live_server.url, gas_key, gas)["accepted"] == len(gas)
    refused = pages.send_readings(live_server.url, gas_key, electricity[:1])  # a key writes its own meter only
    assert refused["accepted"] == 0 and refused["rejected"], refused
    pages.see_meter_rollup(portal, meter="HD-ELEC-01", month="2025-03", consumption="210000",
                           readings=len(electricity))

    # --- The officer: the inventory, the meters' roll-up, the invoice -----------------------------------
    pages.create_inventory(portal, year=YEAR, added_value="6000")
    pages.step(portal, "Open for data collection")
    pages.add_product(portal, enterprise_name, product=PRODUCT, output="120000", value="5400")
    pages.add_upstream_input(portal, enterprise_name, product=PRODUCT, description="Grey cast iron blanks",
                             quantity="1800", unit="t", factor="1.52",
                             factor_source="CLCD 2023, grey cast iron, cradle to gate")
    pages.take_meter_activity(portal, enterprise_name)
    portal.expect_message("2 activity records from meters")
    pages.upload_invoice(portal, enterprise_name, INVOICE)
    portal.expect_text(INVOICE_FIELDS["invoice_number"])
    pages.confirm_invoice(portal)  # the buyer is the enterprise, the date in the period: no override
    # The invoice's electricity (no facility: the whole site) and the meter's overlap: calculating
    # is refused until the officer decides which records count.
    pages.open_inventory(portal, enterprise_name)
    portal.expect_text("HD-ELEC-01", "HD-GAS-01", "210,000", "14,280", INVOICE.name, "Possible double counting")
    pages.resolve_double_count(
        portal, enterprise_name,
        counted="Only the Meter readings records (the others are left out of the calculation)",
        reason="The main incomer's meter measures the plant's whole supply; the bill covers the same electricity.")
    portal.expect_text("Every group of possibly double-counted records has been decided")
    pages.step(portal, "Calculate")
    portal.expect_text("tCO")
    pages.choose_verifier_body(portal, _option_of(platform["body"]))
    pages.step(portal, "Send for internal review")
    pages.log_out(portal)

    # --- The reviewer approves -------------------------------------------------------------------------
    pages.log_in(portal, reviewer)
    pages.go_to(portal, "Review")
    pages.step(portal, "Approve and submit for verification", comment="Checked against the bills.")
    pages.log_out(portal)

    # --- The verifier (second factor): accepts, gives the opinion, verifies -------------------------
    pages.log_in(portal, verifier)
    pages.open_engagement(portal, enterprise_name)
    pages.accept_engagement(portal, "No consulting, shareholding or other ties with the enterprise.")
    pages.record_opinion(portal, conclusion="Verified", assurance="Reasonable assurance", misstatement="0",
                         text="The inventory is fairly stated in accordance with GB/T 32150-2015.")
    pages.step(portal, "Verify")
    pages.log_out(portal)

    # --- The platform administrator (second factor) certifies; the labels are issued --------------
    pages.log_in(portal, admin)
    pages.open_inventory(portal, enterprise_name)
    pages.step(portal, "Certify")
    portal.click_link("Labels and documents")
    labels = pages.label_identifiers(portal)
    enterprise_label = labels.get("Carbon-efficiency label")
    product_label = labels.get(f"Product carbon-footprint label: {PRODUCT}")
    assert enterprise_label and product_label, f"expected an enterprise and a product label: {labels}"
    public = {}
    for identifier in (enterprise_label, product_label):
        portal.click_link(identifier)
        public[identifier] = portal.driver.find_element("link text", "Public page").get_attribute("href")
        portal.click_link("Inventory certification")
    pages.log_out(portal)

    # --- Anyone: the public pages of both labels ------------------------------------------------------
    for identifier, shows in ((enterprise_label, enterprise_name), (product_label, PRODUCT)):
        portal.open(public[identifier])
        portal.expect_text(identifier, shows, "This label is active and valid until")


def _option_of(body) -> str:
    """How the choice of bodies shows the body."""
    return str(body)
