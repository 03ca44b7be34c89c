"""Every file the schedule is published as: schedule.xml and schedule.json (the c3voc
formats apps and video tools read), the event's calendar, "my schedule" and a talk's .ics.

Each is served through the page cache (``schedule/urls.py``), which answers
conditional requests: a view only gives its response the validators. The
exports' ETag is the content's version and their Last-Modified the latest
change of the event, its talks and their speakers, so a reader that polls is
told 304 from the cache without a query. Any origin may read the exports
(``Access-Control-Allow-Origin: *``): web apps fetch schedules from other sites.
"""

from django.http import Http404, HttpResponse
from django.utils.cache import quote_etag
from django.utils.http import http_date
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from conference.selectors import published_event
from infrastructure.site_url import site_root
from schedule import selectors
from schedule.formats.frab.exporter import (
    export_etag,
    render_schedule_json,
    render_schedule_xml,
    schedule_export_data,
    schedule_last_modified,
)
from schedule.formats.ical.exporter import calendar_for_talks
from speakers.selectors import speaker_at_event


def _export_response(request, event_slug, *, render, content_type, release_name=None):
    event = published_event(event_slug)
    release = selectors.release_named(event, release_name) if release_name else None
    export = schedule_export_data(event, base_url=site_root(request), release=release)
    response = HttpResponse(render(export), content_type=content_type)
    # The validators the page cache answers conditional requests with (a 304 keeps them).
    response.headers["ETag"] = quote_etag(export_etag(export))
    changed = schedule_last_modified(event, release)
    response.headers["Last-Modified"] = http_date(int(changed.timestamp()))
    response.headers["Access-Control-Allow-Origin"] = "*"
    # Browsers hide all but a few headers from scripts of other origins.
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    return response


@require_safe
def schedule_xml(request, event_slug, release_name=None):
    """The event's current release (or the one named) as c3voc schedule XML."""
    return _export_response(
        request,
        event_slug,
        render=render_schedule_xml,
        content_type="application/xml; charset=utf-8",
        release_name=release_name,
    )


@require_safe
def schedule_json(request, event_slug, release_name=None):
    """The event's current release (or the one named) as c3voc schedule.json."""
    return _export_response(
        request,
        event_slug,
        render=render_schedule_json,
        content_type="application/json",
        release_name=release_name,
    )


def _calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def schedule_ics(request, event_slug, release_name=None):
    """The event's calendar; ``?talks=<uuid>,<uuid>`` keeps only those talks (favourites).

    Cancelled talks stay in it, marked cancelled, so subscribed calendars learn of it.
    A release's name gives that release's calendar instead of the current one.
    """
    event = published_event(event_slug)
    release = selectors.release_named(event, release_name) if release_name else None
    talk_ids = (
        selectors.parse_talk_ids(request.GET.get("talks")) if "talks" in request.GET else None
    )
    talks = selectors.calendar_talks(event, talk_ids=talk_ids, release=release)
    if talk_ids is None:
        name = event.name
    else:
        name = gettext("%(event)s: my schedule") % {"event": event.name}
    if release is not None:
        name = gettext("%(calendar)s (release %(release)s)") % {
            "calendar": name,
            "release": release.name,
        }
    body = calendar_for_talks(event=event, talks=talks, base_url=site_root(request), name=name)
    return _calendar_response(body, f"{event.slug}.ics")


def speaker_ics(request, event_slug, speaker_slug):
    """One speaker's talks at the event as a calendar, for them and their followers."""
    event = published_event(event_slug)
    speaker = speaker_at_event(event, speaker_slug)
    talks = selectors.speaker_calendar_talks(event, speaker)
    name = gettext("%(speaker)s at %(event)s") % {"speaker": speaker.name, "event": event.name}
    body = calendar_for_talks(event=event, talks=talks, base_url=site_root(request), name=name)
    return _calendar_response(body, f"{event.slug}-{speaker.slug}.ics")


def talk_ics(request, event_slug, talk_slug):
    event = published_event(event_slug)
    talk = selectors.talk_for_page(event, talk_slug)
    if talk.start is None:
        raise Http404("This talk has no time yet, so it has no calendar entry.")
    body = calendar_for_talks(
        event=event, talks=[talk], base_url=site_root(request), name=talk.title
    )
    return _calendar_response(body, f"{event.slug}-{talk.slug}.ics")
