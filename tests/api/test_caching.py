"""Anonymous reads of the public lists come from the page cache: ETag, 304, no render twice.

Organisers' token reads (the working schedule) are never stored nor served from it.
"""

import pytest

from api.models import ApiToken
from schedule.models import Talk
from schedule.releases.service import release_schedule

# About what a release changes: requests release nothing by themselves.
pytestmark = [pytest.mark.django_db, pytest.mark.manual_releases]

LISTS = ["talks/", "speakers/", "releases/"]


@pytest.fixture
def released(conf):
    release_schedule(conf, notify=False)
    return conf


def read(api, path, **headers):
    return api.get(f"/api/v1/events/conf/{path}", **headers)


def titles(response):
    return [talk["title"] for talk in response.json()["results"]]


@pytest.mark.parametrize("path", LISTS)
def test_a_list_is_answered_from_the_cache_and_304_to_its_etag(
    api, released, path, django_assert_num_queries
):
    first = read(api, path)

    # Neither the event nor the list is read again: the stored answer is sent.
    with django_assert_num_queries(0):
        again = read(api, path)
        not_modified = read(api, path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert first.has_header("Last-Modified")
    assert (again.status_code, again.content, again["ETag"]) == (200, first.content, first["ETag"])
    assert (not_modified.status_code, not_modified.content) == (304, b"")
    assert not_modified["ETag"] == first["ETag"]
    # A page of another site may still read the answer, and a cache in between
    # keeps a token's answers apart.
    assert not_modified["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in first["Vary"]


def test_a_new_release_changes_the_etag_and_the_list(api, released):
    before = read(api, "talks/")
    Talk.objects.filter(slug="keynote").update(title="Welcome keynote")
    release_schedule(released, notify=False)

    after = read(api, "talks/", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert titles(after) == ["Welcome keynote", "Schedulers"]


def test_an_edit_not_released_keeps_the_etag(api, released):
    before = read(api, "talks/")
    keynote = Talk.objects.get(slug="keynote")
    keynote.title = "Not announced yet"
    keynote.save()  # the event's pages are stale: rendered again, to the same list

    after = read(api, "talks/", HTTP_IF_NONE_MATCH=before["ETag"])
    fresh = read(api, "talks/")

    assert after.status_code == 304
    assert fresh["ETag"] == before["ETag"]
    assert titles(fresh) == ["Opening keynote", "Schedulers"]


def test_an_organisers_read_is_neither_cached_nor_served_from_the_cache(api, released, organiser):
    anonymous = read(api, "talks/")
    _, token = ApiToken.issue(user=organiser, name="scripts")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    working = read(api, "talks/", HTTP_IF_NONE_MATCH=anonymous["ETag"])
    api.credentials()
    anonymous_again = read(api, "talks/")

    assert working.status_code == 200
    assert not working.has_header("ETag")
    assert "Draft" in titles(working)
    assert "Authorization" in working["Vary"]
    assert anonymous_again.content == anonymous.content
    assert "Draft" not in titles(anonymous_again)


def test_an_organisers_read_first_leaves_nothing_for_anonymous_readers(api, released, organiser):
    _, token = ApiToken.issue(user=organiser, name="scripts")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    read(api, "talks/")
    read(api, "speakers/")
    api.credentials()

    talks, speakers = read(api, "talks/"), read(api, "speakers/")

    assert titles(talks) == ["Opening keynote", "Schedulers"]
    assert all("email" not in speaker for speaker in speakers.json()["results"])


def test_each_page_of_a_list_is_stored_apart(api, released):
    first = read(api, "talks/?page_size=1")
    second = read(api, "talks/?page_size=1&page=2")

    assert (titles(first), titles(second)) == (["Opening keynote"], ["Schedulers"])
    assert first["ETag"] != second["ETag"]
    assert read(api, "talks/?page_size=1", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_errors_are_not_stored(api, released):
    wrong = read(api, "talks/?day=tomorrow")
    again = read(api, "talks/?day=tomorrow")
    missing = api.get("/api/v1/events/nowhere/talks/")

    assert (wrong.status_code, again.status_code, missing.status_code) == (400, 400, 404)
    assert not wrong.has_header("ETag")
    assert not missing.has_header("ETag")


def test_an_event_unpublished_is_not_served_from_the_cache(api, released):
    read(api, "talks/")
    released.is_published = False
    released.save()

    assert read(api, "talks/").status_code == 404


@pytest.mark.parametrize("path", LISTS)
def test_a_stored_list_is_answered_before_the_api_s_layers_as_the_view_would(
    api, released, path, monkeypatch, django_assert_num_queries
):
    from api import views

    first = read(api, path)
    # Through the view: an Authorization header the API does not know reads anonymously.
    through_the_view = read(api, path, HTTP_AUTHORIZATION="Basic c29tZW9uZQ==")

    def not_reached(*args, **kwargs):
        raise AssertionError("the view was reached")

    monkeypatch.setattr(views.PublicListFromCache, "list", not_reached)
    with django_assert_num_queries(0):
        answered = read(api, path)
        not_modified = read(api, path, HTTP_IF_NONE_MATCH=first["ETag"])

    assert answered.content == through_the_view.content == first.content
    assert dict(answered.headers) == dict(through_the_view.headers)
    assert "HEAD" in answered["Allow"]
    assert (not_modified.status_code, not_modified["ETag"]) == (304, first["ETag"])
    assert not_modified["Access-Control-Allow-Origin"] == "*"


def test_lists_answered_before_the_api_s_layers_count_toward_the_anonymous_rate(
    api, released, settings
):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anonymous": "3/minute", "token": "3/minute"}
    }

    answers = [read(api, "talks/").status_code for _ in range(4)]
    refused = read(api, "talks/")

    assert answers == [200, 200, 200, 429]
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 60


def test_a_token_read_is_never_answered_before_the_api_s_layers(api, released, organiser):
    anonymous = titles(read(api, "talks/"))
    Talk.objects.filter(slug="keynote").update(title="Working title, not released")
    _, token = ApiToken.issue(user=organiser, name="scripts")

    working = read(api, "talks/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert "Working title, not released" in titles(working)
    assert "Working title, not released" not in anonymous
    assert "Working title, not released" not in titles(read(api, "talks/"))


def test_a_list_not_yet_stored_is_looked_up_once(api, released, monkeypatch):
    """The middleware's miss is the view's: it does not read the version and look again."""
    from infrastructure.page_cache import serving

    versions_read = []
    real_version = serving.event_version
    monkeypatch.setattr(
        serving, "event_version", lambda slug: versions_read.append(slug) or real_version(slug)
    )

    response = read(api, "talks/")

    assert "Opening keynote" in titles(response)
    assert versions_read == ["conf"]
