from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carbon_portal.core.regions import region_label

from . import mfa
from .models import Authority, EnrolmentCode, Enterprise, Industry, Membership, User, VerifierBody
from .reauth import FreshLoginAdminMixin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fk_name = "user"


@admin.register(User)
class UserAdmin(FreshLoginAdminMixin, DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Portal"), {"fields": ("display_name",)}),)
    list_display = ("username", "display_name", "email", "is_active", "is_staff")
    inlines = [MembershipInline]
    actions = ["issue_enrolment_code", "reset_second_factor"]

    @admin.action(description=_("Issue an enrolment code for the second factor"))
    def issue_enrolment_code(self, request, queryset):
        for user in queryset:
            code, record = mfa.issue_enrolment_code(user, issued_by=request.user)
            messages.success(request, gettext("Enrolment code for %(user)s: %(code)s (valid until %(until)s; "
                                              "shown only now, give it to the user out of band).") % {
                "user": user.username, "code": code,
                "until": formats.date_format(record.expires_at, "DATETIME_FORMAT")})

    @admin.action(description=_("Reset the second factor (lost authenticator) and issue an enrolment code"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            mfa.reset_second_factor(user)
        self.issue_enrolment_code(request, queryset)


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "industry", "region", "mfa_required")
    list_filter = ("industry", "mfa_required")
    search_fields = ("name", "name_en", "credit_code")

    @admin.display(description=_("administrative region"), ordering="region_code")
    def region(self, enterprise):
        return region_label(enterprise.region_code)


@admin.register(VerifierBody)
class VerifierBodyAdmin(admin.ModelAdmin):
    list_display = ("name", "accreditation_number", "accredited_from", "accredited_until")
    filter_horizontal = ("scope",)


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ("name", "regions")
    filter_horizontal = ("industries",)

    @admin.display(description=_("region codes"))
    def regions(self, authority):
        return "; ".join(region_label(code) for code in authority.region_codes or [])


@admin.register(Membership)
class MembershipAdmin(FreshLoginAdminMixin, admin.ModelAdmin):
    list_display = ("user", "role", "enterprise", "verifier_body", "authority")
    list_filter = ("role",)


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(admin.ModelAdmin):
    """Issued with the user action or `manage.py issue_enrolment_code`; only their hashes are kept."""

    list_display = ("user", "issued_by", "created_at", "expires_at", "used_at")
    readonly_fields = ("user", "issued_by", "created_at", "expires_at", "used_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
