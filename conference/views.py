import math
import mimetypes
import sys

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.utils import timezone

from conference.models import Event
from conference.selectors import RUNNING, now_board, on_now, published_event, published_events


def home(request):
    now = timezone.now()
    events = published_events()
    # Running events come first; each shows what it has on (no query for the others).
    for event in events:
        event.on_now = on_now(event, now=now)
    response = render(request, "conference/home.html", {"events": events})
    # Which event is running or next changes with the date, not only with edits,
    # and what a running one has on changes when a talk starts or ends.
    changes = [event.on_now.changes_at for event in events if event.on_now]
    response.page_cache_seconds = min([60 * 60, *(_seconds_until(at, now) for at in changes)])
    return response


def event_detail(request, event_slug):
    event = published_event(event_slug)
    now = timezone.now()
    current = on_now(event, now=now)
    response = render(request, "conference/event_detail.html", {"event": event, "on_now": current})
    if current is not None:
        response.page_cache_seconds = _seconds_until(current.changes_at, now)
    elif event.local_date(now) < event.end_date:
        # Its first day may begin at the venue's next midnight.
        _, next_day = event.day_bounds(event.local_date(now))
        response.page_cache_seconds = _seconds_until(next_day, now)
    return response


def event_now(request, event_slug):
    """Each room's talk on now and the next one, at the venue's clock; before or after
    the event, its first or last talks."""
    event = published_event(event_slug)
    now = timezone.now()
    board = now_board(event, now=now)
    response = render(
        request, "conference/event_now.html", {"event": event, "nav": "now", "board": board}
    )
    seconds = [_seconds_until(board.changes_at, now)] if board.changes_at else []
    if board.phase == RUNNING:
        # The page prints the venue's clock: true to the minute.
        seconds.append(60 - board.clock.second)
    if seconds:
        response.page_cache_seconds = min(seconds)
    return response


def _seconds_until(moment, now):
    return max(1, math.ceil((moment - now).total_seconds()))


def media_file(request, path):
    """An uploaded file (speakers' photos) from the default storage.

    Uploads are re-encoded images written by the site itself, so serving them
    from Django is safe; a large site puts a web server or CDN in front with
    SERVE_MEDIA off.
    """
    try:
        if not default_storage.exists(path):
            raise Http404("No such file.")
        file = default_storage.open(path)
    except (SuspiciousFileOperation, OSError, ValueError):
        raise Http404("No such file.") from None
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(file, content_type=content_type)
    # Names are random and never reused, so a copy may be kept for long.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def server_error(request):
    """The 500 page, or the 503 page while the database cannot be reached.

    Neither page touches the database: they are plain templates. Connection
    health checks (CONN_HEALTH_CHECKS) reconnect by themselves once the
    database is back, so the site recovers without a restart.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(
            loader.get_template("503.html").render(), status=503, content_type="text/html"
        )
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def page_not_found(request, exception):
    """The 404 page; under ``/<event>/`` of a published event, with that event's header.

    Someone who followed a stale link to a talk stays inside the event, one
    click from its schedule. The event is looked up by the address's first
    part, whatever the rest of it is.
    """
    slug = request.path_info.strip("/").partition("/")[0]
    event = None
    if slug:
        try:
            event = Event.objects.published().filter(slug=slug).first()
        except DatabaseError:
            event = None  # the site's own header, rather than a second error
    body = loader.render_to_string("404.html", {"event": event}, request)
    return HttpResponseNotFound(body)
