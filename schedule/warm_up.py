"""The latest event's schedule rendered once in gunicorn's master, for every worker forked from it.

A worker forked from a master that has never rendered a schedule pays, on
its first one, for everything a render sets up once per process: regular
expressions compiled, caches of the template tags and the day sections
filled, the interpreter's specialisation of the code it runs, the cards of
the event's days. With ``max_requests`` recycling workers, that first render
is often the one just after an organiser's edit: about 20 ms more on the
900-talk event. ``infrastructure.prefork`` calls :func:`render_latest_schedule`
(named in ``PREFORK_WARM_UP``) before the first fork and closes the
connections it opened. Nothing is stored as a page: the view is called
without the page cache around it (its day sections are stored, by what they
show, as any render stores them).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from conference.models import Event
from infrastructure.site_url import site_root_without_request
from schedule import views


def render_latest_schedule():
    """Render the schedule of the published event that starts last; nothing when there is none."""
    event = Event.objects.published().order_by("-start_date", "pk").first()
    if event is None:
        return None
    root = urlsplit(site_root_without_request())
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = reverse("schedule:schedule", args=[event.slug])
    request.META = {
        "HTTP_HOST": root.netloc,
        "SERVER_NAME": root.hostname,
        "SERVER_PORT": str(root.port or (443 if root.scheme == "https" else 80)),
        "wsgi.url_scheme": root.scheme,
    }
    request.user = AnonymousUser()
    with translation.override(settings.LANGUAGE_CODE):
        return views.schedule(request, event.slug)
