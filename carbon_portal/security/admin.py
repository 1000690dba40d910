"""The security log for platform administrators: read-only, searchable, filtered by kind,
outcome, user, client address and time, exported as CSV."""

import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from carbon_portal.accounts.models import Role

from .exports import write_csv
from .models import SecurityEvent


def is_platform_administrator(user) -> bool:
    return bool(user and user.is_active and user.is_authenticated and (user.is_superuser or Role.ADMIN in user.roles))


class InputFilter(admin.SimpleListFilter):
    """A filter typed into a box rather than picked from a list."""

    template = "admin/security/input_filter.html"
    input_type = "text"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def choices(self, changelist):
        others = {key: value for key, value in changelist.get_filters_params().items()
                  if key != self.parameter_name}
        yield {"name": self.parameter_name, "value": self.value() or "", "input_type": self.input_type,
               "others": [(key, item) for key, values in others.items()
                          for item in (values if isinstance(values, list) else [values])],
               "clear_query_string": changelist.get_query_string(remove=[self.parameter_name])}


class AddressFilter(InputFilter):
    title = _("client address")
    parameter_name = "address"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(address=value) if value else queryset


class UserFilter(InputFilter):
    title = _("user name")
    parameter_name = "username"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(username__iexact=value) if value else queryset


class _DateFilter(InputFilter):
    input_type = "date"

    def day_start(self):
        day = parse_date((self.value() or "").strip()) if self.value() else None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) if day else None


class FromDateFilter(_DateFilter):
    title = _("from (date)")
    parameter_name = "from_date"

    def queryset(self, request, queryset):
        start = self.day_start()
        return queryset.filter(created_at__gte=start) if start else queryset


class ToDateFilter(_DateFilter):
    title = _("to (date, inclusive)")
    parameter_name = "to_date"

    def queryset(self, request, queryset):
        start = self.day_start()
        return queryset.filter(created_at__lt=start + datetime.timedelta(days=1)) if start else queryset


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "outcome", "username", "address", "path")
    list_filter = ("kind", "outcome", UserFilter, AddressFilter, FromDateFilter, ToDateFilter)
    search_fields = ("username", "user__username", "address", "path", "user_agent", "details")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    readonly_fields = [field.name for field in SecurityEvent._meta.fields]
    actions = ["export_selected"]
    change_list_template = "admin/security/securityevent/change_list.html"
    show_full_result_count = False

    def has_module_permission(self, request):
        return is_platform_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_administrator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [path("export/", self.admin_site.admin_view(self.export_view), name="security_securityevent_export"),
                *super().get_urls()]

    def export_view(self, request):
        """The events the list shows now (its search and filters), all pages, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self._csv(changelist.queryset)

    @admin.action(description=_("Export the selected events as CSV"))
    def export_selected(self, request, queryset):
        return self._csv(queryset)

    def _csv(self, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="security-log-{stamp}.csv"'
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        write_csv(queryset.select_related(None), response)
        return response
