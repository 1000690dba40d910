from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "carbon_portal.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import data_generation

        data_generation.connect_signals()
