"""Public pages come from the cache until anything they show changes, then never stale."""

import gzip

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from schedule.models import Talk
from schedule.services.bulk import talks_cancel
from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TalkFactory, venue_time


@pytest.fixture
def event(db):
    event = EventFactory(slug="cached", name="Cached Conf")
    TalkFactory(
        event=event,
        slug="memory",
        title="Memory management",
        room=RoomFactory(event=event, name="Hall"),
        speakers=[SpeakerFactory(name="Rik van Riel", slug="rik")],
    )
    return event


PAGES = [
    "/",
    "/cached/",
    "/cached/schedule/",
    "/cached/talks/memory/",
    "/cached/speakers/",
    "/cached/speakers/rik/",
    "/cached/schedule.ics",
    "/cached/schedule.xml",
    "/cached/schedule.json",
]


@pytest.mark.parametrize("path", PAGES)
def test_second_request_is_served_without_queries(client, event, path, django_assert_num_queries):
    first = client.get(path)

    with django_assert_num_queries(0):
        second = client.get(path)

    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", PAGES)
def test_conditional_request_gets_304(client, event, path):
    first = client.get(path)

    by_etag = client.get(path, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(path, headers={"If-Modified-Since": first["Last-Modified"]})

    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag.content == b""


def test_pages_are_gzipped_for_clients_that_accept_it(client, event):
    plain = client.get("/cached/schedule/")

    zipped = client.get("/cached/schedule/", headers={"Accept-Encoding": "gzip, deflate, br"})

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content


def test_an_edit_in_the_admin_shows_on_the_next_request(client, organiser, event):
    talk = Talk.objects.get(slug="memory")
    assert "Memory management" in client.get("/cached/schedule/").content.decode()
    organiser_browser = Client()
    organiser_browser.force_login(organiser)

    organiser_browser.post(
        f"/admin/schedule/talk/{talk.pk}/change/",
        {
            "event": event.pk,
            "title": "Memory management, revisited",
            "slug": "memory",
            "kind": "talk",
            "is_published": "on",
            "language": "en",
            "start_0": "2012-11-07",
            "start_1": "09:00",
            "end_0": "2012-11-07",
            "end_1": "09:30",
            "room": talk.room_id,
            "talk_speakers-TOTAL_FORMS": "0",
            "talk_speakers-INITIAL_FORMS": "0",
        },
    )

    for path in ["/cached/schedule/", "/cached/talks/memory/", "/cached/speakers/rik/"]:
        assert "Memory management, revisited" in client.get(path).content.decode(), path


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda: talks_cancel(talks=Talk.objects.all()), id="bulk-cancel"),
        pytest.param(
            lambda: (
                Talk.objects.get(slug="memory")
                .speakers.get()
                .__class__.objects.get(slug="rik")
                .save()
            ),
            id="speaker-saved",
        ),
        pytest.param(lambda: Talk.objects.get(slug="memory").delete(), id="talk-deleted"),
    ],
)
def test_every_kind_of_change_renders_the_page_again(client, event, change):
    client.get("/cached/schedule/")

    change()

    with CaptureQueriesContext(connection) as queries:
        client.get("/cached/schedule/")
    assert len(queries) > 0


def test_speaker_edit_shows_on_every_event_they_speak_at(client, event):
    other = EventFactory(slug="other-conf")
    rik = SpeakerFactory._meta.model.objects.get(slug="rik")
    TalkFactory(event=other, slug="numa", speakers=[rik])
    client.get("/other-conf/speakers/rik/")

    rik.bio = "Works on NUMA balancing."
    rik.save()

    assert "Works on NUMA balancing." in client.get("/other-conf/speakers/rik/").content.decode()


def test_signed_in_people_always_get_a_fresh_page(client, organiser, event):
    client.force_login(organiser)
    client.get("/cached/schedule/")
    Talk.objects.filter(slug="memory").update(title="Quietly renamed")

    assert "Quietly renamed" in client.get("/cached/schedule/").content.decode()


def test_the_schedule_of_a_running_event_is_kept_one_minute_at_most(client, db):
    import datetime

    import time_machine

    event = EventFactory(slug="live")
    TalkFactory(
        event=event,
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 10, 0),
    )
    with time_machine.travel(datetime.datetime(2012, 11, 7, 8, 30, 20, tzinfo=datetime.UTC)):
        response = client.get("/live/schedule/")

    assert response["Cache-Control"] == "public, max-age=40"
