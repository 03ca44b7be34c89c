"""The schedule's releases in the API: each release and what it changed, as the changelog shows."""

import datetime

import pytest

from api.models import ApiToken
from conference.models import Room
from schedule.models import Talk
from schedule.releases.service import release_schedule
from tests.factories import EventFactory, RoomFactory, TalkFactory, venue_time

# About releases: requests release nothing by themselves (tests/auto_release.py).
pytestmark = [pytest.mark.django_db, pytest.mark.manual_releases]

FIRST_AT = datetime.datetime(2012, 11, 1, 13, 0, tzinfo=datetime.UTC)
SECOND_AT = datetime.datetime(2012, 11, 5, 8, 30, tzinfo=datetime.UTC)


@pytest.fixture
def released(conf):
    """Conf 2012 released as "1", then schedulers moved, the keynote renamed, a talk added,
    and released again as "final"."""
    release_schedule(conf, notify=False, released_at=FIRST_AT)
    schedulers = Talk.objects.get(slug="schedulers")
    schedulers.start = venue_time(conf, 2012, 11, 9, 14, 0)
    schedulers.end = venue_time(conf, 2012, 11, 9, 14, 45)
    schedulers.room = Room.objects.get(slug="hall-a")
    schedulers.save()
    Talk.objects.filter(slug="keynote").update(title="Welcome keynote")
    TalkFactory(event=conf, title="Late addition", slug="late", start=None, end=None)
    release_schedule(
        conf, name="final", comment="Rooms swapped.", notify=False, released_at=SECOND_AT
    )
    return conf


def uuid_of(slug):
    return str(Talk.objects.get(slug=slug).uuid)


HALL_A = {"slug": "hall-a", "name": "Hall A"}
HALL_B = {"slug": "hall-b", "name": "Hall B"}


def test_releases_are_listed_newest_first_with_what_each_changed(api, released):
    body = api.get("/api/v1/events/conf/releases/").json()

    assert body["count"] == 2
    assert [(r["name"], r["number"], r["is_current"]) for r in body["results"]] == [
        ("final", 2, True),
        ("1", 1, False),
    ]
    final, first = body["results"]
    assert {name: final[name] for name in ("comment", "released_at", "url")} == {
        "comment": "Rooms swapped.",
        "released_at": "2012-11-05T09:30:00+01:00",  # the venue's time
        "url": "http://testserver/conf/schedule/changelog/#release-2",
    }
    assert final["changes"] == [
        {
            "kind": "changed",
            "talk_id": uuid_of("keynote"),
            "title": "Welcome keynote",
            "changed_fields": ["title"],
            "old": {
                "start": "2012-11-07T09:00:00+01:00",
                "end": "2012-11-07T10:00:00+01:00",
                "room": HALL_A,
            },
            "new": {
                "start": "2012-11-07T09:00:00+01:00",
                "end": "2012-11-07T10:00:00+01:00",
                "room": HALL_A,
            },
        },
        {
            "kind": "moved",
            "talk_id": uuid_of("schedulers"),
            "title": "Schedulers",
            "changed_fields": ["start", "end", "room"],
            "old": {
                "start": "2012-11-08T11:00:00+01:00",
                "end": "2012-11-08T11:45:00+01:00",
                "room": HALL_B,
            },
            "new": {
                "start": "2012-11-09T14:00:00+01:00",
                "end": "2012-11-09T14:45:00+01:00",
                "room": HALL_A,
            },
        },
        {
            "kind": "new",
            "talk_id": uuid_of("late"),
            "title": "Late addition",
            "changed_fields": [],
            "old": None,
            "new": {"start": None, "end": None, "room": None},
        },
    ]
    # The first release: its public talks, by time; the draft was never shown.
    assert [(c["kind"], c["title"], c["old"]) for c in first["changes"]] == [
        ("new", "Opening keynote", None),
        ("cancelled", "Withdrawn", None),
        ("new", "Schedulers", None),
    ]


def test_a_withdrawn_talk_is_named_as_it_last_stood(api, released):
    Talk.objects.filter(slug="late").update(is_published=False)
    release_schedule(released, name="3", notify=False)

    (change,) = api.get("/api/v1/events/conf/releases/3/").json()["changes"]

    assert change == {
        "kind": "withdrawn",
        "talk_id": uuid_of("late"),
        "title": "Late addition",
        "changed_fields": [],
        "old": {"start": None, "end": None, "room": None},
        "new": None,
    }


def test_a_release_is_read_by_its_name_whatever_it_holds(api, released):
    Talk.objects.filter(slug="late").update(title="Late addition, renamed")
    release_schedule(released, name="2012.11 v3 (final?)", notify=False)

    final = api.get("/api/v1/events/conf/releases/final/")
    odd = api.get("/api/v1/events/conf/releases/2012.11%20v3%20(final%3F)/")
    missing = api.get("/api/v1/events/conf/releases/nope/")

    assert (final.json()["name"], final.json()["is_current"]) == ("final", False)
    assert final.json() == api.get("/api/v1/events/conf/releases/").json()["results"][1]
    assert [c["title"] for c in odd.json()["changes"]] == ["Late addition, renamed"]
    assert (missing.status_code, missing.json()["detail"]) == (
        404,
        "Conf 2012 has no release of that name.",
    )


def test_an_event_never_released_has_no_releases(api, conf):
    body = api.get("/api/v1/events/conf/releases/").json()

    assert (body["count"], body["results"]) == (0, [])


def test_releases_are_paged_newest_first(api, released):
    first_page = api.get("/api/v1/events/conf/releases/?page_size=1").json()
    second_page = api.get(first_page["next"]).json()

    assert [r["name"] for r in first_page["results"]] == ["final"]
    assert [r["name"] for r in second_page["results"]] == ["1"]
    assert second_page["next"] is None


def test_organisers_read_the_same_releases_as_everyone(api, released, organiser):
    anonymous = api.get("/api/v1/events/conf/releases/").json()
    _, token = ApiToken.issue(user=organiser, name="scripts")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    # Edits not released yet are no release: the organiser sees them in talks/.
    Talk.objects.filter(slug="keynote").update(title="Unreleased title")
    with_token = api.get("/api/v1/events/conf/releases/").json()

    assert with_token == anonymous


def test_releases_of_an_unpublished_event_are_not_found(api, released, organiser):
    type(released).objects.filter(pk=released.pk).update(is_published=False)

    anonymous = api.get("/api/v1/events/conf/releases/")
    _, token = ApiToken.issue(user=organiser, name="scripts")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    with_token = api.get("/api/v1/events/conf/releases/")

    assert anonymous.status_code == 404
    assert [r["name"] for r in with_token.json()["results"]] == ["final", "1"]


def test_releases_are_read_only(api, released, organiser):
    _, token = ApiToken.issue(user=organiser, name="scripts")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = api.post("/api/v1/events/conf/releases/", {"name": "x"}, format="json")

    assert response.status_code == 405
    assert response.json()["detail"] == "This address takes GET, HEAD, OPTIONS, not POST."


def _released_event_of(size):
    """An event released ``size`` times, each release after the first moving its ``size`` talks."""
    event = EventFactory(slug="sized")
    room = RoomFactory(event=event)
    talks = [
        TalkFactory(
            event=event,
            room=room,
            start=venue_time(event, 2012, 11, 7, 9, 0) + datetime.timedelta(hours=index),
            end=venue_time(event, 2012, 11, 7, 9, 30) + datetime.timedelta(hours=index),
        )
        for index in range(size)
    ]
    for _ in range(size):
        for talk in talks:
            talk.start += datetime.timedelta(minutes=5)
            talk.end += datetime.timedelta(minutes=5)
            talk.save()
        release_schedule(event, notify=False, allow_errors=True)
    return event


@pytest.mark.parametrize("size", [2, 6])
def test_release_list_queries_do_not_grow_with_releases_or_changes(
    api, db, size, django_assert_max_num_queries
):
    _released_event_of(size)

    # The event, the count, the page of releases, their changes with both copies' rooms.
    with django_assert_max_num_queries(4):
        body = api.get("/api/v1/events/sized/releases/?page_size=1000").json()

    assert body["count"] == size
    # Every talk new in the first release, then moved in each of the others.
    assert [len(release["changes"]) for release in body["results"]] == [size] * size


@pytest.mark.parametrize("size", [2, 6])
def test_release_detail_queries_do_not_grow_with_changes(
    api, db, size, django_assert_max_num_queries
):
    _released_event_of(size)

    # The event, the release, its changes with both copies' rooms.
    with django_assert_max_num_queries(3):
        body = api.get("/api/v1/events/sized/releases/2/").json()

    assert len(body["changes"]) == size
