"""Settings for the test suite: production settings with test-only keys.

The suite runs with DEBUG off, as production does. ``DATABASE_URL`` still
decides the database, so the same suite runs on SQLite and on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key")

from conference.settings import *  # noqa: F403

# The test client speaks plain HTTP; the HTTPS redirect has its own test.
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Serve static files straight from the apps (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
