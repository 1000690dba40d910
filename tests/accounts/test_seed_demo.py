import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from carbon_portal.accounts.models import Enterprise, Membership, User
from ingestion.device_keys import hash_device_key
from ingestion.models import DeviceKey
from inventories.models import Inventory, Meter

EXPECTED_USERS = {"officer_a", "reviewer_a", "officer_b", "verifier_1", "gov_1", "admin"}
MFA_USERS = {"verifier_1", "gov_1", "admin"}


def test_json_output_has_the_contract_shape(demo_command_output):
    demo = json.loads(demo_command_output)
    assert set(demo) == {"users", "meters", "device_keys"}
    assert set(demo["users"]) == EXPECTED_USERS
    for username, credentials in demo["users"].items():
        assert credentials["password"]
        assert ("totp_secret" in credentials) is (username in MFA_USERS)
    assert len(demo["meters"]["A"]) >= 3
    assert len(demo["meters"]["B"]) >= 1
    assert set(demo["device_keys"]) == {"A", "B"}


def test_printed_passwords_log_in(demo, rf):
    for username, credentials in demo["users"].items():
        request = rf.post("/accounts/login/")
        assert authenticate(request, username=username, password=credentials["password"]) is not None, username


def test_printed_totp_secrets_match_the_devices(demo):
    import base64

    for username in MFA_USERS:
        key = base64.b32decode(demo["users"][username]["totp_secret"])
        device = TOTPDevice.objects.get(user__username=username)
        assert device.verify_token(TOTP(key).token())


def test_a_has_electricity_gas_and_heat_meters_and_keys_are_limited_to_their_enterprise(demo):
    a_types = set(Meter.objects.filter(identifier__in=demo["meters"]["A"]).values_list("energy_type", flat=True))
    assert {"electricity", "natural_gas"} <= a_types
    assert a_types & {"heat", "steam"}
    key_a = DeviceKey.objects.get(key_hash=hash_device_key(demo["device_keys"]["A"]))
    assert set(key_a.meters.values_list("identifier", flat=True)) == set(demo["meters"]["A"])
    assert set(demo["meters"]["A"]).isdisjoint(demo["meters"]["B"])


def test_enterprises_are_in_different_industries_and_the_authority_covers_both(demo):
    a, b = Enterprise.objects.order_by("region_code")
    assert a.industry_id != b.industry_id
    authority = Membership.objects.get(user__username="gov_1").authority
    assert authority.covers_region(a.region_code) and authority.covers_region(b.region_code)


def test_running_it_twice_changes_nothing(demo, capsys):
    counts = (User.objects.count(), Membership.objects.count(), Meter.objects.count(),
              DeviceKey.objects.count(), Inventory.objects.count(), TOTPDevice.objects.count())
    call_command("seed_demo", "--json")
    again = json.loads(capsys.readouterr().out)
    assert again == demo
    assert counts == (User.objects.count(), Membership.objects.count(), Meter.objects.count(),
                      DeviceKey.objects.count(), Inventory.objects.count(), TOTPDevice.objects.count())


def test_demo_inventory_is_calculated(demo):
    inventory = Inventory.objects.get(enterprise__memberships__user__username="officer_a", year=2025)
    assert inventory.results.count() == 1
    assert inventory.results.get().lines.count() == inventory.activity_records.count()


@pytest.mark.parametrize("flag", [[], ["--json"]])
def test_command_prints_every_user(factor_set, capsys, flag):
    call_command("seed_demo", *flag)
    out = capsys.readouterr().out
    for username in EXPECTED_USERS:
        assert username in out
