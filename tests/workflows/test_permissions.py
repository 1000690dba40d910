"""Roles -> groups -> django-guardian object permissions, granted and withdrawn as the
engagement goes."""

import pytest

from carbon_portal.accounts.models import Membership, Role, User
from inventories.selectors import inventories_visible_to
from workflows import access, services
from workflows.models import InventoryGroupObjectPermission
from workflows.permissions import sync_all

from .support import advance, demo_body, engagement_of, enterprise_a, new_inventory, record_opinion, step, user

pytestmark = pytest.mark.django_db


def held(username, obj):
    access.forget_held_permissions(obj)
    return access.held_permissions(user(username), obj)


def test_a_new_inventory_grants_the_enterprise_roles(demo):
    inventory = new_inventory()
    assert held("officer_a", inventory) == {"view_inventory", "prepare_inventory"}
    assert held("reviewer_a", inventory) == {"view_inventory", "review_inventory"}
    assert held("officer_b", inventory) == set()
    assert held("admin", inventory) == set()  # no superuser shortcut for duties


def test_a_colleague_who_joins_later_has_the_same_rights(demo):
    inventory = new_inventory()
    newcomer = User.objects.create_user("officer_a2", password="Long-enough-password-1")
    Membership.objects.create(user=newcomer, role=Role.OFFICER, enterprise=enterprise_a())
    assert held("officer_a2", inventory) == {"view_inventory", "prepare_inventory"}
    assert inventories_visible_to(newcomer).filter(pk=inventory.pk).exists()
    Membership.objects.filter(user=newcomer).delete()
    assert held("officer_a2", inventory) == set()


def test_the_verifier_body_is_granted_and_withdrawn_along_the_engagement(demo):
    inventory = advance(new_inventory(), "in_review")
    services.choose_verifier_body(inventory_id=inventory.pk, verifier_body_id=demo_body().pk, actor=user("officer_a"))
    assert held("verifier_1", inventory) == set()  # a choice is not a proposal
    step(inventory, "approve", "reviewer_a")
    assert held("verifier_1", inventory) == {"view_inventory"}
    assert held("verifier_1", engagement_of(inventory)) == {"decide_engagement"}
    step(inventory, "accept", "verifier_1", declaration="Independent.", no_conflict=True)
    assert held("verifier_1", inventory) == {"view_inventory", "verify_inventory"}
    engagement = engagement_of(inventory)
    assert held("verifier_1", engagement) == set()
    record_opinion(inventory, "verified")
    step(inventory, "verify", "verifier_1")
    assert held("verifier_1", inventory) == {"view_inventory"}  # kept for its records
    assert inventories_visible_to(user("verifier_1")).filter(pk=inventory.pk).exists()


def test_declining_withdraws_everything(demo):
    inventory = advance(new_inventory(), "submitted")
    engagement = engagement_of(inventory)
    step(inventory, "decline", "verifier_1", comment="Conflict: we advised this enterprise last year.")
    assert held("verifier_1", inventory) == set()
    assert held("verifier_1", engagement) == set()
    assert not inventories_visible_to(user("verifier_1")).filter(pk=inventory.pk).exists()


def test_government_sees_verified_inventories_in_its_jurisdiction_only(demo):
    draft, verified = new_inventory(2022), advance(new_inventory(2023), "verified")
    visible = set(inventories_visible_to(user("gov_1")).values_list("pk", flat=True))
    assert verified.pk in visible and draft.pk not in visible


def test_sync_all_rebuilds_the_same_grants(demo):
    inventory = advance(new_inventory(), "verifying")
    before = set(InventoryGroupObjectPermission.objects.values_list("group__name", "permission__codename",
                                                                    "content_object_id"))
    InventoryGroupObjectPermission.objects.all().delete()
    sync_all()
    after = set(InventoryGroupObjectPermission.objects.values_list("group__name", "permission__codename",
                                                                   "content_object_id"))
    assert after == before
    assert held("verifier_1", inventory) == {"view_inventory", "verify_inventory"}
