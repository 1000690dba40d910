from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .device_keys import new_device_key
from .models import DeviceKey, Evidence, ImportBatch, InvoiceDraft, QualityIssue


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("original_name", "enterprise", "kind", "content_type", "size", "pages", "uploaded_at")
    list_filter = ("kind", "content_type")
    search_fields = ("original_name", "sha256")
    readonly_fields = ("enterprise", "kind", "sha256", "original_name", "content_type", "size", "pages", "file",
                       "encryption", "key_id", "uploaded_by", "uploaded_at")

    def has_add_permission(self, request):
        return False  # evidence comes in through the portal, checked and encrypted


@admin.register(DeviceKey)
class DeviceKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "enterprise", "created_at", "last_used_at", "revoked_at")
    list_filter = ("enterprise",)
    readonly_fields = ("key_hash", "created_at", "last_used_at")
    filter_horizontal = ("meters",)

    def save_model(self, request, obj, form, change):
        if not change:  # a new key: made here and shown once
            key = new_device_key()
            obj.set_key(key)
            messages.warning(request, _("The device key is %(key)s — copy it now, it is not shown again.")
                             % {"key": key})
        super().save_model(request, obj, form, change)


@admin.register(InvoiceDraft)
class InvoiceDraftAdmin(admin.ModelAdmin):
    list_display = ("invoice_number", "seller_tax_id", "inventory", "status", "created_at", "confirmed_at")
    list_filter = ("status",)
    search_fields = ("invoice_number", "seller_tax_id")
    readonly_fields = [field.name for field in InvoiceDraft._meta.fields]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("kind", "enterprise", "inventory", "rows", "accepted", "duplicates", "created_at")
    readonly_fields = [field.name for field in ImportBatch._meta.fields]


@admin.register(QualityIssue)
class QualityIssueAdmin(admin.ModelAdmin):
    list_display = ("meter", "kind", "ts", "detected_at", "acknowledged_at")
    list_filter = ("kind",)
    readonly_fields = ("meter", "kind", "ts", "details", "detected_at")
