from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_menu_item")
def register_portal_menu_item():
    return MenuItem(_("Carbon Portal"), reverse("site:dashboard"), icon_name="site", order=10000)


@hooks.register("register_admin_menu_item")
def register_django_admin_menu_item():
    return MenuItem(_("Data administration"), reverse("admin:index"), icon_name="cogs", order=10001)
