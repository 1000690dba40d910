"""Reads of inventories and the factor library, already scoped to the user."""

from django.db.models import Q, QuerySet

from carbon_portal.accounts.models import Role

from .calculation import FactorLibrary, load_default_library
from .choices import InventoryStatus
from .models import CalculationResult, FactorSet, Inventory, Meter

PUBLISHED_STATES = (InventoryStatus.VERIFIED, InventoryStatus.CERTIFIED)


def inventories_visible_to(user) -> QuerySet[Inventory]:
    """Inventories a user may see: their enterprise's; for verifiers those proposed to their body
    (the django-guardian view permission workflows grants on proposal); for government users the
    verified ones in their jurisdiction; for administrators all."""
    if not user.is_authenticated:
        return Inventory.objects.none()
    if user.is_superuser or Role.ADMIN in user.roles:
        return Inventory.objects.all()
    visible = Q(pk__in=[])
    for membership in user.memberships.select_related("authority"):
        if membership.role in (Role.OFFICER, Role.REVIEWER):
            visible |= Q(enterprise_id=membership.enterprise_id)
        elif membership.role == Role.GOVERNMENT:
            visible |= jurisdiction_filter(membership.authority) & Q(status__in=PUBLISHED_STATES)
        elif membership.role == Role.VERIFIER:
            visible |= _granted_to(user, "view_inventory")
    return Inventory.objects.filter(visible)


def _granted_to(user, codename: str) -> Q:
    """Inventories on which `user`, or one of their groups, holds the django-guardian object
    permission `codename` (semi-joins on guardian's tables; superusers get no shortcut)."""
    from guardian.shortcuts import get_objects_for_user
    from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

    by_group, by_user = get_group_obj_perms_model(Inventory), get_user_obj_perms_model(Inventory)
    if by_group.objects.is_generic() or by_user.objects.is_generic():
        return Q(pk__in=get_objects_for_user(user, f"inventories.{codename}", klass=Inventory, with_superuser=False,
                                             accept_global_perms=False).values("pk"))
    from django.contrib.contenttypes.models import ContentType

    permission = {"permission__codename": codename,
                  "permission__content_type_id": ContentType.objects.get_for_model(Inventory).pk}
    return (Q(pk__in=by_group.objects.filter(group__user=user, **permission).values("content_object_id"))
            | Q(pk__in=by_user.objects.filter(user=user, **permission).values("content_object_id")))


def jurisdiction_filter(authority) -> Q:
    regions = Q(pk__in=[])
    for prefix in authority.region_prefixes():
        regions |= Q(enterprise__region_code__startswith=prefix)
    industries = list(authority.industries.values_list("code", flat=True))
    return regions & Q(enterprise__industry__in=industries) if industries else regions


def meters_visible_to(user) -> QuerySet[Meter]:
    if not user.is_authenticated:
        return Meter.objects.none()
    if user.is_superuser or Role.ADMIN in user.roles:
        return Meter.objects.all()
    enterprise_ids = user.memberships.filter(role__in=[Role.OFFICER, Role.REVIEWER]).values("enterprise_id")
    return Meter.objects.filter(enterprise_id__in=enterprise_ids)


def current_factor_set() -> FactorSet | None:
    return FactorSet.objects.filter(is_current=True).first()


def factor_library(factor_set: FactorSet) -> FactorLibrary:
    return FactorLibrary.from_dict(factor_set.as_library_dict())


def current_factor_library() -> FactorLibrary:
    """The library new calculations use: the current set in the database, or, before the
    library has been loaded, the one shipped in fixtures/."""
    factor_set = current_factor_set()
    return factor_library(factor_set) if factor_set else load_default_library()


def latest_result(inventory: Inventory) -> CalculationResult | None:
    return inventory.results.order_by("-calculated_at", "-id").first()
