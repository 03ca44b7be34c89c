"""Project settings, read from the environment.

Every value that differs between a laptop and a production host comes from an
environment variable (or a ``.env`` file beside ``manage.py``), parsed by
django-environ. Without any of them the project runs on SQLite with a
local-memory cache and prints email to the console; DEBUG stays off unless it
is asked for, and with DEBUG off a real ``SECRET_KEY`` is required.
"""

import datetime
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from infrastructure.client_address import trusted_proxies
from infrastructure.site_url import checked_site_url

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEVELOPMENT_SECRET_KEY = "development-only-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (or run with DEBUG=true "
        "for a development key)."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "conference.apps.ConferenceAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "sesame",
    "simple_history",
    "mailer",
    "bootstrap",
    "infrastructure",
    "conference",
    "speakers",
    "schedule",
    "proposals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files (SVG images too) carry the policy.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages already rendered are served from here, before the layers
    # below that only signed-in people need (infrastructure/page_cache/).
    "infrastructure.page_cache.CachedPageMiddleware",
    # The API's public lists, likewise, once the anonymous rate has counted the read.
    "api.middleware.CachedApiListMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The same choice of language as the page cache's key makes (serving.py).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out sign-in stops before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]

ROOT_URLCONF = "conference.urls"

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
                "conference.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "conference.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default stays usable while an import writes: in WAL mode
    # readers never wait for the writer (in the default journal mode a long
    # import's lock turned uncached pages into 503s after the 5 s timeout);
    # writers queue for up to 20 s (below gunicorn's 30) rather than failing,
    # and take the write lock when their transaction begins (IMMEDIATE), so a
    # save that reads first cannot find its snapshot stale and fail at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=wal;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Without CACHE_URL the cache is a folder of files that every process of this
# checkout shares (runserver, gunicorn's workers, manage.py commands), so an
# edit made by any of them shows on the next request to all; a cache private
# to each process (locmemcache://) would keep showing pages from before it.
CACHE_DIR = env.path("CACHE_DIR", default=BASE_DIR / ".cache" / "pages")
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{CACHE_DIR}")}
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    # Beyond this many files a third of them are dropped; pages are rendered again.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
# Each process also keeps the public pages it served last in its own memory
# (infrastructure/page_cache/): up to this many bytes, mostly gzipped pages.
PAGE_CACHE_MEMORY_BYTES = env.int("PAGE_CACHE_MEMORY_BYTES", default=32 * 1024 * 1024)
# At most this many query strings (searches, "my schedule" lists) of one
# event's pages are newly stored each 10 minutes; more are rendered, not stored.
PAGE_CACHE_QUERY_VARIANTS = env.int("PAGE_CACHE_QUERY_VARIANTS", default=500)
# Renders a query string not yet stored may cost each client address in a
# minute; more are answered 429 at once (0: no bound). Generous, since one
# address can be a whole venue's network behind one router.
PAGE_CACHE_RENDERS_PER_CLIENT = env.int("PAGE_CACHE_RENDERS_PER_CLIENT", default=120)
# And every client together, in a second, across every process (0: no bound):
# what is left of the processors serves the stored pages without delay.
PAGE_CACHE_RENDERS_PER_SECOND = env.int("PAGE_CACHE_RENDERS_PER_SECOND", default=20)
# What gunicorn's master runs once before it forks its workers, after loading
# the templates (infrastructure/prefork.py): each app's warm-up, by dotted path.
PREFORK_WARM_UP = ["schedule.warm_up.render_latest_schedule"]
# Each response says in Server-Timing how much processor time it took (the benchmark's cold line).
if env.bool("SERVER_TIMING", default=False):
    MIDDLEWARE.insert(0, "infrastructure.server_timing.ServerTimingMiddleware")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="conference@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Mail a person waits for (sign-in links, invitations) goes out at once through
# EMAIL_BACKEND above. Mail that tells of a change (speakers told what a
# schedule release changed, proposals' decisions and states) waits in the database instead, in
# django-mailer's outbox, until `manage.py send_mail` (deploy/conference-mail.timer)
# hands it to the same backend: an SMTP server that is down defers it there,
# and `manage.py retry_deferred` puts it back in line, so nothing is lost.
MAILER_EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
# send_mail holds a lock file so that two runs (cron's, a person's) never send
# one message twice; the app's own directory is read-only under systemd.
MAILER_LOCK_PATH = env.str(
    "MAILER_LOCK_PATH", default=str(Path(tempfile.gettempdir()) / "conference-send_mail")
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The interface's languages: a visitor gets the one their browser asks for
# (Accept-Language), or the one they chose with the switcher on every page
# (remembered in a cookie). Catalogs: locale/<code>/LC_MESSAGES/django.po,
# compiled by `manage.py compile_catalogs` (make setup and make test run it).
# Imported content (titles, abstracts) is shown as written.
LANGUAGES = [
    ("en-gb", "English"),
    ("es", "Español"),
    ("de", "Deutsch"),
    ("fr", "Français"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The server's zone only matters for log lines; every page converts times into
# its event's own zone.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Serve uploads (speakers' photos) from Django; turn off where a web server does.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "accounts:login"

# Speaker invitations: single-use sign-in links (django-sesame) that expire.
SPEAKER_INVITATION_DAYS = env.int("SPEAKER_INVITATION_DAYS", default=7)
SESAME_MAX_AGE = SPEAKER_INVITATION_DAYS * 24 * 60 * 60
SESAME_ONE_TIME = True
SESAME_TOKEN_NAME = "token"

# Repeated failed sign-ins (django-axes): five tries per account and address,
# then a pause.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "speakers/accounts/locked_out.html"
AXES_VERBOSE = False
# The proxies in front of the site, as for gunicorn (deploy/gunicorn.conf.py
# reads the same variable): only from these peers is X-Forwarded-For believed
# to name the browser, whose address sign-in throttling counts per account.
FORWARDED_ALLOW_IPS = [
    proxy.strip() for proxy in env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])
]
trusted_proxies(FORWARDED_ALLOW_IPS)  # refuses to start on an entry that is no address
AXES_CLIENT_IP_CALLABLE = "infrastructure.client_address.client_ip_address"
# Bad invitation links must never block a valid one: they are not counted.
AXES_WHITELIST_CALLABLE = "speakers.throttling.is_invitation_link"

SPEAKER_PHOTO_MAX_BYTES = env.int("SPEAKER_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)

SITE_NAME = env.str("SITE_NAME", default="Conference")
# The address absolute URLs start with (sitemap, calendars, exports, links in
# emails), e.g. https://conference.example.org; unset, each request's own
# scheme and host (infrastructure/site_url.py).
SITE_URL = checked_site_url(env.str("SITE_URL", default=""))

# Production hardening: on whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# ---------------------------------------------------------------------------
# Deployment: storage and the application server (deploy/, make serve, make
# bench). Kept apart so that the rest of this file stays what it was.
# ---------------------------------------------------------------------------

# Where collectstatic writes, and nginx serves /static/ from.
STATIC_ROOT = env.path("STATIC_ROOT", default=STATIC_ROOT)

# Uploads (speakers' photos) go to an S3-compatible bucket when
# AWS_STORAGE_BUCKET_NAME is set, so that several app servers share them; the
# file system (MEDIA_ROOT) otherwise. Credentials are not settings: boto3
# reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment (or
# an instance role). Files are public and unsigned: pages are cached, and a
# signed URL in a cached page would expire before the page does. Their names
# are random and never reused, so they may be cached for a year.
# settings_testing replaces the whole STORAGES, so tests keep InMemoryStorage.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # For a provider other than AWS (MinIO, Ceph, Scaleway, ...).
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # A CDN or bucket domain to build the files' URLs with.
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "location": env.str("AWS_LOCATION", default="media"),
            "querystring_auth": False,
            "default_acl": env.str("AWS_DEFAULT_ACL", default="") or None,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

# Redis through Django's own backend (with one client per connection pool,
# infrastructure/cache.py), whatever else is installed: for a redis:// CACHE_URL
# django-environ picks django-redis instead whenever that package is
# importable, and its options differ.
_REDIS_CACHE_SCHEMES = ("redis://", "rediss://", "rediscache://")
if env.str("CACHE_URL", default="").startswith(_REDIS_CACHE_SCHEMES):
    CACHES = {"default": env.cache_url("CACHE_URL", backend="infrastructure.cache.RedisCache")}
    # A Redis that hangs (a dead host, a cut network) must not hold a request
    # for long: the page cache then renders without it (infrastructure/page_cache/
    # shared.py). ``?socket_timeout=…`` in CACHE_URL overrides these seconds.
    # django-environ upper-cases the URL's options for any backend but
    # Django's own; this one takes redis-py's lower-case names as Django's does.
    _redis_options = {
        name.lower(): value for name, value in CACHES["default"].get("OPTIONS", {}).items()
    }
    CACHES["default"]["OPTIONS"] = _redis_options
    _redis_options.setdefault("socket_connect_timeout", 0.5)
    _redis_options.setdefault("socket_timeout", 0.5)

# Nothing a person does depends on the cache, which may go away: sessions and
# the failed sign-ins counted by django-axes live in the database (as these
# packages do by default; said here so that nobody moves them unawares).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# ---------------------------------------------------------------------------
# Content-Security-Policy (django-csp, with its middleware in MIDDLEWARE):
# what a page may load and run. Tests: tests/conference/test_security_headers.py
# and tests/browser/test_hostile_input.py.
# ---------------------------------------------------------------------------

# Scripts come only from the site's own files (static/js/, the admin's):
# no inline script, event-handler attribute or javascript: URL runs, so text
# that ever slipped past escaping still could not act. Styles may be inline:
# style attributes carry the schedule's grid positions and track colours.
# data: images are the icons Bootstrap draws in its CSS. Nothing is
# excluded: Django 5.2's admin loads every script from a file (settings ride
# in data- attributes) and the schedule board's is static/js/board.js.
# Not done yet: with AWS_STORAGE_BUCKET_NAME set, speakers' photos come from
# the bucket's (or AWS_S3_CUSTOM_DOMAIN's) origin, which img-src must then
# name, or browsers refuse to show them.
INSTALLED_APPS = [*INSTALLED_APPS, "csp"]  # for its checks of this setting
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The API (api/): Django REST framework, its OpenAPI schema and the docs' own static files.
INSTALLED_APPS = [*INSTALLED_APPS, "rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]
INSTALLED_APPS = [*INSTALLED_APPS, "api"]
from api.conf import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402, F401

# Requests per client and period (DRF's "120/minute"): per address without a
# token, per account with one; empty, no limit (the benchmark's one address).
REST_FRAMEWORK = REST_FRAMEWORK | {
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env.str("API_ANONYMOUS_RATE", default="120/minute") or None,
        "token": env.str("API_TOKEN_RATE", default="600/minute") or None,
    }
}
