"""The public read API: what an app sees of the published schedule, and what it does not."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)

pytestmark = pytest.mark.django_db


def titles(response):
    return [talk["title"] for talk in response.json()["results"]]


def test_event_list_shows_published_events_only(api, conf):
    EventFactory(slug="hidden", is_published=False)

    body = api.get("/api/v1/events/").json()

    assert [event["slug"] for event in body["results"]] == ["conf"]
    assert body["count"] == 1
    event = body["results"][0]
    assert event["time_zone"] == "Europe/Madrid"
    assert event["days"] == ["2012-11-07", "2012-11-08", "2012-11-09"]
    assert event["url"] == "http://testserver/conf/"
    assert event["talks_url"] == "http://testserver/api/v1/events/conf/talks/"


def test_unpublished_event_is_not_found(api, db):
    EventFactory(slug="hidden", is_published=False)

    response = api.get("/api/v1/events/hidden/talks/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not found"


def test_talk_list_hides_drafts_and_cancelled_talks_and_keeps_programme_order(api, conf):
    response = api.get("/api/v1/events/conf/talks/")

    assert titles(response) == ["Opening keynote", "Schedulers"]


def test_talk_carries_venue_times_speakers_and_both_abstracts(api, conf):
    talk = api.get("/api/v1/events/conf/talks/").json()["results"][0]

    assert talk["start"] == "2012-11-07T09:00:00+01:00"
    assert talk["end"] == "2012-11-07T10:00:00+01:00"
    assert talk["duration_minutes"] == 60
    assert talk["day"] == "2012-11-07"
    assert talk["kind"] == "keynote"
    assert talk["room"] == {"slug": "hall-a", "name": "Hall A"}
    assert talk["track"] is None
    assert [speaker["name"] for speaker in talk["speakers"]] == ["Ada Lovelace"]
    assert talk["abstract_markdown"] == "Why **memory** matters <script>alert(1)</script>"
    assert "<strong>memory</strong>" in talk["abstract_html"]
    assert "<script" not in talk["abstract_html"]
    assert talk["recording_allowed"] is True
    assert talk["url"] == "http://testserver/conf/talks/keynote/"
    assert talk["ics_url"] == "http://testserver/conf/talks/keynote.ics"


def test_talk_detail_by_uuid_and_a_draft_is_not_found(api, conf):
    keynote = conf.talks.get(slug="keynote")
    draft = conf.talks.get(slug="draft")

    found = api.get(f"/api/v1/events/conf/talks/{keynote.uuid}/")
    hidden = api.get(f"/api/v1/events/conf/talks/{draft.uuid}/")

    assert found.json()["title"] == "Opening keynote"
    assert hidden.status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("day=2012-11-08", ["Schedulers"]),
        ("room=hall-a", ["Opening keynote"]),
        ("track=kernel", ["Schedulers"]),
        ("kind=keynote", ["Opening keynote"]),
        ("search=FARBER", ["Schedulers"]),
        ("search=memory", ["Opening keynote"]),
        ("day=2012-11-09", []),
    ],
)
def test_talk_filters(api, conf, query, expected):
    assert titles(api.get(f"/api/v1/events/conf/talks/?{query}")) == expected


def test_talk_filter_by_speaker_and_updated_since(api, conf):
    noel = conf.talks.get(slug="schedulers").speakers.get(slug="noel")
    future = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()

    by_speaker = api.get("/api/v1/events/conf/talks/", {"speaker": str(noel.uuid)})
    since = api.get("/api/v1/events/conf/talks/", {"updated_since": future})

    assert titles(by_speaker) == ["Schedulers"]
    assert titles(since) == []


def test_pagination_links_walk_the_list_in_a_stable_order(api, conf):
    first = api.get("/api/v1/events/conf/talks/?page_size=1").json()
    second = api.get(first["next"]).json()

    assert first["count"] == 2
    assert first["previous"] is None
    assert [talk["title"] for talk in first["results"] + second["results"]] == [
        "Opening keynote",
        "Schedulers",
    ]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/events/conf/talks/?page_size=1"


def test_speakers_list_has_no_emails_and_only_public_talks(api, conf):
    body = api.get("/api/v1/events/conf/speakers/").json()

    assert [speaker["name"] for speaker in body["results"]] == ["Ada Lovelace", "Noël Färber"]
    noel = body["results"][1]
    assert "email" not in noel
    assert noel["talks"] == [str(conf.talks.get(slug="schedulers").uuid)]
    assert noel["url"] == "http://testserver/conf/speakers/noel/"


def test_rooms_and_tracks(api, conf):
    rooms = api.get("/api/v1/events/conf/rooms/").json()["results"]
    tracks = api.get("/api/v1/events/conf/tracks/").json()["results"]

    assert [room["slug"] for room in rooms] == ["hall-a", "hall-b"]
    assert [(track["slug"], track["colour"]) for track in tracks] == [("kernel", "#1f77b4")]


def test_reads_are_open_to_other_sites(api, conf):
    response = api.get("/api/v1/events/conf/talks/")

    assert response["Access-Control-Allow-Origin"] == "*"


def _event_of(size, slug):
    event = EventFactory(slug=slug)
    room = RoomFactory(event=event)
    TrackFactory(event=event)
    for index in range(size):
        TalkFactory(
            event=event,
            room=room,
            start=venue_time(event, 2012, 11, 7, 9, 0) + datetime.timedelta(minutes=30 * index),
            end=venue_time(event, 2012, 11, 7, 9, 25) + datetime.timedelta(minutes=30 * index),
            speakers=[SpeakerFactory(), SpeakerFactory()],
        )
    return event


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize(
    ("endpoint", "queries"),
    [
        # the event, the count, the page, their speakers
        ("talks/", 4),
        # the event, the speakers, their talks here
        ("speakers/", 3),
        # the event, the count, the page
        ("rooms/", 3),
        ("tracks/", 3),
    ],
)
def test_list_queries_do_not_grow_with_the_event(api, db, size, endpoint, queries):
    _event_of(size, "sized")

    with CaptureQueriesContext(connection) as captured:
        response = api.get(f"/api/v1/events/sized/{endpoint}?page_size=1000")

    assert response.status_code == 200
    assert len(captured) == queries, [query["sql"] for query in captured]


@pytest.mark.parametrize("size", [2, 12])
def test_event_list_queries_do_not_grow(api, db, size):
    for index in range(size):
        EventFactory(slug=f"event-{index}")

    with CaptureQueriesContext(connection) as captured:
        body = api.get("/api/v1/events/?page_size=1000").json()

    assert body["count"] == size
    assert len(captured) == 2
