"""System checks of the project's own settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """A site that answers any host name should say which one its links name."""
    if settings.SITE_URL:
        return []
    open_ended = [host for host in settings.ALLOWED_HOSTS if host == "*" or host.startswith(".")]
    if not open_ended:
        return []
    return [
        checks.Warning(
            f"SITE_URL is not set and ALLOWED_HOSTS accepts any name matching {open_ended}: "
            "absolute URLs (sitemap, calendars, exports) follow each request's Host, and "
            "the page cache keeps a copy of every page per host name.",
            hint="Set SITE_URL to the site's address, e.g. https://conference.example.org.",
            id="conference.W001",
        )
    ]
