"""The suite's stand-in for an organiser pressing "Release schedule".

Attendees see an event's latest release, not the talks organisers edit. Most
tests are about what a page shows of the talks they make, not about
releasing, so before each request this middleware (in the test settings only)
releases every event whose working schedule differs from its release, as an
organiser would before telling attendees. Tests about releases themselves
turn it off with the ``manual_releases`` marker (``tests/conftest.py``).

The stand-in's own queries are taken back out of the connection's log, so a
page's pinned query count is the page's alone.
"""

import contextlib

from django.db import DatabaseError, connections

from conference.models import Event
from schedule.releases.service import ReleaseRefused, release_schedule

enabled = True


def release_pending():
    """Release each event whose working schedule changed since its latest release."""
    for event in Event.objects.order_by("pk"):
        # Refused when nothing changed: the event's release is already current.
        with contextlib.suppress(ReleaseRefused):
            release_schedule(event, notify=False, allow_errors=True)


class ReleaseBeforeEachRequest:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if enabled:
            logged = {alias: len(connections[alias].queries_log) for alias in connections}
            try:
                release_pending()
            except DatabaseError:
                pass  # the database is down: the page under test says so itself
            except RuntimeError as error:
                # A test without database access (pytest-django refuses it) has nothing to release.
                if "Database access not allowed" not in str(error):
                    raise
            finally:
                for alias, length in logged.items():
                    log = connections[alias].queries_log
                    while len(log) > length:
                        log.pop()
        return self.get_response(request)


def released_export_data(event, *, base_url):
    """``schedule_export_data`` of ``event`` once its pending edits are released."""
    from schedule.formats.frab.exporter import schedule_export_data

    release_pending()
    return schedule_export_data(event, base_url=base_url)
