"""Embedded default: SQLite and in-process Celery, for one command on any machine."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# PostgreSQL enforces the NULLS NOT DISTINCT constraints; on SQLite the services check instead.
SILENCED_SYSTEM_CHECKS = ["models.W047"]
