"""Settings for the test suite: the database comes from DATABASE_URL (SQLite when unset)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
NOTIFICATIONS_BACKEND = "email"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "notifications", "search"],
    }
}
_FILES = Path(tempfile.gettempdir()) / "support-exchange-tests"
MEDIA_ROOT = _FILES / "media"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": _FILES / "private"}},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = "http://testserver"
# The suite signs people in with a password alone; accounts/tests/test_mfa*.py turn two-step
# verification on with override_settings(MFA_REQUIRED=True).
MFA_REQUIRED = False
