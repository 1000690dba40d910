"""Settings of certification, each with a default: a setting that is unset, None or empty (its
environment variable unset or empty, carbon_portal/settings/base.py) takes the default."""

from decimal import Decimal

from django.conf import settings


def _setting(name: str, default):
    value = getattr(settings, name, None)
    return default if value in (None, "") else value


def identifier_prefix() -> str:
    return str(_setting("LABEL_IDENTIFIER_PREFIX", "88.888.8888"))


def base_url() -> str:
    return str(_setting("PORTAL_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def validity_days() -> int:
    """How long a label is valid from its issue date."""
    return int(_setting("LABEL_VALIDITY_DAYS", 365))


def cache_seconds() -> int:
    """How long a label's resolution is cached (invalidated on every status change)."""
    return int(_setting("LABEL_CACHE_SECONDS", 300))


def baseline_min_inventories() -> int:
    """Verified inventories of an industry and year needed to compute its average (no set baseline)."""
    return int(_setting("INDUSTRY_BASELINE_MIN_INVENTORIES", 5))


def key_encryption_secret() -> str:
    """Secret from which the key that encrypts private signing keys is derived."""
    return str(_setting("LABEL_KEY_ENCRYPTION_SECRET", settings.SECRET_KEY))


def environment_private_key_pem() -> str:
    """PEM of a private signing key kept outside the database: LABEL_SIGNING_PRIVATE_KEY, or the
    file named by LABEL_SIGNING_PRIVATE_KEY_FILE."""
    pem = _setting("LABEL_SIGNING_PRIVATE_KEY", "")
    if pem:
        return str(pem)
    path = _setting("LABEL_SIGNING_PRIVATE_KEY_FILE", "")
    if path:
        with open(path, encoding="ascii") as handle:
            return handle.read()
    return ""


DECIMAL_PLACES = Decimal("0.000001")
