import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbon_portal.settings.embedded")
application = get_wsgi_application()


def _load_urls_and_freeze() -> None:
    """Load the URLs and views now, then move everything loaded so far out of the garbage
    collector's sight: a full collection otherwise walks the whole application (hundreds of
    thousands of objects that live until the process ends) and stalls every request the process
    holds for a tenth of a second or more."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()


_load_urls_and_freeze()
