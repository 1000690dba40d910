from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Authority, Enterprise, Industry, Membership, User, VerifierBody


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fk_name = "user"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Portal"), {"fields": ("display_name",)}),)
    list_display = ("username", "display_name", "email", "is_active", "is_staff")
    inlines = [MembershipInline]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "industry", "region_code")
    list_filter = ("industry",)
    search_fields = ("name", "name_en", "credit_code")


@admin.register(VerifierBody)
class VerifierBodyAdmin(admin.ModelAdmin):
    list_display = ("name", "accreditation_number", "accredited_from", "accredited_until")
    filter_horizontal = ("scope",)


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ("name", "region_codes")
    filter_horizontal = ("industries",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "enterprise", "verifier_body", "authority")
    list_filter = ("role",)
