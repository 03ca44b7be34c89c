"""Public pages read the current release's copies of the talks, not every release's.

Each release copies every talk, so an event released fifty times holds fifty
copies of each. A page that finds its talks by the event (and then drops the
other releases' copies) reads all fifty and slows with every release made;
SQLite, whose planner has no statistics until someone runs ANALYZE, chose
that way whenever a query named both the event and the release. These tests
read SQLite's plan for every query of every public page.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schedule.models import Talk
from tests.schedule.release_builders import build_releases

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="Reads SQLite's query plans; PostgreSQL plans by the statistics it keeps itself.",
)

# Reading talks by these walks every release's copies of the event's talks.
READS_EVERY_COPY = ("talk_event_start_idx", "SCAN schedule_talk", "schedule_talk_event_id")


@pytest.fixture
def released_often(db):
    event = build_releases(talk_count=12, release_count=5)
    talk = Talk.released.current_of(event).first()
    speaker = talk.speakers.first()
    return event, talk, speaker


def _plans_reading_every_copy(queries):
    found = []
    with connection.cursor() as cursor:
        for query in queries:
            if "schedule_talk" not in query["sql"] or not query["sql"].startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plan = " | ".join(row[3] for row in cursor.fetchall())
            if any(marker in plan for marker in READS_EVERY_COPY):
                found.append(f"{query['sql'][:160]}...\n    {plan}")
    return found


@sqlite_only
@pytest.mark.parametrize(
    "path",
    [
        "/big/schedule/",
        "/big/schedule/?day=all",
        "/big/talks/{talk}/",
        "/big/speakers/",
        "/big/speakers/{speaker}/",
        "/big/speakers/{speaker}/talks.ics",
        "/big/schedule.ics",
        "/big/schedule.xml",
        "/big/schedule.json",
        "/big/now/",
        "/big/schedule/embed/",
        "/api/v1/events/big/talks/",
    ],
)
def test_public_pages_read_only_the_current_releases_copies(client, released_often, path):
    event, talk, speaker = released_often
    assert event.releases.count() == 5
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path.format(talk=talk.slug, speaker=speaker.slug), follow=True)
    assert response.status_code == 200
    assert _plans_reading_every_copy(queries.captured_queries) == []


def test_the_current_copies_are_those_of_the_latest_release(released_often):
    event, _, _ = released_often
    latest = event.releases.get(is_current=True)
    current = Talk.released.current_of(event)
    assert current.count() == 12
    assert set(current.values_list("release_id", flat=True)) == {latest.pk}
    assert set(Talk.released.current().filter(event=event).values_list("pk", flat=True)) == set(
        current.values_list("pk", flat=True)
    )
