"""Errors as application/problem+json: a message a person understands, naming the field."""

import pytest

pytestmark = pytest.mark.django_db


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "day=tomorrow",
            "day",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        (
            "day=2012-11-10",
            "day",
            "Conf 2012 does not run on 2012-11-10; its days are 2012-11-07 to 2012-11-09.",
        ),
        ("room=cellar", "room", "Conf 2012 has no room “cellar”."),
        ("track=cooking", "track", "Conf 2012 has no track “cooking”."),
        ("kind=sermon", "kind", '"sermon" is not a valid choice.'),
        ("speaker=ada", "speaker", "Must be a valid UUID."),
        ("updated_since=yesterday", "updated_since", None),
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


def test_a_write_without_a_token_is_a_401(api, conf):
    body = problem(api.post("/api/v1/events/conf/talks/", {}, format="json"), 401)

    assert body["title"] == "Not signed in"
    assert body["detail"] == "Authentication credentials were not provided."


def test_an_address_with_a_line_break_is_a_problem_404_too(api, conf):
    body = problem(api.get("/api/v1/events/a%0Ab/rooms/"), 404)

    assert body["title"] == "Not found"
    # The catch-all leaves the API's links to reverse.
    assert api.get("/api/v1/events/").json()["results"][0]["url"] == "http://testserver/conf/"


def test_a_method_an_endpoint_lacks_is_a_405_for_everyone(api, conf):
    body = problem(api.generic("TRACE", "/api/v1/events/conf/rooms/"), 405)

    assert body["detail"] == 'Method "TRACE" not allowed.'


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
