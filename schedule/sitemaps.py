"""sitemap.xml's talks: the page of every visible talk of each current release."""

from django.urls import reverse

from infrastructure.sitemaps import Sitemap
from schedule.models import Talk


class TalkSitemap(Sitemap):
    """The page of every visible talk."""

    def items(self):
        return (
            Talk.released.current()
            .published()
            .select_related("event")
            .only("slug", "updated", "event__slug")
            .order_by("-event__start_date", "event__slug", "slug")
        )

    def location(self, talk):
        return reverse("schedule:talk_detail", args=[talk.event.slug, talk.slug])

    def lastmod(self, talk):
        return talk.updated
