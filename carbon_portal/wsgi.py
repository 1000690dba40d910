import os

from django.core.wsgi import get_wsgi_application

from carbon_portal.startup import freeze_loaded_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbon_portal.settings.embedded")
application = get_wsgi_application()


def _load_urls_and_freeze() -> None:
    """Load the URLs and every view now, then keep it all out of the garbage collector's sight."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    freeze_loaded_objects()


_load_urls_and_freeze()
