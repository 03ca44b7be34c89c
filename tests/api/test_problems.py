"""Errors as application/problem+json: a message a person understands, naming the field."""

import pytest
from django.contrib.auth.models import Permission

from api.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("day=tomorrow", "day", "Give a day as YYYY-MM-DD, e.g. 2012-11-07."),
        (
            "day=2012-11-10",
            "day",
            "Conf 2012 does not run on 2012-11-10; its days are 2012-11-07 to 2012-11-09.",
        ),
        ("room=cellar", "room", "Conf 2012 has no room “cellar”."),
        ("track=cooking", "track", "Conf 2012 has no track “cooking”."),
        (
            "kind=sermon",
            "kind",
            "“sermon” is not a kind of talk; give one of keynote, talk, lightning, workshop, "
            "panel, break.",
        ),
        ("speaker=ada", "speaker", "Give a speaker's id: a UUID, as the speakers list shows it."),
        (
            "updated_since=yesterday",
            "updated_since",
            "Give a time in ISO 8601, e.g. 2012-11-07T09:00:00+01:00 "
            "(without an offset it is read as UTC).",
        ),
        ("colour=red", "colour", None),
    ],
)
def test_a_wrong_filter_is_a_400_naming_it(api, conf, query, field, message):
    body = problem(api.get(f"/api/v1/events/conf/talks/?{query}"), 400)

    assert body["title"] == "Bad request"
    assert body["status"] == 400
    assert [error["field"] for error in body["errors"]] == [field]
    if message:
        assert body["errors"][0]["message"] == message
    assert body["detail"].startswith(f"{field}: ")


def test_an_unknown_parameter_says_which_ones_the_list_takes(api, conf):
    body = problem(api.get("/api/v1/events/conf/rooms/?sort=name"), 400)

    assert body["errors"] == [
        {"field": "sort", "message": "Unknown parameter; this endpoint takes page, page_size."}
    ]


def test_a_page_past_the_end_is_a_404_with_a_message(api, conf):
    body = problem(api.get("/api/v1/events/conf/talks/?page=9"), 404)

    assert body["detail"] == "There is no page 9 of this list."


def test_an_unknown_address_under_the_api_is_a_problem_404(api, db):
    body = problem(api.get("/api/v1/nothing/here/"), 404)

    assert body["detail"] == "There is no such address in the API; see /api/docs/."


def test_problems_are_told_in_the_client_s_language_with_the_field_names_as_they_are(api, conf):
    wrong_day = problem(
        api.get("/api/v1/events/conf/talks/?day=tomorrow", headers={"accept-language": "de"}), 400
    )
    missing = problem(api.get("/api/v1/nothing/here/", headers={"accept-language": "de"}), 404)

    assert wrong_day["title"] == "Fehlerhafte Anfrage"
    assert wrong_day["errors"] == [
        {"field": "day", "message": "Gib einen Tag als JJJJ-MM-TT an, z. B. 2012-11-07."}
    ]
    assert missing["title"] == "Nicht gefunden"
    assert missing["detail"] == "Diese Adresse gibt es in der API nicht; siehe /api/docs/."


def test_a_write_without_a_token_is_a_401(api, conf):
    body = problem(api.post("/api/v1/events/conf/talks/", {}, format="json"), 401)

    assert body["title"] == "Not signed in"
    assert body["detail"] == (
        "Changes need an organiser's API token, sent as “Authorization: Bearer <token>”; "
        "organisers create one at /accounts/tokens/."
    )


def test_an_address_with_a_line_break_is_a_problem_404_too(api, conf):
    body = problem(api.get("/api/v1/events/a%0Ab/rooms/"), 404)

    assert body["title"] == "Not found"
    # The catch-all leaves the API's links to reverse.
    assert api.get("/api/v1/events/").json()["results"][0]["url"] == "http://testserver/conf/"


def response_allow(api):
    return api.generic("TRACE", "/api/v1/events/conf/rooms/")["Allow"]


def test_a_method_an_endpoint_lacks_is_a_405_for_everyone(api, conf):
    body = problem(api.generic("TRACE", "/api/v1/events/conf/rooms/"), 405)

    assert body["detail"] == "This address takes GET, POST, HEAD, OPTIONS, not TRACE."
    assert response_allow(api) == "GET, POST, HEAD, OPTIONS"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("page_size=null", "page_size", "Give a whole number from 1 to 1000."),
        ("page_size=1001", "page_size", "Give a whole number from 1 to 1000."),
        ("page=", "page", "Give a page number from 1 up."),
        ("page=0", "page", "Give a page number from 1 up."),
    ],
)
def test_a_page_or_page_size_out_of_range_is_a_400(api, conf, query, field, message):
    body = problem(api.get(f"/api/v1/events/?{query}"), 400)

    assert body["errors"] == [{"field": field, "message": message}]


# Writes, with an organiser's token ------------------------------------------


@pytest.fixture
def organiser_api(api, organiser):
    _, token = ApiToken.issue(user=organiser, name="scripts")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


@pytest.mark.parametrize(
    ("endpoint", "body", "errors"),
    [
        # A field the resource lacks is refused, naming the ones it has, not dropped.
        (
            "rooms/",
            {"name": "Loft", "colour": "#ff0000"},
            {"colour": "Unknown field; a room takes name, slug, capacity, position."},
        ),
        (
            "speakers/",
            {"name": "Grace", "twitter": "@grace"},
            {
                "twitter": "Unknown field; a speaker takes name, affiliation, bio_markdown, "
                "email, website."
            },
        ),
        (
            "tracks/",
            {"name": "Compilers", "color": "#ff0000"},
            {"color": "Unknown field; a track takes name, slug, colour, position."},
        ),
        # Wrong types and formats say what to send.
        ("rooms/", {"name": "Loft", "capacity": "many"}, {"capacity": "Give a whole number."}),
        (
            "tracks/",
            {"name": "Compilers", "colour": "red"},
            {"colour": "Give a colour as # and six hexadecimal digits, e.g. #1f77b4."},
        ),
        (
            "talks/",
            {"title": "X", "start": "tomorrow"},
            {
                "start": "Give a time in ISO 8601 with its offset, e.g. "
                "2012-11-07T09:00:00+01:00 (Z for UTC)."
            },
        ),
        ("talks/", {"title": "X", "published": "maybe"}, {"published": "Give true or false."}),
        (
            "talks/",
            {"title": "X", "kind": "sermon"},
            {
                "kind": "“sermon” is not a kind of talk; give one of keynote, talk, lightning, "
                "workshop, panel, break."
            },
        ),
        (
            "talks/",
            {"title": "X", "speakers": "ada"},
            {"speakers": "Give a list of speakers' ids, [] for none."},
        ),
        # An item of a list is named by its index, the first one too.
        (
            "talks/",
            {"title": "X", "speakers": ["ada", "noel"]},
            {
                "speakers[0]": "Give a speaker's id: a UUID, as the speakers list shows it.",
                "speakers[1]": "Give a speaker's id: a UUID, as the speakers list shows it.",
            },
        ),
        # The model's own rules name the field as the API calls it.
        (
            "talks/",
            {"title": "X", "slug": "schedulers"},
            {"slug": "Another talk of this event has this slug."},
        ),
        (
            "rooms/",
            {"name": "Another hall", "slug": "hall-a"},
            {"slug": "Another room of this event has this slug."},
        ),
        # Out of the event's times.
        (
            "talks/",
            {"title": "X", "start": "2012-11-10T10:00:00+01:00", "duration_minutes": 30},
            {
                "start": "“X” (Sat 10 Nov 10:00–10:30) is outside the event's dates, "
                "07 Nov to 09 Nov 2012 in Europe/Madrid."
            },
        ),
    ],
)
def test_a_wrong_write_is_a_400_naming_each_field(organiser_api, conf, endpoint, body, errors):
    before = (conf.talks.count(), conf.rooms.count(), conf.tracks.count())

    response = problem(
        organiser_api.post(f"/api/v1/events/conf/{endpoint}", body, format="json"), 400
    )

    assert {error["field"]: error["message"] for error in response["errors"]} == errors
    assert response["detail"] == " ".join(f"{field}: {text}" for field, text in errors.items())
    assert (conf.talks.count(), conf.rooms.count(), conf.tracks.count()) == before


def test_a_body_that_is_not_json_says_so(organiser_api, conf):
    body = problem(
        organiser_api.generic(
            "POST", "/api/v1/events/conf/rooms/", '{"name": Loft}', content_type="application/json"
        ),
        400,
    )

    assert body["detail"] == (
        "The body is not valid JSON: Expecting value: line 1 column 10 (char 9)."
    )


def test_a_body_sent_as_a_form_is_told_to_come_as_json(organiser_api, conf):
    body = problem(organiser_api.post("/api/v1/events/conf/rooms/", {"name": "Loft"}), 415)

    assert body["detail"] == (
        "Send the body as JSON, with “Content-Type: application/json” "
        "(this request's was “multipart/form-data”)."
    )


def test_a_token_of_someone_who_is_no_organiser_is_told_why_a_write_is_refused(api, conf):
    _, token = ApiToken.issue(user=UserFactory(username="speaker"), name="mine")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    body = problem(api.post("/api/v1/events/conf/rooms/", {"name": "Loft"}, format="json"), 403)

    assert body["detail"] == (
        "Only organisers' tokens change the schedule, and this token's account is not "
        "an organiser's."
    )
    assert not conf.rooms.filter(name="Loft").exists()


def test_an_organiser_without_the_models_permission_is_told_which(api, conf):
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_room"))
    _, token = ApiToken.issue(user=user, name="read only")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    body = problem(api.post("/api/v1/events/conf/rooms/", {"name": "Loft"}, format="json"), 403)

    assert (
        body["detail"] == "Your account may not add rooms; a superuser can give it that permission."
    )
