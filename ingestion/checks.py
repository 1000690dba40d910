"""System checks: evidence is never stored unencrypted, so production needs its SM4 key."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def evidence_key_check(app_configs, **kwargs):
    if settings.DEBUG and not settings.EVIDENCE_ENCRYPTION_KEY.strip():
        return []  # the embedded default derives a development key
    from .evidence.crypto import encryption_key

    try:
        encryption_key()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint="Generate one with: python -c \"import secrets; print(secrets.token_hex(16))\"",
                      id="ingestion.E001")]
    return []
