"""sitemap.xml's speakers: a speaker's page at every event where they have a visible talk."""

from django.db.models import Max
from django.urls import reverse

from infrastructure.sitemaps import Sitemap
from speakers.models import Speaker
from speakers.selectors import visible_talks


class SpeakerSitemap(Sitemap):
    """A speaker's page at every event where they have a visible talk, once per event."""

    def items(self):
        # ``values()`` reuses the join ``filter()`` made: each row is one visible talk's event.
        return (
            Speaker.objects.filter(talks__in=visible_talks())
            .values("talks__event__slug", "talks__event__start_date", "slug")
            .annotate(latest=Max("updated"))
            .order_by("-talks__event__start_date", "talks__event__slug", "slug")
        )

    def location(self, item):
        return reverse("speakers:speaker_detail", args=[item["talks__event__slug"], item["slug"]])

    def lastmod(self, item):
        return item["latest"]
