"""iCalendar (RFC 5545) files of talks, for the event's calendar and a single talk's.

Everything is built with the ``icalendar`` package, which escapes text, folds
long lines at 75 octets and writes CRLF line endings; nothing is concatenated
by hand. Times are written in the event's zone with a matching VTIMEZONE, so
calendar programs show the venue's clock and convert it correctly.

Except in the repeated hour at the end of summer time: a local time with a
TZID cannot say which of the two occurrences it means. RFC 5545 reads it as
the first, but readers differ (pytz-based ones take the second), so a talk
starting or ending in that hour has both its DTSTART and DTEND written in UTC,
the one form every reader takes as the same instant. Both, because a start
and end in different forms confuse some programs, and only such talks,
because the venue's clock with its zone is what calendars show best and
the rest of the file keeps it.
"""

import datetime
from urllib.parse import urljoin

import icalendar
from django.conf import settings
from django.urls import reverse

from infrastructure.rich_text import plain_text


def talk_uid(talk):
    """The talk's UID in every calendar: its permanent UUID, as RFC 7986 recommends.

    It depends on nothing but the UUID, so a talk keeps its identity when its
    title, slug or time changes and when the site moves to another host.
    """
    return str(talk.uuid)


def talk_url(talk, *, event, base_url):
    """The absolute address of the talk's page on the site rooted at ``base_url``."""
    return urljoin(base_url, reverse("schedule:talk_detail", args=[event.slug, talk.slug]))


def talk_location(talk, *, event):
    """“Room, Event location”, or whichever of the two exists ("" when neither)."""
    room = talk.room.name if talk.room_id else ""
    return ", ".join(part for part in (room, event.location) if part)


def talk_description(talk, *, url):
    """The speakers, the abstract as plain text and the talk's address, a blank line apart."""
    speakers = ", ".join(link.speaker.name for link in talk.talk_speakers.all())
    parts = [
        f"Speakers: {speakers}" if speakers else "",
        plain_text(talk.abstract),
        url,
    ]
    return "\n\n".join(part for part in parts if part)


def _vevent(talk, *, event, base_url):
    url = talk_url(talk, event=event, base_url=base_url)
    updated = talk.updated.astimezone(datetime.UTC)
    vevent = icalendar.Event()
    vevent.add("uid", talk_uid(talk))
    vevent.add("dtstamp", updated)
    vevent.add("last-modified", updated)
    start, end = event.local_time(talk.start), event.local_time(talk.end)
    if _is_repeated_wall_time(start) or _is_repeated_wall_time(end):
        start, end = start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", talk.title)
    location = talk_location(talk, event=event)
    if location:
        vevent.add("location", location)
    vevent.add("description", talk_description(talk, url=url))
    vevent.add("url", url)
    if talk.track_id:
        vevent.add("categories", [talk.track.name])
    # A cancelled talk stays in the calendar, marked, so that subscribers'
    # calendars drop or strike it instead of keeping a stale entry.
    vevent.add("status", "CANCELLED" if talk.is_cancelled else "CONFIRMED")
    return vevent


def _is_repeated_wall_time(local):
    """Whether clocks show ``local`` (an aware venue time) twice, at two instants."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _vtimezone(event, talks):
    """The VTIMEZONE of the event's zone, over whole years around the event and its talks.

    Whole years give calendar programs both of a year's clock changes while
    keeping the component small (a few rules, not every change since 1970).
    """
    dates = [event.start_date, event.end_date]
    for talk in talks:
        dates += [event.local_time(talk.start).date(), event.local_time(talk.end).date()]
    return icalendar.Timezone.from_tzinfo(
        event.tz,
        tzid=event.time_zone,
        first_date=datetime.date(min(dates).year, 1, 1),
        last_date=datetime.date(max(dates).year + 1, 1, 1),
    )


def calendar_for_talks(*, event, talks, base_url, name):
    """An iCalendar file (bytes) of the scheduled ``talks`` of ``event``, called ``name``.

    ``talks`` should come from the schedule selectors, with rooms, tracks and
    speakers loaded; talks without a time are left out. ``base_url`` is the
    site's root, such as ``"https://example.org/"``, for the talks' addresses.
    """
    scheduled = [talk for talk in talks if talk.start is not None]
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME or 'Conference'}//Schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar does not know these calendar properties are text and would write
    # them unescaped (a newline in a talk's title would break the file): say so.
    calendar.add("name", icalendar.vText(name))
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("x-wr-timezone", icalendar.vText(event.time_zone))
    # Always there, even with no talks: it is what every DTSTART and DTEND names,
    # and RFC 5545 wants at least one component in a calendar.
    calendar.add_component(_vtimezone(event, scheduled))
    for talk in scheduled:
        calendar.add_component(_vevent(talk, event=event, base_url=base_url))
    return calendar.to_ical()
