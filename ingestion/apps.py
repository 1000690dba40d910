from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestionConfig(AppConfig):
    name = "ingestion"
    verbose_name = _("Data collection")

    def ready(self):
        from . import checks, receivers  # noqa: F401  (checks registers the system checks)

        receivers.connect()
