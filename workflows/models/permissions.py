"""Direct-foreign-key object permission tables for django-guardian.

Guardian finds them through the reverse relations on Inventory and Engagement and uses them
instead of its generic tables: integer joins instead of text object ids, and the rows go
when the object goes.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class InventoryUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("inventories.Inventory", models.CASCADE,
                                       related_name="guardian_user_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class InventoryGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("inventories.Inventory", models.CASCADE,
                                       related_name="guardian_group_permissions")

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class EngagementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("workflows.Engagement", models.CASCADE,
                                       related_name="guardian_user_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class EngagementGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("workflows.Engagement", models.CASCADE,
                                       related_name="guardian_group_permissions")

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
