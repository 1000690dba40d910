from django.contrib import admin

from .models import DeviceKey, Evidence


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("original_name", "enterprise", "content_type", "size", "uploaded_at")
    readonly_fields = ("sha256", "size", "content_type", "file")


@admin.register(DeviceKey)
class DeviceKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "enterprise", "created_at", "revoked_at")
    readonly_fields = ("key_hash",)
    filter_horizontal = ("meters",)
