"""Where the site's absolute URLs start: ``SITE_URL``, else the request's own scheme and host.

Absolute URLs appear in the sitemap, the calendars, the schedule exports, the
Open Graph and canonical tags, speakers' invitation links and the links in
mails queued outside a request (``site_root_without_request``). With
``SITE_URL`` set they all name that one address, whichever host name a
request came in by. Without it each request's own is used, and the page
cache keys its pages on it (``infrastructure/page_cache/serving.py``), so a
site reached by two names never hands one name's links to the other.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def site_root(request):
    """The site's root address, ending in a slash: ``https://conference.example.org/``."""
    if settings.SITE_URL:
        return f"{settings.SITE_URL}/"
    return request.build_absolute_uri("/")


def absolute_url(request, path):
    """``path`` (starting with a slash) as an absolute URL."""
    return site_root(request) + path.removeprefix("/")


# Where `manage.py runserver` (and `make run`) serves by default.
DEVELOPMENT_SITE_ROOT = "http://127.0.0.1:8000/"


def site_root_without_request():
    """The site's root address for what no request asks for: mails a command queues.

    ``SITE_URL`` when it is set; else, in production, the first host name
    ``ALLOWED_HOSTS`` names outright (a pattern such as ``.example.org`` names
    no address, and ``manage.py check --deploy`` asks for ``SITE_URL`` then),
    over HTTPS as the site redirects to it; with ``DEBUG`` on, the
    development server's address.
    """
    if settings.SITE_URL:
        return f"{settings.SITE_URL}/"
    if not settings.DEBUG:
        for host in settings.ALLOWED_HOSTS:
            if host != "*" and not host.startswith("."):
                return f"https://{host}/"
    return DEVELOPMENT_SITE_ROOT


def checked_site_url(value):
    """``SITE_URL`` as settings keep it (no trailing slash); ImproperlyConfigured if it is wrong."""
    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"SITE_URL must be an http:// or https:// address such as "
            f"https://conference.example.org, not {value!r}"
        )
    if parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"SITE_URL names the site's root, with no path, query or fragment: {value!r}"
        )
    return value
