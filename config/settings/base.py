"""Settings shared by every environment.

Every environment variable is read here, once, through the typed helpers in ``config.env``; the
environment modules (dev, test, production) only adjust what follows from them.
"""

import re
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from config.env import ImproperEnvironment, env_bool, env_choice, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- Environment ------------------------------------------------------------------------------
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SEARCH_BACKEND = env_choice("SEARCH_BACKEND", "database", ("database", "elasticsearch"))
# The Elasticsearch backend (docs/deployment.md); ELASTICSEARCH_URL empty means no cluster is configured.
ELASTICSEARCH_URL = env_url("ELASTICSEARCH_URL", "")
ELASTICSEARCH_USERNAME = env_str("ELASTICSEARCH_USERNAME", "")
ELASTICSEARCH_PASSWORD = env_str("ELASTICSEARCH_PASSWORD", "")
ELASTICSEARCH_API_KEY = env_str("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_CA_CERTS = env_str("ELASTICSEARCH_CA_CERTS", "")
ELASTICSEARCH_VERIFY_CERTS = env_bool("ELASTICSEARCH_VERIFY_CERTS", True)
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "support-exchange-offers")
ELASTICSEARCH_SHARDS = env_int("ELASTICSEARCH_SHARDS", 1, minimum=1)
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", 1, minimum=0)
ELASTICSEARCH_TIMEOUT_SECONDS = env_int("ELASTICSEARCH_TIMEOUT_SECONDS", 10, minimum=1)
if SEARCH_BACKEND == "elasticsearch" and not ELASTICSEARCH_URL:
    raise ImproperEnvironment("ELASTICSEARCH_URL must be set when SEARCH_BACKEND is elasticsearch")
# Stripe, for a single-council deployment; each council may set its own keys (marketplace PaymentSettings).
# Empty STRIPE_SECRET_KEY with no council keys means every payment goes by payment file.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env_url("STRIPE_API_BASE", "https://api.stripe.com")
TASKS_BACKEND = env_choice("TASKS_BACKEND", "immediate", ("immediate", "database"))
NOTIFICATIONS_BACKEND = env_choice("NOTIFICATIONS_BACKEND", "email", ("email", "notify"))
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = env_url("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_EMAIL_TEMPLATE_ID = env_str("NOTIFY_EMAIL_TEMPLATE_ID", "")
NOTIFY_SMS_TEMPLATE_ID = env_str("NOTIFY_SMS_TEMPLATE_ID", "")
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Support Exchange <no-reply@support-exchange.localhost>")
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# Two-step verification (docs/sign-in.md): staff, brokers, providers and PAs must set up an authenticator
# app before any other page; families may choose to. False lets everyone in with a password alone.
MFA_REQUIRED = env_bool("MFA_REQUIRED", True)
# Working days (Monday to Friday, not bank holidays) a provider has to respond to a complaint before it
# goes to the council; 20 working days is the usual council complaints timescale (docs/reviews-and-complaints.md).
COMPLAINT_RESPONSE_WORKING_DAYS = env_int("COMPLAINT_RESPONSE_WORKING_DAYS", 20, minimum=1)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
# An open PA advert with no reply after this many days becomes a demand signal (docs/pa-recruitment.md).
PA_ADVERT_NO_REPLY_DAYS = env_int("PA_ADVERT_NO_REPLY_DAYS", 14, minimum=1)
# A provider line of an approved plan with no live order this many days after approval is a demand signal
# (docs/market-insights.md, supply against demand).
PLAN_LINE_UNORDERED_DAYS = env_int("PLAN_LINE_UNORDERED_DAYS", 28, minimum=1)
# The CMS section holding the employer's guides for families taking on a PA; each checklist item links
# to a page under it (marketplace.pa_advert_selectors.CHECKLIST_GUIDES names the slugs).
PA_EMPLOYER_GUIDANCE_PATH = env_str("PA_EMPLOYER_GUIDANCE_PATH", "/for-families/employing-a-personal-assistant/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))

# --- Applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    # Ours, lowest layer first (see docs/architecture in ARCHITECTURE.md).
    "accounts",
    "providers",
    "search",
    "brokerage",
    "marketplace",
    "cms",
    "demo",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
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
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Third party
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "csp",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.ActingMembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user, their verified device and their memberships are known: sends a signed-in user to
    # the security code step or to set up an authenticator app before any other page.
    "accounts.mfa.middleware.TwoStepVerificationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.AdminContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes must come last: it turns a locked-out sign-in into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "accounts.context_processors.navigation",
                "marketplace.context_processors.shortlist",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day: long enough for an invitation email to be read

# Sessions end after a period of inactivity: every request renews the cookie's lifetime.
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Login throttling: lock a username on one address after repeated failures.
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-step verification (django-otp). Each wrong security code doubles the wait before the next try
# (1, 2, 4 ... seconds) on that device; the issuer names the service in the user's authenticator app.
OTP_TOTP_ISSUER = "Support Exchange"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The Django admin never shows an authenticator key or its QR code (anyone reading it could make the codes).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Find-support map ------------------------------------------------------------------------
# Background tiles for the results map (docs/find-support.md). An empty MAP_TILE_URL draws the map
# without tiles; the list of results is the page's content either way.
MAP_TILE_URL = env_url("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


def _tile_source(url: str) -> list[str]:
    """The tile server's origin for img-src; a subdomain placeholder ({s}.tile.example) becomes a wildcard."""
    if not url:
        return []
    parsed = urlparse(url)
    host = re.sub(r"\{[a-z]\}", "*", parsed.netloc)
    return [f"{parsed.scheme}://{host}"]


# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_source(MAP_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail and Django admin interfaces rely on inline scripts and styles; they get a looser
# policy of their own (accounts.middleware.AdminContentSecurityPolicyMiddleware).
ADMIN_URL_PREFIXES = ("/cms-admin/", "/admin/")

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static_build"]
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Provider uploads (certificates, evidence, photos) are never given a public URL: they are served
    # only through views that check permission.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email and notifications ------------------------------------------------------------------
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default", "notifications", "search"],
    }
}

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Support Exchange"
WAGTAILADMIN_BASE_URL = SITE_URL
# The Wagtail admin's sign-in is the site's one sign-in page, with its rules (config/admin_sign_in.py).
WAGTAILADMIN_LOGIN_URL = "wagtail-admin-sign-in"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAIL_I18N_ENABLED = False

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Support Exchange API",
    "DESCRIPTION": "The JSON API of Support Exchange. The open directory follows Open Referral UK at /api/oruk/.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["config.api.only_project_api"],
}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # weasyprint reports every step of every PDF (and of parsing its own stylesheets on import) at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
