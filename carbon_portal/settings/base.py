"""Settings shared by every environment.

Sections follow cookiecutter-django's order: paths and environment, core, apps,
middleware, database, caches, auth, i18n, static and media, templates, third-party apps
(Wagtail, REST framework, Celery, MQTT), then the portal's own settings.
Every value that differs between machines comes from an environment variable, read here and
in the other settings modules only, with ``env`` (django-environ); the code reads
``django.conf.settings``. README "Configuration" lists the variables.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class Env(environ.Env):
    """django-environ, with a value taken as written: never as a ``$OTHER_VARIABLE`` reference
    (a generated secret key may begin with "$"), and only 1/true/yes/on as true."""

    BOOLEAN_TRUE_STRINGS = ("1", "true", "yes", "on")

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        value = self.ENVIRON.get(f"{self.prefix}{var}")
        if isinstance(value, str) and value.startswith("$"):
            return self.parse_value(value, cast or str)
        return super().get_value(var, cast=cast, default=default, parse_default=parse_default)


env = Env()

# --- Paths and environment -------------------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The embedded SQLite database and uploaded files live here; it is made when first needed
# (carbon_portal/db/sqlite3, FileSystemStorage), never on importing the settings.
VAR_DIR = Path(env.str("CARBON_PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

# --- Core ---------------------------------------------------------------------------------
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = [host for host in env.list("DJANGO_ALLOWED_HOSTS", cast=str.strip,
                                           default=["127.0.0.1", "localhost"]) if host]
CSRF_TRUSTED_ORIGINS = [origin for origin in env.list("DJANGO_CSRF_TRUSTED_ORIGINS", cast=str.strip, default=[])
                        if origin]
ROOT_URLCONF = "carbon_portal.urls"
WSGI_APPLICATION = "carbon_portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

# --- Applications ---------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "guardian",
    "rest_framework",
    "knox",  # hashed, expiring API tokens (carbon_portal/api/authentication.py)
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes (carbon_portal/accounts/mfa.py)
    "axes",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]
LOCAL_APPS = [
    "carbon_portal.core",
    "carbon_portal.accounts",
    "carbon_portal.security",
    "carbon_portal.api",
    "carbon_portal.site",
    "inventories",
    "workflows",
    "ingestion",
    "certificates",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# --- Middleware ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "carbon_portal.site.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "carbon_portal.accounts.sessions.SessionIdleTimeoutMiddleware",
    "carbon_portal.api.idempotency.IdempotencyKeyMiddleware",  # Idempotency-Key on /api/ writes
    "carbon_portal.security.middleware.SecurityEventMiddleware",
    "carbon_portal.accounts.throttling.LoginThrottleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "carbon_portal.accounts.middleware.RequireVerifiedMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# --- Database --------------------------------------------------------------------------------
# Embedded default: SQLite in var/. DATABASE_URL (postgres://...) switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'carbon_portal.sqlite3'}"),
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", default=60),
        # A kept connection that died while idle (the database restarted) is found before a request
        # uses it and opened again: the first request after an outage succeeds (docs/deployment.md).
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, making the database's folder (var/) when it opens the first connection.
    DATABASES["default"]["ENGINE"] = "carbon_portal.db.sqlite3"
    # Tests: the in-memory database, as Django's engine gets (pytest-django knows it by the engine's name).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# --- Caches ------------------------------------------------------------------------------------
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL.startswith("redis://"):
    # django-redis keeps one connection pool per process and one client on it.
    # Short socket timeouts: a cache that does not answer costs a request a second at most.
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": CACHE_URL,
                          "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The API's read cache keeps answers in each process ("api_reads") under a data generation that
# must be shared by every serving process: the default cache (carbon_portal/api/read_cache.py).
CACHES["api_reads"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-reads",
                       "OPTIONS": {"MAX_ENTRIES": 5000}}
API_READ_CACHE_SECONDS = env.int("API_READ_CACHE_SECONDS", default=30 if CACHE_URL else 0)
# Redis down: degrade, never fail. Its errors are bypassed (a read finds nothing, a write is
# dropped) and logged once a minute at most (carbon_portal/core/cache_health.py, LOGGING below).
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "carbon_portal.cache"

# --- Authentication ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:dashboard"
LOGOUT_REDIRECT_URL = "/"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row
GUARDIAN_RAISE_403 = False

# Login throttling (django-axes): lock a username+address after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
# A lock is always on a username AND an address, never on the username alone (anyone could then
# lock anyone out); the address is the real client's, behind the trusted proxies (TRUSTED_PROXIES).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "carbon_portal.security.addresses.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "carbon_portal.accounts.views.locked_out"
OTP_TOTP_ISSUER = "Carbon Portal"
# Second factor (carbon_portal/accounts/mfa.py): on for every user with MFA_REQUIRED_FOR_ALL_ROLES
# (else for administrators, verifiers, government users and enterprises that require it); a
# user sets up an authenticator only with an enrolment code from an administrator.
MFA_REQUIRED_FOR_ALL_ROLES = env.bool("MFA_REQUIRED_FOR_ALL_ROLES", default=False)
MFA_ENROLMENT_CODE_HOURS = env.int("MFA_ENROLMENT_CODE_HOURS", default=24)
# An invitation to join an organisation (carbon_portal/accounts/invitations.py) works this many days.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
# Wagtail's and Django admin's login pages send to the portal's two-step one (carbon_portal/urls.py);
# one password reset, the portal's.
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Rate limits per client address and per account ("<count>/<second|minute|hour|day>"; empty: off),
# counted in the default cache (carbon_portal/core/rate_limit.py): 429 with Retry-After beyond them.
THROTTLE_LOGIN_RATE = env.str("THROTTLE_LOGIN_RATE", default="20/min")  # portal sign-in posts, per address
THROTTLE_TOKEN_RATE = env.str("THROTTLE_TOKEN_RATE", default="10/min")  # POST /api/v1/auth/token, per address
THROTTLE_WRITE_RATE = env.str("THROTTLE_WRITE_RATE", default="600/min")  # API writes, per user
THROTTLE_DEVICE_RATE = env.str("THROTTLE_DEVICE_RATE", default="1200/min")  # API writes, per device key
# Sessions (carbon_portal/accounts/sessions.py): signed out after this long without a request, and
# at the latest SESSION_COOKIE_AGE after signing in.
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
# Certify, label revocation and user administration want a password (and second factor) given
# within this many minutes (carbon_portal/accounts/reauth.py; the API: carbon_portal/api/reauth.py).
REAUTH_MAX_AGE_MINUTES = env.int("REAUTH_MAX_AGE_MINUTES", default=10)
# Who approves an enterprise's application to join (carbon_portal/accounts/applications.py): "admin",
# the platform administrators; "government", also the government users whose authority covers
# the enterprise's region.
ENTERPRISE_APPROVAL_BY = env.str("ENTERPRISE_APPROVAL_BY", default="admin").strip().lower()
if ENTERPRISE_APPROVAL_BY not in {"admin", "government"}:
    raise ImproperlyConfigured("ENTERPRISE_APPROVAL_BY is \"admin\" or \"government\".")

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Templates ---------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    }
]

# --- Wagtail -------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Carbon Portal"
WAGTAILADMIN_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- REST framework ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "carbon_portal.api.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["carbon_portal.api.permissions.IsAuthenticatedWithMfa"],
    # Writes only, per user and per device key (THROTTLE_WRITE_RATE, THROTTLE_DEVICE_RATE); reads are free.
    "DEFAULT_THROTTLE_CLASSES": ["carbon_portal.api.throttling.UserWriteThrottle",
                                 "carbon_portal.api.throttling.DeviceWriteThrottle"],
    "EXCEPTION_HANDLER": "carbon_portal.api.errors.exception_handler",
    # JSON with a depth limit and no control characters in any string (carbon_portal/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["carbon_portal.api.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Carbon Portal API",
    "DESCRIPTION": "GHG inventories, meter readings and carbon labels (docs/interfaces.md §4).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc served from this portal, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["carbon_portal.api.schema.portal_api_only"],  # not Wagtail's admin API
    # drf-spectacular's default (enums as components), then the shared error answers of every operation.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "carbon_portal.api.schema.shared_error_responses"],
}
# The schema and its docs (/api/v1/schema/, /api/v1/docs/): public, or for signed-in users only (the
# default in production).
API_SCHEMA_PUBLIC = env.bool("API_SCHEMA_PUBLIC", default=True)
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["carbon_portal.api.permissions.SchemaAccess"]
# API tokens (django-rest-knox): only a hash is stored; each expires this many days after issue.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTH_HEADER_PREFIX": "Token",  # CONTRACTS.md §4: Authorization: Token <token>
    "AUTO_REFRESH": False,
}

# --- Celery --------------------------------------------------------------------------------------
# Without a broker, tasks run in-process (embedded default); CELERY_BROKER_URL switches to
# Redis or RabbitMQ and real workers.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ROUTES = {
    "ingestion.tasks.readings_partitions": {"queue": "maintenance"},  # as the tables' owner (docs/deployment.md)
    "ingestion.tasks.*": {"queue": "ocr"},
    "certificates.tasks.*": {"queue": "documents"},
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = TIME_ZONE
# `celery -A carbon_portal beat`: the outbox sweep (carbon_portal/core/outbox.py, docs/deployment.md).
CELERY_BEAT_SCHEDULE = {
    "deliver-outbox": {"task": "carbon_portal.core.tasks.deliver_outbox", "schedule": 60.0},
}

# --- MQTT meter feeds ------------------------------------------------------------------------------
MQTT_URL = env.str("MQTT_URL", default="mqtt://127.0.0.1:1883")

# --- Logging -------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"once_per_minute": {"()": "carbon_portal.core.cache_health.OncePerMinute"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                "carbon_portal.cache": {"filters": ["once_per_minute"]}},
}

# --- Carbon Portal -------------------------------------------------------------------------------
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL
# Identifier prefix of the labels this portal issues as an enterprise node (docs/reference.md).
LABEL_IDENTIFIER_PREFIX = env.str("LABEL_IDENTIFIER_PREFIX", default="88.888.8888")
# Labels (docs/labels.md); unset or empty: the default of certificates/conf.py.
LABEL_VALIDITY_DAYS = env.int("LABEL_VALIDITY_DAYS", default=None)
LABEL_CACHE_SECONDS = env.int("LABEL_CACHE_SECONDS", default=None)
INDUSTRY_BASELINE_MIN_INVENTORIES = env.int("INDUSTRY_BASELINE_MIN_INVENTORIES", default=None)
LABEL_KEY_ENCRYPTION_SECRET = env.str("LABEL_KEY_ENCRYPTION_SECRET", default="")  # empty: SECRET_KEY
# A signing key kept outside the database: its PEM, or the file holding it.
LABEL_SIGNING_PRIVATE_KEY = env.str("LABEL_SIGNING_PRIVATE_KEY", default="")
LABEL_SIGNING_PRIVATE_KEY_FILE = env.str("LABEL_SIGNING_PRIVATE_KEY_FILE", default="")
# Evidence files are encrypted at rest with SM4; the key is 16 bytes, hex-encoded.
EVIDENCE_ENCRYPTION_KEY = env.str("EVIDENCE_ENCRYPTION_KEY", default="")
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
FACTOR_LIBRARY_FILE = BASE_DIR / "fixtures" / "factor_library.json"

# Data collection (ingestion). Evidence: limits are checked on the content, never the name.
EVIDENCE_MAX_PAGES = env.int("EVIDENCE_MAX_PAGES", default=20)
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", default=40000000)  # per image or rendered page
# Pages of a scanned invoice OCR'd at once; unset or empty: min(2, cores) (ingestion/extraction/ocr.py).
INVOICE_OCR_WORKERS = env.int("INVOICE_OCR_WORKERS", default=None)
# With a real Celery broker, the evidence API waits this long for the extraction before it
# answers 202 (pending) instead of 201 with the extraction.
INVOICE_EXTRACTION_WAIT_SECONDS = env.float("INVOICE_EXTRACTION_WAIT_SECONDS", default=30.0)
# Meter readings (docs/meter-readings.md).
READINGS_MAX_BATCH = env.int("READINGS_MAX_BATCH", default=50000)  # rows per HTTP request
READINGS_FUTURE_TOLERANCE_SECONDS = env.int("READINGS_FUTURE_TOLERANCE_SECONDS", default=300)
READINGS_GAP_FACTOR = env.int("READINGS_GAP_FACTOR", default=3)  # gap: spacing > factor x usual
READINGS_SPIKE_FACTOR = env.int("READINGS_SPIKE_FACTOR", default=10)  # spike: rate > factor x usual
# Months of readings partitions to keep attached (PostgreSQL, manage.py readings_partitions); 0 = for ever.
READINGS_RETENTION_MONTHS = env.int("READINGS_RETENTION_MONTHS", default=0)
MQTT_TOPIC_PREFIX = env.str("MQTT_TOPIC_PREFIX", default="carbon/meters")
MQTT_CLIENT_ID = env.str("MQTT_CLIENT_ID", default="carbon-portal-ingest")
MQTT_USERNAME = env.str("MQTT_USERNAME", default="")  # the subscriber's broker user (or MQTT_URL's user:password@)
MQTT_PASSWORD = env.str("MQTT_PASSWORD", default="")
MQTT_MAX_PAYLOAD_BYTES = env.int("MQTT_MAX_PAYLOAD_BYTES", default=256 * 1024)
MQTT_MAX_JSON_DEPTH = env.int("MQTT_MAX_JSON_DEPTH", default=8)
# Untrusted files (PDF/image parsing, rendering, OCR) run in a child process with these limits (ingestion/sandbox.py).
SANDBOX_CPU_SECONDS = env.int("SANDBOX_CPU_SECONDS", default=30)
SANDBOX_MEMORY_BYTES = env.int("SANDBOX_MEMORY_BYTES", default=1024 * 1024 * 1024)
SANDBOX_OUTPUT_BYTES = env.int("SANDBOX_OUTPUT_BYTES", default=64 * 1024 * 1024)
SANDBOX_WALL_SECONDS = env.int("SANDBOX_WALL_SECONDS", default=300)
# Spreadsheet imports (docs/imports.md).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200000)

# Security event log and client addresses (carbon_portal/security, docs/deployment.md).
# Addresses or networks of the reverse proxies in front of the portal, comma-separated; empty:
# only the connection's own address counts (X-Forwarded-For is ignored).
TRUSTED_PROXIES = [proxy for proxy in env.list("TRUSTED_PROXIES", cast=str.strip, default=[]) if proxy]
IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXIES else ("REMOTE_ADDR",)
SECURITY_LOG_RETENTION_DAYS = env.int("SECURITY_LOG_RETENTION_DAYS", default=365)
# Signed checkpoints of the audit trail's head, kept outside the database (workflows/checkpoints.py).
AUDIT_CHECKPOINT_KEY_FILE = Path(env.str("AUDIT_CHECKPOINT_KEY_FILE", default=str(VAR_DIR / "audit-checkpoint.key")))
AUDIT_CHECKPOINT_FILE = Path(env.str("AUDIT_CHECKPOINT_FILE", default=str(VAR_DIR / "audit-checkpoints.jsonl")))
