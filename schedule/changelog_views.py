"""The public changelog of a schedule: a page of every release and its Atom feed.

Both read the changes stored with each release (``schedule.releases.changelog``),
never the working schedule, and are served through the page cache
(``schedule/urls.py``); a release replaces the event's pages.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from conference.selectors import published_event
from infrastructure.site_url import site_root
from schedule.releases.changelog import event_changelog


def changelog(request, event_slug):
    """Every release of the event's schedule, newest first, with what each changed."""
    event = published_event(event_slug)
    return render(
        request,
        "schedule/changelog.html",
        {"event": event, "nav": "schedule", "releases": event_changelog(event)},
    )


@dataclass
class _FeedSource:
    event: object
    entries: list  # ChangelogRelease, newest first
    changelog_url: str  # absolute, as is the feed's own
    feed_url: str


@dataclass
class _FeedEntry:
    entry: object  # a ChangelogRelease
    link: str  # absolute: its place on the changelog page


class ChangelogFeed(Feed):
    """``/<event>/schedule/feed.xml``: one Atom entry per release, linking to its changes."""

    feed_type = Atom1Feed
    description_template = "schedule/changelog_feed_entry.html"

    def get_object(self, request, event_slug):
        event = published_event(event_slug)
        # The feed object is shared by every request: what one needs travels in the object.
        root = site_root(request)
        return _FeedSource(
            event=event,
            entries=event_changelog(event),
            changelog_url=root + reverse("schedule:changelog", args=[event.slug]).lstrip("/"),
            feed_url=root + reverse("schedule:changelog_feed", args=[event.slug]).lstrip("/"),
        )

    def title(self, source):
        return gettext("%(event)s: schedule changes") % {"event": source.event.name}

    def subtitle(self, source):
        return gettext("Each release of the schedule of %(event)s and what it changed.") % {
            "event": source.event.name
        }

    def link(self, source):
        return source.changelog_url

    def feed_url(self, source):
        return source.feed_url

    def author_name(self, source):
        return source.event.name

    def items(self, source):
        return [
            _FeedEntry(entry=entry, link=f"{source.changelog_url}#{entry.anchor}")
            for entry in source.entries
        ]

    def item_title(self, item):
        return gettext("Release %(name)s") % {"name": item.entry.release.name}

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.link

    def item_pubdate(self, item):
        return item.entry.release.released_at

    def item_updateddate(self, item):
        return item.entry.release.released_at

    def get_context_data(self, *, item, obj, **kwargs):
        # The entry's content links to talk pages: absolute, a feed reader has no base.
        return {
            "event": obj.event,
            "entry": item.entry,
            "link_root": site_root(kwargs["request"]).rstrip("/"),
        }
