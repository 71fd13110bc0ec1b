"""Settings for the load test (benchmarks/bench_load.py): production's, served over plain HTTP on 127.0.0.1.

Everything that decides how fast a request is stays as a deployment has it: DEBUG off, the real password
hasher, two-step verification required for staff, brokers and providers, sessions in the database, sign-in
throttling on. Only what needs TLS or a real domain differs: no HTTPS redirect and no Secure cookies (the
load generator speaks HTTP to gunicorn on localhost, as a reverse proxy would), a fixed secret key (the
benchmark's database is thrown away after the run), and WhiteNoise without the manifest, so that no
``collectstatic`` is needed (the load test fetches pages, not their CSS).

The benchmark sets DATABASE_URL to its own throwaway database, and MEDIA_ROOT and PRIVATE_MEDIA_ROOT to a
temporary directory.
"""

from .base import *  # noqa: F403
from .base import LOGGING

DEBUG = False
SECRET_KEY = "bench-only-insecure-key-the-database-is-thrown-away-after-the-run"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_URL = "http://127.0.0.1"
WAGTAILADMIN_BASE_URL = SITE_URL
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MFA_REQUIRED = True
# No mail server on the load-test machine: each email is built in full, as for SMTP, then dropped.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Requests are logged by the load generator; the site's own log keeps warnings and errors only.
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
