"""sitemap.xml: every public page of every published event.

Only what attendees may see is listed: published events, their visible talks
(published, not cancelled) and the speakers of those talks, each speaker once
per event. ``lastmod`` comes from the ``updated`` stamps of the rows a page shows.
Addresses start with ``SITE_URL`` when it is set, else with the request's
scheme and host (``conference/site_url.py``).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max
from django.urls import reverse

from conference.models import Event
from schedule.models import Talk, TalkSpeaker


class Sitemap(DjangoSitemap):
    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)


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


class TalkSitemap(Sitemap):
    """The page of every visible talk."""

    def items(self):
        return (
            Talk.objects.published()
            .select_related("event")
            .only("slug", "updated", "event__slug")
            .order_by("-event__start_date", "event__slug", "slug")
        )

    def location(self, talk):
        return reverse("schedule:talk_detail", args=[talk.event.slug, talk.slug])

    def lastmod(self, talk):
        return talk.updated


class SpeakerSitemap(Sitemap):
    """A speaker's page at every event where they have a visible talk."""

    def items(self):
        return (
            TalkSpeaker.objects.filter(talk__in=Talk.objects.published())
            .values("talk__event__slug", "talk__event__start_date", "speaker__slug")
            .annotate(updated=Max("speaker__updated"))
            .order_by("-talk__event__start_date", "talk__event__slug", "speaker__slug")
        )

    def location(self, item):
        return reverse(
            "speakers:speaker_detail", args=[item["talk__event__slug"], item["speaker__slug"]]
        )

    def lastmod(self, item):
        return item["updated"]


SITEMAPS = {
    "events": EventPagesSitemap,
    "talks": TalkSitemap,
    "speakers": SpeakerSitemap,
}
