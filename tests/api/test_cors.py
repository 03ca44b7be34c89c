"""Cross-origin use of the API: other sites' pages read it; they neither write nor send a token.

A browser asks first (a preflight: ``OPTIONS`` with ``Origin`` and
``Access-Control-Request-Method``) before a request that is not a plain
read; what the answer names is what the page may then do.
"""

import pytest

from api.models import ApiToken

pytestmark = pytest.mark.django_db

ORIGIN = "https://signage.example.net"


def preflight(api, url, method, headers=None):
    extra = {"HTTP_ORIGIN": ORIGIN, "HTTP_ACCESS_CONTROL_REQUEST_METHOD": method}
    if headers:
        extra["HTTP_ACCESS_CONTROL_REQUEST_HEADERS"] = headers
    return api.options(url, **extra)


def allowed(response):
    """What the preflight lets the page do, as the browser reads it."""
    return {
        "status": response.status_code,
        "origin": response.get("Access-Control-Allow-Origin"),
        "methods": response.get("Access-Control-Allow-Methods"),
        "headers": response.get("Access-Control-Allow-Headers"),
        "max_age": response.get("Access-Control-Max-Age"),
    }


READS = {
    "status": 204,
    "origin": "*",
    "methods": "GET, HEAD",
    "headers": "Accept, Accept-Language, Content-Language, If-None-Match, If-Modified-Since",
    "max_age": "86400",
}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events/",
        "/api/v1/events/conf/",
        "/api/v1/events/conf/talks/?day=2012-11-07",
        "/api/v1/events/conf/speakers/",
        "/api/v1/events/conf/rooms/hall-a/",
        "/api/v1/events/conf/tracks/",
        # Also where the read will be a 404: the page may read the problem.
        "/api/v1/events/no-such-event/talks/",
        "/api/v1/nowhere/",
        "/api/schema/",
    ],
)
def test_a_preflight_for_a_read_is_answered_for_every_site(api, conf, url):
    response = preflight(api, url, "GET", headers="if-none-match")

    assert allowed(response) == READS
    assert response.content == b""
    assert not response.has_header("Content-Type")


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
def test_a_preflight_for_a_write_names_only_the_reads(api, conf, method):
    response = preflight(api, "/api/v1/events/conf/rooms/", method, headers="content-type")

    # The browser compares: the write is not among the methods, a JSON body's
    # Content-Type not among the headers, so it never sends the write.
    assert allowed(response) == READS
    assert method not in response["Access-Control-Allow-Methods"]
    assert "Content-Type" not in response["Access-Control-Allow-Headers"]


def test_a_preflight_does_not_let_a_page_send_a_token(api, conf):
    response = preflight(api, "/api/v1/events/conf/talks/", "GET", headers="authorization")

    assert "Authorization" not in response["Access-Control-Allow-Headers"]


def test_a_preflight_is_no_request_the_throttle_counts(api, conf, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anonymous": "2/minute", "token": "2/minute"}
    }

    answers = [preflight(api, "/api/v1/events/", "GET").status_code for _ in range(5)]

    assert answers == [204] * 5
    assert [api.get("/api/v1/events/").status_code for _ in range(3)] == [200, 200, 429]


def test_reads_and_their_errors_carry_the_cors_headers(api, conf):
    read = api.get("/api/v1/events/conf/talks/", HTTP_ORIGIN=ORIGIN)
    missing = api.get("/api/v1/events/no-such-event/", HTTP_ORIGIN=ORIGIN)
    head = api.head("/api/v1/events/", HTTP_ORIGIN=ORIGIN)

    for response in (read, missing, head):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Access-Control-Expose-Headers"] == "ETag, Retry-After"
    assert (read.status_code, missing.status_code, head.status_code) == (200, 404, 200)


def test_the_schema_is_open_to_other_sites_as_the_reads_are(api, conf):
    as_yaml = api.get("/api/schema/", HTTP_ORIGIN=ORIGIN)
    as_json = api.get("/api/schema/?format=json", HTTP_ORIGIN=ORIGIN)
    head = api.head("/api/schema/", HTTP_ORIGIN=ORIGIN)

    for response in (as_yaml, as_json, head):
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Access-Control-Expose-Headers"] == "ETag, Retry-After"
    # An API explorer on another site reads the operations it may call.
    assert "/api/v1/events/{event_slug}/releases/" in as_json.json()["paths"]


def test_writes_are_not_opened_to_other_sites(api, conf, organiser):
    _, token = ApiToken.issue(user=organiser, name="scripts")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    created = api.post(
        "/api/v1/events/conf/rooms/", {"name": "Loft"}, format="json", HTTP_ORIGIN=ORIGIN
    )
    api.credentials()
    anonymous = api.post(
        "/api/v1/events/conf/rooms/", {"name": "Attic"}, format="json", HTTP_ORIGIN=ORIGIN
    )

    # A script's write works, but its answer is not for another site's page.
    assert (created.status_code, anonymous.status_code) == (201, 401)
    assert not created.has_header("Access-Control-Allow-Origin")
    assert not anonymous.has_header("Access-Control-Allow-Origin")


def test_an_options_request_that_is_no_preflight_describes_the_endpoint(api, conf):
    response = api.options("/api/v1/events/conf/rooms/")

    assert response.status_code == 200
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert response.json()["name"] == "Room List"
    assert not response.has_header("Access-Control-Allow-Origin")
