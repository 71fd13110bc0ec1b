"""Settings for a deployment: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL are required."""

from config.env import ImproperEnvironment

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, SECURE_HSTS_SECONDS, STORAGES

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperEnvironment("DJANGO_SECRET_KEY must be set to a random value of at least 50 characters")
if not ALLOWED_HOSTS:
    raise ImproperEnvironment("DJANGO_ALLOWED_HOSTS must list the host names the site is served on")

DEBUG = False
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = SECURE_HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
