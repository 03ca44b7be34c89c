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
# The cache follows CACHE_URL when it is set (CI runs the suite once on Redis,
# which conference.settings reads with Django's own backend); without it each
# test process has its own local memory. Tests empty the cache as they start,
# which on Redis flushes the whole database: give the suite one of its own.
if not os.environ.get("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Serve static files straight from the apps (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
