"""Settings for the test suite: production settings with test-only keys.

The suite runs with DEBUG off, as production does. ``DATABASE_URL`` still
decides the database, so the same suite runs on SQLite and on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key")


def _redis_database_per_worker():
    """Give each pytest-xdist worker a Redis database of its own.

    The suite empties its cache before every test, which on Redis is FLUSHDB:
    two workers on one database would empty each other's cache mid-test. The
    environment variable is rewritten, not only the setting, so the app
    processes a test starts share the worker's database. Worker N takes the
    configured database minus 2N (15, 13, 11, …), leaving 14 to the benchmark.
    """
    url = os.environ.get("CACHE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or not url.startswith(("redis://", "rediss://")):
        return
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) - 2 * int(worker.removeprefix("gw"))
    if database < 0:
        raise RuntimeError(f"Too many test workers for the Redis databases below {url}")
    os.environ["CACHE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))


_redis_database_per_worker()

from conference.settings import *  # noqa: E402, F403

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
# Before each request, release what tests changed, as an organiser would (tests/auto_release.py).
MIDDLEWARE = ["tests.auto_release.ReleaseBeforeEachRequest", *MIDDLEWARE]  # noqa: F405
# The outbox's sender (manage.py send_mail) delivers to the test outbox,
# django.core.mail.outbox, like every direct mail; tests run side by side, and
# the lock file of one would make another's send_mail skip its turn.
MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MAILER_USE_FILE_LOCK = False
# The site's renders per second are a bound of production's processors; tests
# render searches faster than any visitor and the bound has tests of its own.
PAGE_CACHE_RENDERS_PER_SECOND = 0
