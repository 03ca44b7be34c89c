"""The schedule gunicorn's master renders once before it forks (``schedule/warm_up.py``)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schedule import timetable
from schedule.warm_up import render_latest_schedule
from tests.auto_release import release_pending
from tests.factories import EventFactory, scheduled_talk

pytestmark = pytest.mark.django_db


def test_the_latest_published_event_s_schedule_is_rendered_and_not_stored_as_a_page(client):
    older = EventFactory(slug="older")
    scheduled_talk(older, "Last year's talk")
    latest = EventFactory(slug="latest", start_date=datetime.date(2012, 11, 8))
    scheduled_talk(latest, "This year's talk", day=8)
    EventFactory(slug="draft", start_date=datetime.date(2012, 11, 9), is_published=False)
    release_pending()  # as the organisers would have, before attendees see the talks

    response = render_latest_schedule()

    assert response.status_code == 200
    assert "This year&#x27;s talk" in response.content.decode()
    assert "Last year" not in response.content.decode()
    # Its cards are made for the workers; the page itself waits for a visitor.
    assert timetable._made_cards
    with CaptureQueriesContext(connection) as queries:
        served = client.get("/latest/schedule/")
    assert queries.captured_queries, "the page was served from the cache"
    assert served.content == response.content


def test_without_a_published_event_nothing_is_rendered():
    EventFactory(slug="draft", is_published=False)

    assert render_latest_schedule() is None
