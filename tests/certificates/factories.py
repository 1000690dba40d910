"""Builders of enterprises, officers and calculated inventories for the certificates tests."""

from decimal import Decimal

from carbon_portal.accounts.models import Enterprise, Membership, Role, User
from inventories.models import Inventory


def set_status(inventory, status):
    """Sets the state directly (tests only; the workflows transitions do it in the portal)."""
    Inventory.objects.filter(pk=inventory.pk).update(status=status)
    return Inventory.objects.get(pk=inventory.pk)


def make_enterprise(code_suffix: str, industry: str = "C30", region: str = "330106", name: str = "") -> Enterprise:
    from carbon_portal.accounts.uscc import with_check_character

    return Enterprise.objects.create(
        name=name or f"测试企业{code_suffix}", name_en=f"Test {code_suffix}",
        credit_code=with_check_character(f"91330106MA2T{code_suffix}"), industry_id=industry, region_code=region,
    )


def make_inventory(enterprise, officer, *, year=2025, added_value="1000", lines=None, products=()):
    from inventories.models import InventoryProduct
    from inventories.services import add_activity, calculate_inventory, create_inventory

    inventory = create_inventory(enterprise=enterprise, year=year, created_by=officer,
                                 added_value_10k_yuan=Decimal(added_value))
    add_activity(inventory=inventory, actor=officer,
                 lines=lines or [{"category": "purchased_electricity", "quantity": "1000", "unit": "MWh"}])
    for name, unit, output, value in products:
        InventoryProduct.objects.create(inventory=inventory, name=name, declared_unit=unit, output=Decimal(output),
                                        value_10k_yuan=Decimal(value) if value is not None else None)
    calculate_inventory(inventory=inventory, calculated_by=officer)
    return Inventory.objects.get(pk=inventory.pk)


def make_officer(enterprise, username):
    user = User.objects.create_user(username=username, password="Secret-pass-123456")
    Membership.objects.create(user=user, role=Role.OFFICER, enterprise=enterprise)
    return user




def signed_in(user):
    """A test client signed in as `user`, with the second factor passed when the role needs it."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
