"""The schedule for apps and video tools: schedule.xml and schedule.json (c3voc formats).

Readers poll these files, so both answer conditional requests: the ETag is
the content's version, Last-Modified the latest change of the event, its
talks and their speakers. A 304 costs the queries that build the content (the
version is a hash of it) but never the rendering. Any origin may read them
(``Access-Control-Allow-Origin: *``): web apps fetch schedules from other sites.
"""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from conference.selectors import published_event
from infrastructure.site_url import site_root
from schedule.exports import (
    render_schedule_json,
    render_schedule_xml,
    schedule_export_data,
    schedule_last_modified,
)


def _export_response(request, event_slug, *, render, content_type):
    event = published_event(event_slug)
    export = schedule_export_data(event, base_url=site_root(request))
    etag = quote_etag(export.version)
    last_modified = int(schedule_last_modified(event).timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(render(export), content_type=content_type)
    # On the 304 too: a cache that revalidates keeps the validators it is given.
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    response.headers["Access-Control-Allow-Origin"] = "*"
    # Browsers hide all but a few headers from scripts of other origins.
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    return response


@require_safe
def schedule_xml(request, event_slug):
    """The event's published schedule as c3voc schedule XML."""
    return _export_response(
        request,
        event_slug,
        render=render_schedule_xml,
        content_type="application/xml; charset=utf-8",
    )


@require_safe
def schedule_json(request, event_slug):
    """The event's published schedule as c3voc schedule.json."""
    return _export_response(
        request, event_slug, render=render_schedule_json, content_type="application/json"
    )
