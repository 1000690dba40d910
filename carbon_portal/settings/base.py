"""Settings shared by every environment.

Sections follow cookiecutter-django's order: paths and environment, core, apps,
middleware, database, caches, auth, i18n, static and media, templates, third-party apps
(Wagtail, REST framework, Celery, MQTT), then the portal's own settings.
Every value that differs between machines comes from an environment variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

# --- Paths and environment -------------------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CARBON_PORTAL_VAR_DIR", BASE_DIR / "var"))
# The embedded SQLite database and uploaded files live here; a fresh clone has no such folder yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core ---------------------------------------------------------------------------------
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
    "carbon_portal.accounts",
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
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'carbon_portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# --- Caches ------------------------------------------------------------------------------------
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("redis://"):
    CACHES = {"default": {"BACKEND": "carbon_portal.redis_cache.KeptClientRedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The API's read cache keeps answers in each process ("api_reads") under a data generation that
# must be shared by every serving process: the default cache (carbon_portal/api/read_cache.py).
CACHES["api_reads"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-reads",
                       "OPTIONS": {"MAX_ENTRIES": 5000}}
API_READ_CACHE_SECONDS = int(os.environ.get("API_READ_CACHE_SECONDS", "30" if CACHE_URL else "0"))

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
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "carbon_portal.accounts.views.locked_out"
OTP_TOTP_ISSUER = "Carbon Portal"

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
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
WAGTAILADMIN_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- REST framework ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "carbon_portal.api.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Carbon Portal API",
    "DESCRIPTION": "GHG inventories, meter readings and carbon labels (CONTRACTS.md §4).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc served from this portal, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery --------------------------------------------------------------------------------------
# Without a broker, tasks run in-process (embedded default); CELERY_BROKER_URL switches to
# Redis or RabbitMQ and real workers.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ROUTES = {
    "ingestion.tasks.*": {"queue": "ocr"},
    "inventories.tasks.*": {"queue": "calculation"},
    "certificates.tasks.*": {"queue": "documents"},
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = TIME_ZONE

# --- MQTT meter feeds ------------------------------------------------------------------------------
MQTT_URL = os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883")

# --- Logging -------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Carbon Portal -------------------------------------------------------------------------------
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL
# Identifier prefix of the labels this portal issues as an enterprise node (REFERENCE.md).
LABEL_IDENTIFIER_PREFIX = os.environ.get("LABEL_IDENTIFIER_PREFIX", "88.888.8888")
# Evidence files are encrypted at rest with SM4; the key is 16 bytes, hex-encoded.
EVIDENCE_ENCRYPTION_KEY = os.environ.get("EVIDENCE_ENCRYPTION_KEY", "")
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
FACTOR_LIBRARY_FILE = BASE_DIR / "fixtures" / "factor_library.json"

# Data collection (ingestion). Evidence: limits are checked on the content, never the name.
EVIDENCE_MAX_PAGES = int(os.environ.get("EVIDENCE_MAX_PAGES", "20"))
EVIDENCE_MAX_PIXELS = int(os.environ.get("EVIDENCE_MAX_PIXELS", "40000000"))  # per image or rendered page
# With a real Celery broker, the evidence API waits this long for the extraction before it
# answers 202 (pending) instead of 201 with the extraction.
INVOICE_EXTRACTION_WAIT_SECONDS = float(os.environ.get("INVOICE_EXTRACTION_WAIT_SECONDS", "30"))
# Meter readings (docs/meter-readings.md).
READINGS_MAX_BATCH = int(os.environ.get("READINGS_MAX_BATCH", "50000"))  # rows per HTTP request
READINGS_FUTURE_TOLERANCE_SECONDS = int(os.environ.get("READINGS_FUTURE_TOLERANCE_SECONDS", "300"))
READINGS_GAP_FACTOR = int(os.environ.get("READINGS_GAP_FACTOR", "3"))  # gap: spacing > factor x usual
READINGS_SPIKE_FACTOR = int(os.environ.get("READINGS_SPIKE_FACTOR", "10"))  # spike: rate > factor x usual
MQTT_TOPIC_PREFIX = os.environ.get("MQTT_TOPIC_PREFIX", "carbon/meters")
MQTT_CLIENT_ID = os.environ.get("MQTT_CLIENT_ID", "carbon-portal-ingest")
# Spreadsheet imports (docs/imports.md).
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
