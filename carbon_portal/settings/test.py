"""Tests: the embedded default or, with DATABASE_URL etc. set, the real services."""

from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = True
EVIDENCE_ENCRYPTION_KEY = "00112233445566778899aabbccddeeff"
# Static files come from the finders in tests; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SILENCED_SYSTEM_CHECKS = ["models.W047"]
# Off unless a test turns it on (tests/api/test_read_cache.py): the suite's writes are rolled back,
# never committed, so they would never advance the data generation.
API_READ_CACHE_SECONDS = 0
