"""Object permissions as django-guardian stores them, read without the superuser shortcut.

The duties of the lifecycle belong to roles (preparer, reviewer, verifier): a platform
administrator reads everything and certifies, but does not approve or verify in someone else's
name. So transition checks read the permissions actually granted on the object (to the user or
to one of their groups) instead of `user.has_perm`, which says yes to every superuser.
"""

INVENTORY_APP = "inventories"

VIEW = "view_inventory"
PREPARE = "prepare_inventory"
REVIEW = "review_inventory"
VERIFY = "verify_inventory"
CERTIFY = "certify_inventory"
DECIDE_ENGAGEMENT = "decide_engagement"

_CACHE_ATTRIBUTE = "_workflow_held_permissions"


def held_permissions(user, obj) -> frozenset[str]:
    """Codenames granted on `obj` to `user` directly or through their groups. Remembered on
    the object instance, so a page that asks many questions about one object asks the database
    once; services work on freshly locked instances, so they never see a stale answer."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache = obj.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if user.pk not in cache:
        from guardian.core import ObjectPermissionChecker

        checker = ObjectPermissionChecker(user)
        cache[user.pk] = frozenset(checker.get_user_perms(obj)) | frozenset(checker.get_group_perms(obj))
    return cache[user.pk]


def forget_held_permissions(obj) -> None:
    obj.__dict__.pop(_CACHE_ATTRIBUTE, None)


def holds(user, codename: str, obj) -> bool:
    return codename in held_permissions(user, obj)


def holds_globally(user, codename: str, app_label: str = INVENTORY_APP) -> bool:
    """A model-wide permission (platform administrators: certify)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(f"{app_label}.{codename}")
