"""The site's sitemaps share this base: addresses start with ``SITE_URL`` when it is set.

Else they start with the request's scheme and host (``infrastructure/site_url.py``).
Each app lists its own pages (``<app>/sitemaps.py``); the root URLs put them
together into sitemap.xml.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap


class Sitemap(DjangoSitemap):
    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)
