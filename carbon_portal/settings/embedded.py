"""Embedded default: SQLite and in-process Celery, for one command on any machine."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# PostgreSQL enforces the NULLS NOT DISTINCT constraints; on SQLite the services check instead.
SILENCED_SYSTEM_CHECKS = ["models.W047"]
