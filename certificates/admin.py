from django.contrib import admin

from .models import IndustryBaseline


@admin.register(IndustryBaseline)
class IndustryBaselineAdmin(admin.ModelAdmin):
    list_display = ("industry", "year", "average_intensity", "basis", "authority")
    list_filter = ("year", "basis")
