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
# Rate limits off: the suite signs in hundreds of times from one address; tests/api/test_throttling.py
# and tests/accounts/test_login_throttling.py turn them on.
THROTTLE_LOGIN_RATE = THROTTLE_TOKEN_RATE = THROTTLE_WRITE_RATE = THROTTLE_DEVICE_RATE = ""
