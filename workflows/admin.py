"""Administration: the workflow's records are read-only here; changes go through the services
(with their permissions and audit entries), never through the admin."""

from django.contrib import admin

from .models import Engagement, Finding, Notification, Opinion, SampledRecord, TransitionLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "created_at", "entity", "object_id", "inventory", "name", "from_state", "to_state",
                    "actor_username")
    list_filter = ("entity", "name")
    search_fields = ("actor_username", "comment", "entry_hash")
    list_select_related = ("inventory__enterprise",)


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    list_display = ("inventory", "verifier_body", "status", "proposed_at", "decided_at", "ended_at")
    list_filter = ("status", "verifier_body")
    list_select_related = ("inventory__enterprise", "verifier_body")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("inventory", "number", "status", "raised_at", "responded_at", "closed_at")
    list_filter = ("status",)
    list_select_related = ("inventory__enterprise",)


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ("engagement", "conclusion", "assurance_level", "materiality_threshold_percent",
                    "misstatement_percent", "issued_at")


@admin.register(SampledRecord)
class SampledRecordAdmin(ReadOnlyAdmin):
    list_display = ("engagement", "activity_record", "method", "conforms", "checked_at")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "verb", "inventory", "created_at", "read_at", "emailed_at")
    list_filter = ("verb",)
