from django.contrib import admin

from .models import Document, FootprintMethod, IndustryBaseline, Label, LabelEvent, SigningKey, UpstreamInput


@admin.register(IndustryBaseline)
class IndustryBaselineAdmin(admin.ModelAdmin):
    list_display = ("industry", "year", "average_intensity", "basis", "inventory_count", "authority", "updated_at")
    list_filter = ("year", "basis")
    search_fields = ("industry__code", "industry__name_zh", "source")
    readonly_fields = ("inventory_count", "set_by", "updated_at")

    def save_model(self, request, obj, form, change):
        """Saved here, an average is the authority's (or the administrator's) decision."""
        obj.basis = IndustryBaseline.Basis.SET_BY_AUTHORITY
        obj.inventory_count = None
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Issued records change only through the services (signatures, audit events)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LabelEventInline(admin.TabularInline):
    model = LabelEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "reason", "actor", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Label)
class LabelAdmin(ReadOnlyAdmin):
    list_display = ("identifier", "kind", "enterprise", "period_start", "grade", "band", "status", "is_current",
                    "valid_until")
    list_filter = ("kind", "status", "is_current", "band", "grade")
    search_fields = ("identifier", "enterprise__name", "enterprise__credit_code")
    inlines = [LabelEventInline]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    list_display = ("key_id", "algorithm", "is_current", "private_key_source", "created_at", "retired_at")
    exclude = ("private_key_encrypted",)


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("filename", "kind", "inventory", "label", "size", "sha256", "created_at")
    list_filter = ("kind",)


@admin.register(FootprintMethod)
class FootprintMethodAdmin(admin.ModelAdmin):
    list_display = ("inventory", "allocation_basis", "updated_at")


@admin.register(UpstreamInput)
class UpstreamInputAdmin(ReadOnlyAdmin):
    list_display = ("product", "description", "quantity", "unit", "source", "emission_factor", "supplier_label")
