from django.contrib import admin

from .models import (
    ActivityRecord,
    CalculationResult,
    EmissionSource,
    Facility,
    FactorSet,
    FactorValue,
    Inventory,
    Meter,
    ResultLine,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FactorValueInline(ReadOnlyInline):
    model = FactorValue
    fields = ("subject", "parameter", "value", "unit", "programme", "region", "data_year", "source")


@admin.register(FactorSet)
class FactorSetAdmin(admin.ModelAdmin):
    """A published edition is read-only: a change is a new version (load_factor_library)."""

    list_display = ("code", "version", "published_on", "is_current")
    inlines = [FactorValueInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("name", "enterprise")
    list_filter = ("enterprise",)


@admin.register(EmissionSource)
class EmissionSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "facility", "category", "fuel")


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):
    list_display = ("identifier", "name", "enterprise", "energy_type", "unit", "reading_kind")
    list_filter = ("enterprise", "energy_type")
    search_fields = ("identifier", "name")


class ActivityRecordInline(admin.TabularInline):
    model = ActivityRecord
    extra = 0
    fields = ("category", "fuel", "quantity", "unit", "origin", "evidence")
    readonly_fields = fields


@admin.register(Inventory)
class InventoryAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "year", "status", "factor_set")
    list_filter = ("status", "year")
    readonly_fields = ("status",)
    inlines = [ActivityRecordInline]


class ResultLineInline(ReadOnlyInline):
    model = ResultLine
    fields = ("index", "category", "tco2e", "energy_tce", "formula")


@admin.register(CalculationResult)
class CalculationResultAdmin(admin.ModelAdmin):
    list_display = ("inventory", "total_tco2e", "energy_tce", "calculated_at")
    inlines = [ResultLineInline]

    def has_change_permission(self, request, obj=None):
        return False
