"""System checks of certification settings."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def label_cache_is_shared(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith("LocMemCache"):
        return [Warning(
            "The label resolution cache is per process (LocMemCache): with several web processes a status change "
            "reaches the others only after LABEL_CACHE_SECONDS.",
            hint="Set CACHE_URL=redis://... so that every process sees a revocation at once.",
            id="certificates.W001",
        )]
    return []
