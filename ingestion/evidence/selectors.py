"""Which evidence a user may see."""

from django.db.models import Q, QuerySet

from carbon_portal.accounts.models import Role
from inventories.selectors import inventories_visible_to

from ..models import Evidence


def evidence_visible_to(user) -> QuerySet[Evidence]:
    """The files of the user's enterprise (officers, reviewers), and the files behind the
    activity data of the inventories the user may see (verifiers, government users)."""
    if not user.is_authenticated:
        return Evidence.objects.none()
    if user.is_superuser or Role.ADMIN in user.roles:
        return Evidence.objects.all()
    enterprises = user.memberships.filter(role__in=[Role.OFFICER, Role.REVIEWER]).values("enterprise_id")
    inventories = inventories_visible_to(user).values("pk")
    behind = Evidence.objects.filter(activity_records__inventory__in=inventories).values("pk")
    return Evidence.objects.filter(Q(enterprise_id__in=enterprises) | Q(pk__in=behind))
