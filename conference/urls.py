"""The project's root URLs.

Everything of one event lives under ``/<event>/``; the slugs that would
shadow the site's own paths are refused by the Event model.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from conference import offline, views
from conference.sitemaps import EventPagesSitemap
from infrastructure.page_cache import cached_page
from schedule.sitemaps import TalkSitemap
from speakers.sitemaps import SpeakerSitemap

SITEMAPS = {
    "events": EventPagesSitemap,
    "talks": TalkSitemap,
    "speakers": SpeakerSitemap,
}

urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path(
        "sitemap.xml",
        # ``p``: the page of a sitemap long enough to be split.
        cached_page(sitemap, params=["p"]),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    # At the root: a service worker controls only the pages under its own path.
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.web_manifest, name="web_manifest"),
    # Django's own view, without its CSRF check: the switcher's form is on
    # public pages that every visitor is served one stored copy of, which can
    # hold no visitor's token; all a forged request can do is change a
    # visitor's language, and ``next`` is checked to stay on this site.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/tokens/", include("api.account_urls")),
    path("accounts/", include("speakers.account_urls")),
    path("api/", include("api.urls")),
    path("", include("proposals.urls")),
    *(
        [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.media_file, name="media")]
        if settings.SERVE_MEDIA
        else []
    ),
    path("<slug:event_slug>/", cached_page(views.event_detail), name="event_detail"),
    path("<slug:event_slug>/now/", cached_page(views.event_now), name="event_now"),
    path("<slug:event_slug>/", include("schedule.urls")),
    path("<slug:event_slug>/speakers/", include("speakers.urls")),
]

handler404 = "conference.views.page_not_found"
handler500 = "conference.views.server_error"
