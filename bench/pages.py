"""The pages under test, fetched in this process: their sizes, statuses and SQL queries.

``probe_pages`` runs Django here, on an empty local-memory cache, and fetches
each page twice with the test client, counting its queries cold and warm;
it also gathers the facts of the event and the database for the report.
``write_static_copies`` puts each page among the static files, with its
``.gz`` and ``.br``, so that WhiteNoise serves a file of exactly its size:
the yardstick the page is compared with.
"""

import gzip
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import brotli
from http_client import HOST
from processes import PROJECT, BenchError

if TYPE_CHECKING:
    from load import LoadResult


@dataclass
class Page:
    """One URL under test and what was measured of it."""

    label: str
    path: str
    html_bytes: int = 0
    status: int = 0
    queries_cold: int | None = None
    queries_warm: int | None = None
    wire_bytes: int = 0
    encoding: str = ""
    load: "LoadResult | None" = None
    # The page's rate over the static file's of its size, around it.
    ratio: float | None = None
    static_per_second: float | None = None
    # The static file's own runs, one before the first page and one after each.
    runs: list = field(default_factory=list)


def probe_pages(env, slug):
    """Every page fetched twice with the test client, counting SQL queries.

    Runs Django in this process on a private, empty local-memory cache, so
    the first fetch is uncached whatever CACHE_URL the server uses.
    """
    os.environ.update(env, CACHE_URL="locmemcache://bench-probe")
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from conference.models import Event
    from schedule.models import Talk

    event = Event.objects.get(slug=slug)
    talks = list(Talk.objects.filter(event=event).order_by("start", "pk").values_list("slug"))
    if not talks:
        raise BenchError(f'the event "{slug}" has no talks')
    middle_day = event.days[len(event.days) // 2]
    kwargs = {"event_slug": slug}
    pages = [
        # The bare address opens on one day; ?day=all is the whole schedule.
        Page("schedule, all days", f"{reverse('schedule:schedule', kwargs=kwargs)}?day=all"),
        Page(
            f"schedule, one day ({middle_day.isoformat()})",
            f"{reverse('schedule:schedule', kwargs=kwargs)}?day={middle_day.isoformat()}",
        ),
        Page(
            "talk page",
            reverse(
                "schedule:talk_detail", kwargs={**kwargs, "talk_slug": talks[len(talks) // 2][0]}
            ),
        ),
        Page("speakers", reverse("speakers:speaker_list", kwargs=kwargs)),
        Page("schedule.ics", reverse("schedule:schedule_ics", kwargs=kwargs)),
        Page("schedule.xml", reverse("schedule:schedule_xml", kwargs=kwargs)),
        Page("schedule.json", reverse("schedule:schedule_json", kwargs=kwargs)),
        # The whole list in one answer, as an app that wants it all asks.
        Page("API talks", f"{reverse('api:talk-list', kwargs=kwargs)}?page_size=1000"),
        Page(
            f"API talks, one day ({middle_day.isoformat()})",
            f"{reverse('api:talk-list', kwargs=kwargs)}?day={middle_day.isoformat()}"
            "&page_size=1000",
        ),
    ]
    client = Client(HTTP_HOST=HOST)
    bodies = {}
    for page in pages:
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.path)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
            counts.append(len(queries))
        page.queries_cold, page.queries_warm = counts
        page.status = response.status_code
        page.html_bytes = len(body)
        bodies[page.path] = body
    facts = {
        "database": database_description(connection),
        "django": django.get_version(),
        "talks": len(talks),
        "speakers": event_speaker_count(event),
        "rooms": event.rooms.count(),
        "days": len(event.days),
    }
    connection.close()
    return pages, bodies, facts


def event_speaker_count(event):
    from speakers.models import Speaker

    return Speaker.objects.filter(talks__event=event).distinct().count()


def database_description(connection):
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (file)"
    return connection.vendor


def write_static_copies(static_root, bodies):
    """A static file of each of ``bodies``' size (its content), with its gzip and Brotli
    alternatives; their names, in order."""
    for old in Path(static_root).glob("bench-static-*"):
        old.unlink()
    names = []
    for index, body in enumerate(bodies):
        name = f"bench-static-{index}-{len(body)}.html"
        path = Path(static_root) / name
        path.write_bytes(body)
        # Collectstatic (CompressedManifestStaticFilesStorage) writes a .gz beside
        # every compressible file and WhiteNoise serves it to clients that accept gzip;
        # a .br beside it goes to clients that take Brotli.
        Path(f"{path}.gz").write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
        Path(f"{path}.br").write_bytes(brotli.compress(body))
        names.append(name)
    return names
