"""Demo data (docs/interfaces.md §2): two enterprises, a verifier body, an authority, their users,
meters with device keys, industry baselines and a 2025 inventory of enterprise A.

Idempotent: passwords, TOTP secrets and device keys are derived from SECRET_KEY, so every run
prints the credentials that are actually in force. With the development key they are public:
never run seed_demo on a production database with a guessable SECRET_KEY.
"""

import base64
import datetime
import hashlib
import hmac
import json
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from carbon_portal.accounts.models import (
    Authority,
    Enterprise,
    Industry,
    Membership,
    Role,
    User,
    VerifierBody,
)
from carbon_portal.accounts.uscc import with_check_character
from certificates.models import IndustryBaseline
from ingestion.device_keys import hash_device_key, mosquitto_hash
from ingestion.models import DeviceKey
from inventories.choices import EnergyType
from inventories.models import EmissionSource, Facility, Inventory, Meter
from inventories.services import NewActivity, add_activity, calculate_inventory, create_inventory
from workflows.permissions import sync_all as sync_workflow_permissions

USERS = [
    # username, display name, role, organisation key
    ("officer_a", "张敏 (A 碳管理员)", Role.OFFICER, "A"),
    ("reviewer_a", "李强 (A 审核人)", Role.REVIEWER, "A"),
    ("officer_b", "王芳 (B 碳管理员)", Role.OFFICER, "B"),
    ("verifier_1", "赵磊 (核查员)", Role.VERIFIER, "verifier"),
    ("gov_1", "陈静 (主管部门)", Role.GOVERNMENT, "authority"),
    ("admin", "平台管理员", Role.ADMIN, None),
]

METERS = {
    "A": [
        ("A-ELEC-01", "总进线电表 Main incoming electricity", EnergyType.ELECTRICITY, "kWh",
         Meter.ReadingKind.CUMULATIVE, Decimal("99999999")),
        ("A-GAS-01", "窑炉天然气表 Kiln natural gas", EnergyType.NATURAL_GAS, "m3",
         Meter.ReadingKind.CUMULATIVE, Decimal("9999999")),
        ("A-STEAM-01", "外购蒸汽表 Purchased steam", EnergyType.STEAM, "GJ", Meter.ReadingKind.INTERVAL, None),
    ],
    "B": [
        ("B-ELEC-01", "总电表 Main electricity", EnergyType.ELECTRICITY, "kWh",
         Meter.ReadingKind.CUMULATIVE, Decimal("99999999")),
    ],
}

DEMO_LINES_A = [
    {"category": "fuel_combustion", "fuel": "natural_gas", "quantity": "350000", "unit": "m3",
     "description": "窑炉天然气 Kiln natural gas"},
    {"category": "fuel_combustion", "fuel": "raw_coal", "quantity": "1200", "unit": "t", "ncv": "21.5",
     "ncv_unit": "GJ/t", "carbon_content": "26.0", "carbon_content_unit": "tC/TJ", "oxidation_rate": "0.93",
     "description": "锅炉原煤 (实测) Boiler coal, measured"},
    {"category": "process", "description": "石灰石分解 Limestone decomposition", "quantity": "500", "unit": "t",
     "emission_factor": "0.405", "emission_factor_unit": "tCO2/t"},
    {"category": "purchased_electricity", "quantity": "2400000", "unit": "kWh",
     "description": "外购电力 Purchased electricity"},
    {"category": "purchased_heat", "quantity": "5000", "unit": "GJ", "description": "外购蒸汽 Purchased steam"},
]


def _derive(purpose: str, length: int = 32) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"seed_demo:{purpose}".encode(), hashlib.sha256).digest()[:length]


def demo_password(username: str) -> str:
    token = base64.urlsafe_b64encode(_derive(f"password:{username}")).decode().rstrip("=")
    return f"Cp-{token[:14]}-9x"


def demo_totp_key(username: str) -> bytes:
    return _derive(f"totp:{username}", 20)


def demo_device_key(enterprise_key: str) -> str:
    return "dk_" + base64.urlsafe_b64encode(_derive(f"device:{enterprise_key}")).decode().rstrip("=")


@transaction.atomic
def seed_demo() -> dict:
    load_industries()
    enterprises = {
        "A": _enterprise("杭州青山建材有限公司", "Hangzhou Qingshan Building Materials Co., Ltd.",
                         with_check_character("91330106MA2XXXX0A"), "C30", "330106", "浙江省杭州市西湖区"),
        "B": _enterprise("宁波东海化工有限公司", "Ningbo Donghai Chemical Co., Ltd.",
                         with_check_character("91330203MA2XXXX0B"), "C26", "330203", "浙江省宁波市北仑区"),
    }
    verifier_body = _verifier_body()
    authority = _authority()
    organisations = {**enterprises, "verifier": verifier_body, "authority": authority}

    users = {}
    for username, display_name, role, organisation_key in USERS:
        users[username] = _user(username, display_name, role, organisations.get(organisation_key))

    meters = {key: _meters(enterprises[key], key) for key in enterprises}
    device_keys = {key: _device_key(enterprises[key], key, meters[key]) for key in enterprises}
    _baselines(authority)
    _demo_inventory(enterprises["A"], meters["A"], User.objects.get(username="officer_a"))
    # Groups and object permissions of the demo users, also for a database seeded before workflows.
    sync_workflow_permissions()
    return {
        "users": users,
        "meters": {key: [meter.identifier for meter in meters[key]] for key in meters},
        "device_keys": device_keys,
    }


def load_industries() -> None:
    data = json.loads((settings.BASE_DIR / "fixtures" / "industries.json").read_text(encoding="utf-8"))
    for row in data["industries"]:
        Industry.objects.update_or_create(code=row["code"], defaults={"name_zh": row["name_zh"],
                                                                    "name_en": row["name_en"]})


def _enterprise(name, name_en, credit_code, industry, region_code, address) -> Enterprise:
    enterprise, _created = Enterprise.objects.update_or_create(
        credit_code=credit_code,
        defaults={"name": name, "name_en": name_en, "industry_id": industry, "region_code": region_code,
                  "address": address},
    )
    return enterprise


def _verifier_body() -> VerifierBody:
    body, _created = VerifierBody.objects.update_or_create(
        accreditation_number="CNAS-GHG-DEMO-001",
        defaults={
            "name": "中碳认证核查中心", "name_en": "China Carbon Verification Centre",
            "credit_code": with_check_character("91110105MA0XXXX0Y"),
            "accredited_from": datetime.date(2024, 1, 1), "accredited_until": datetime.date(2028, 12, 31),
        },
    )
    body.scope.set(Industry.objects.filter(code__in=["C26", "C30", "C31", "D44"]))
    return body


def _authority() -> Authority:
    authority, _created = Authority.objects.update_or_create(
        name="浙江省经济和信息化厅",
        defaults={"name_en": "Zhejiang Department of Economy and Information Technology",
                  "region_codes": ["330000"]},
    )
    return authority


def _user(username, display_name, role, organisation) -> dict:
    user, _created = User.objects.get_or_create(username=username)
    password = demo_password(username)
    user.display_name = display_name
    user.email = f"{username}@demo.carbon-portal.local"
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.set_password(password)
    user.save()
    organisation_field = {Enterprise: "enterprise", VerifierBody: "verifier_body", Authority: "authority"}
    membership = {"user": user, "role": role}
    if organisation is not None:
        membership[organisation_field[type(organisation)]] = organisation
    Membership.objects.get_or_create(**membership)
    credentials = {"password": password}
    if user.requires_mfa:
        key = demo_totp_key(username)
        TOTPDevice.objects.update_or_create(user=user, name="demo", defaults={"key": key.hex(), "confirmed": True})
        credentials["totp_secret"] = base64.b32encode(key).decode()
    return credentials


def _meters(enterprise, key) -> list[Meter]:
    facility, _created = Facility.objects.get_or_create(enterprise=enterprise, name="主厂区 Main site")
    meters = []
    for identifier, name, energy_type, unit, kind, register_max in METERS[key]:
        meter, _created = Meter.objects.update_or_create(
            identifier=identifier,
            defaults={"enterprise": enterprise, "facility": facility, "name": name, "energy_type": energy_type,
                      "unit": unit, "reading_kind": kind, "register_max": register_max},
        )
        meters.append(meter)
    return meters


def _device_key(enterprise, key, meters) -> str:
    raw_key = demo_device_key(key)
    device_key, _created = DeviceKey.objects.update_or_create(
        enterprise=enterprise, name="demo gateway", defaults={"key_hash": hash_device_key(raw_key),
                                                              "mqtt_password_hash": mosquitto_hash(raw_key),
                                                              "revoked_at": None},
    )
    device_key.meters.set(meters)
    return raw_key


def _baselines(authority) -> None:
    # Demo industry averages (tCO2 per 10^4 yuan); an authority sets the real ones.
    for industry, intensity in (("C30", "2.10"), ("C26", "1.35"), ("C31", "3.20"), ("D44", "4.80")):
        for year in (2024, 2025):
            IndustryBaseline.objects.update_or_create(
                industry_id=industry, year=year,
                defaults={"average_intensity": Decimal(intensity), "authority": authority,
                          "basis": IndustryBaseline.Basis.SET_BY_AUTHORITY,
                          "source": "演示数据 Demo figure, not an official baseline"},
            )


def _demo_inventory(enterprise, meters, officer) -> None:
    if Inventory.objects.filter(enterprise=enterprise, year=2025).exists():
        return
    inventory = create_inventory(enterprise=enterprise, year=2025, created_by=officer,
                                 added_value_10k_yuan=Decimal("8000"))
    facility = meters[0].facility
    lines = []
    for line in DEMO_LINES_A:
        source, _created = EmissionSource.objects.get_or_create(
            facility=facility, name=line["description"],
            defaults={"category": line["category"], "fuel": line.get("fuel", "")},
        )
        lines.append(NewActivity(line=line, emission_source=source))
    add_activity(inventory=inventory, actor=officer, lines=lines)
    calculate_inventory(inventory=inventory, calculated_by=officer)
