"""sitemap.xml's event pages: each published event's page, schedule and speaker list.

sitemap.xml lists only what attendees may see; ``lastmod`` comes from the
``updated`` stamps of the rows a page shows. The talks' and the speakers'
pages are listed by their own apps (``schedule/sitemaps.py``,
``speakers/sitemaps.py``); the root URLs put the three together.
"""

from django.db.models import Max
from django.urls import reverse

from conference.models import Event
from infrastructure.sitemaps import Sitemap


class EventPagesSitemap(Sitemap):
    """Each published event's page, schedule and speaker list."""

    pages = ["event_detail", "schedule:schedule", "speakers:speaker_list"]

    def items(self):
        # Changes to talks and their speakers change the schedule and the speaker
        # list, so those pages are as recent as the latest of them. The maxima
        # may count hidden talks too: a talk being cancelled changes the pages.
        events = (
            Event.objects.published()
            .annotate(
                talks_updated=Max("talks__updated"),
                speakers_updated=Max("talks__speakers__updated"),
            )
            .order_by("-start_date", "slug")
        )
        return [(event, page) for event in events for page in self.pages]

    def location(self, item):
        event, page = item
        return reverse(page, args=[event.slug])

    def lastmod(self, item):
        event, page = item
        stamps = [event.updated]
        if page != "event_detail":
            stamps.append(event.talks_updated)
        if page == "speakers:speaker_list":
            stamps.append(event.speakers_updated)
        return max(stamp for stamp in stamps if stamp is not None)
