from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "carbon_portal.api"
    label = "portal_api"
    verbose_name = _("API")

    def ready(self):
        from .accounts import tokens

        tokens.connect()
