"""The test settings with the services as configured in production, for the fault tests'
subprocesses (DJANGO_SETTINGS_MODULE=tests.faults.service_settings): settings/test.py turns off
what the in-process suite cannot use, the read cache (its writes are never committed) and real
Celery workers (tasks run eagerly); here the environment decides, as in settings/base.py."""

from carbon_portal.settings.base import env
from carbon_portal.settings.test import *
from carbon_portal.settings.test import CACHE_URL, CELERY_BROKER_URL

API_READ_CACHE_SECONDS = env.int("API_READ_CACHE_SECONDS", default=30 if CACHE_URL else 0)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
