"""The organiser API: personal tokens, the working schedule, writes checked as in the admin."""

import re

import pytest

from api.models import ApiToken
from tests.factories import SpeakerFactory, TalkFactory, UserFactory, venue_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(organiser):
    _, token = ApiToken.issue(user=organiser, name="scripts")
    return token


@pytest.fixture
def organiser_api(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_a_token_is_created_in_the_admin_shown_once_and_stored_hashed(organiser_client):
    response = organiser_client.post(
        "/admin/api/apitoken/add/", {"name": "video pipeline"}, follow=True
    )

    shown = re.search(r"is (conf_[\w-]+) — copy it now", response.content.decode())
    assert shown is not None
    stored = ApiToken.objects.get(name="video pipeline")
    assert shown.group(1) not in stored.hashed_token
    assert stored.hint == shown.group(1)[:12]
    listing = organiser_client.get("/admin/api/apitoken/").content.decode()
    assert shown.group(1) not in listing
    assert stored.hint in listing


def test_a_revoked_token_is_refused(api, conf, organiser, token):
    ApiToken.objects.get(user=organiser).revoke()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    body = problem(api.get("/api/v1/events/"), 401)

    assert body["detail"] == (
        "This API token is unknown or revoked; create a new one on your account page "
        "(/accounts/tokens/) or in the admin."
    )


def test_organisers_revoke_their_tokens_in_the_admin(organiser_client, organiser, token):
    row = ApiToken.objects.get(user=organiser)

    organiser_client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [row.pk]}
    )

    row.refresh_from_db()
    assert row.revoked is not None


def test_the_working_schedule_shows_drafts_cancelled_talks_and_emails(organiser_api, conf):
    talks = organiser_api.get("/api/v1/events/conf/talks/").json()["results"]
    speakers = organiser_api.get("/api/v1/events/conf/speakers/").json()["results"]

    assert [talk["title"] for talk in talks] == [
        "Opening keynote",
        "Draft",
        "Withdrawn",
        "Schedulers",
    ]
    assert [speaker["email"] for speaker in speakers] == ["ada@example.org", "noel@example.org"]


def test_a_token_of_someone_who_is_no_organiser_reads_only_the_public_schedule(api, conf):
    _, token = ApiToken.issue(user=UserFactory(), name="mine")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    keynote = conf.talks.get(slug="keynote")

    titles = [talk["title"] for talk in api.get("/api/v1/events/conf/talks/").json()["results"]]
    refused = api.patch(
        f"/api/v1/events/conf/talks/{keynote.uuid}/", {"title": "Mine"}, format="json"
    )

    assert titles == ["Opening keynote", "Schedulers"]
    assert problem(refused, 403)["title"] == "Not allowed"


def test_moving_a_talk_keeps_its_length(organiser_api, conf):
    keynote = conf.talks.get(slug="keynote")

    response = organiser_api.patch(
        f"/api/v1/events/conf/talks/{keynote.uuid}/",
        {"start": "2012-11-09T14:00:00+01:00", "room": "hall-b"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start"], body["end"], body["room"]["slug"]) == (
        "2012-11-09T14:00:00+01:00",
        "2012-11-09T15:00:00+01:00",
        "hall-b",
    )
    keynote.refresh_from_db()
    assert keynote.start == venue_time(conf, 2012, 11, 9, 14, 0)


def test_a_clash_is_a_409_naming_the_other_talk_unless_forced(organiser_api, conf):
    keynote = conf.talks.get(slug="keynote")
    schedulers = conf.talks.get(slug="schedulers")
    move = {"start": "2012-11-08T11:15:00+01:00", "room": "hall-b"}
    url = f"/api/v1/events/conf/talks/{keynote.uuid}/"

    refused = problem(organiser_api.patch(url, move, format="json"), 409)
    forced = organiser_api.patch(f"{url}?force=1", move, format="json")

    assert refused["other_talks"] == [{"id": str(schedulers.uuid), "title": "Schedulers"}]
    assert refused["clashes"][0].startswith("“Opening keynote” is in Hall B at the same time as")
    assert forced.status_code == 200
    keynote.refresh_from_db()
    assert keynote.room.slug == "hall-b"


def test_a_stale_if_match_is_a_412_and_nothing_is_written(organiser_api, conf):
    keynote = conf.talks.get(slug="keynote")
    url = f"/api/v1/events/conf/talks/{keynote.uuid}/"
    etag = organiser_api.get(url)["ETag"]
    organiser_api.patch(url, {"title": "Keynote (new)"}, format="json", HTTP_IF_MATCH=etag)

    stale = organiser_api.patch(url, {"title": "Old idea"}, format="json", HTTP_IF_MATCH=etag)

    assert "changed at" in problem(stale, 412)["detail"]
    keynote.refresh_from_db()
    assert keynote.title == "Keynote (new)"


def test_a_talk_is_created_with_speakers_and_slugged_after_its_title(organiser_api, conf):
    ada = SpeakerFactory(name="Grace Hopper")

    response = organiser_api.post(
        "/api/v1/events/conf/talks/",
        {
            "title": "Compilers",
            "start": "2012-11-09T10:00:00+01:00",
            "duration_minutes": 45,
            "room": "hall-a",
            "speakers": [str(ada.uuid)],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["slug"], body["end"]) == ("compilers", "2012-11-09T10:45:00+01:00")
    assert [speaker["name"] for speaker in body["speakers"]] == ["Grace Hopper"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": "X", "start": "2012-11-09T10:00:00"}, "start", "Give the time with its offset"),
        ({"title": "X", "start": "soon"}, "start", "Give a time in ISO 8601 with its offset"),
        ({"title": "X", "room": "cellar"}, "room", "Conf 2012 has no room “cellar”."),
        ({"title": "X", "colour": "red"}, "colour", "Unknown field"),
        (
            {"title": 7, "speakers": "ada"},
            "speakers",
            "Give a list of speakers' ids, [] for none.",
        ),
        (
            {"title": "X", "start": "2013-01-01T10:00:00+01:00", "duration_minutes": 30},
            "start",
            "“X” (Tue 01 Jan 10:00–10:30) is outside the event's dates",
        ),
    ],
)
def test_a_wrong_talk_is_a_400_naming_the_field(organiser_api, conf, body, field, message):
    response = problem(organiser_api.post("/api/v1/events/conf/talks/", body, format="json"), 400)

    assert [error["field"] for error in response["errors"]] == [field]
    assert response["errors"][0]["message"].startswith(message)
    assert conf.talks.count() == 4


def test_a_talk_is_deleted(organiser_api, conf):
    draft = conf.talks.get(slug="draft")

    response = organiser_api.delete(f"/api/v1/events/conf/talks/{draft.uuid}/")

    assert response.status_code == 204
    assert not conf.talks.filter(slug="draft").exists()


def test_rooms_tracks_and_speakers_are_created_changed_and_deleted(organiser_api, conf):
    room = organiser_api.post("/api/v1/events/conf/rooms/", {"name": "Loft"}, format="json")
    renamed = organiser_api.patch(
        "/api/v1/events/conf/rooms/loft/", {"name": "The loft"}, format="json"
    )
    track = organiser_api.post(
        "/api/v1/events/conf/tracks/", {"name": "Storage", "colour": "#123456"}, format="json"
    )
    speaker = organiser_api.post(
        "/api/v1/events/conf/speakers/", {"name": "Linus", "email": "l@example.org"}, format="json"
    )
    gone = organiser_api.delete("/api/v1/events/conf/tracks/kernel/")

    assert (room.status_code, room.json()["slug"]) == (201, "loft")
    assert renamed.json()["name"] == "The loft"
    assert (track.status_code, track.json()["colour"]) == (201, "#123456")
    assert (speaker.status_code, speaker.json()["email"]) == (201, "l@example.org")
    assert gone.status_code == 204
    assert list(conf.tracks.values_list("slug", flat=True)) == ["storage"]


def test_a_duplicate_room_slug_is_a_400(organiser_api, conf):
    body = problem(
        organiser_api.post(
            "/api/v1/events/conf/rooms/", {"name": "Again", "slug": "hall-a"}, format="json"
        ),
        400,
    )

    assert body["errors"] == [
        {"field": "slug", "message": "Another room of this event has this slug."}
    ]


def test_an_unpublished_event_is_read_with_a_token(organiser_api, conf):
    conf.is_published = False
    conf.save()
    TalkFactory(event=conf, title="Late", slug="late")

    response = organiser_api.get("/api/v1/events/conf/")

    assert response.json()["published"] is False
