"""While the shared cache cannot be reached, pages are rendered and served, and no edit is lost.

The first tests stop a real Redis in the middle (``private_redis``, a
redis-server of the test's own whose data survive a restart); the others make
the cache's calls fail as a dropped connection does, on whatever cache the
suite runs with.
"""

import logging

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from infrastructure.page_cache import shared
from schedule.models import Talk
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
PAGES = ["/", "/cached/", "/cached/schedule/", "/cached/talks/memory/", "/cached/speakers/"]


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.fixture
def retry_at_once(monkeypatch):
    """Every call tries the cache again (in production a failure pauses that for a second)."""
    monkeypatch.setattr(shared, "RETRY_SECONDS", 0)


def outage_lines(caplog):
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "infrastructure.page_cache.shared"
    ]


def rename_talk_in_the_admin(organiser_browser, event, title):
    talk = Talk.objects.get(slug="memory")
    return organiser_browser.post(
        f"/admin/schedule/talk/{talk.pk}/change/",
        {
            "event": event.pk,
            "title": title,
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


def test_pages_render_while_redis_is_down_and_an_edit_made_meanwhile_shows_after(
    private_redis, cached_conf, organiser, visitor, retry_at_once, caplog
):
    caplog.set_level(logging.WARNING, logger="infrastructure.page_cache.shared")
    for path in PAGES:
        visitor.get(path)  # stored in Redis, and in this process's memory
    assert "Memory management" in visitor.get("/cached/schedule/").content.decode()

    private_redis.kill()
    during = [visitor.get(path) for path in PAGES for _ in range(3)]
    # Signing in (a session, the failed-sign-in counter) and editing need no cache.
    organiser.set_password(PASSWORD)
    organiser.save()
    organiser_browser = Client(raise_request_exception=False)
    signed_in = organiser_browser.post(
        "/accounts/login/", {"username": "organiser", "password": PASSWORD}
    )
    edited = rename_talk_in_the_admin(
        organiser_browser, cached_conf, "Memory, while Redis was away"
    )
    after_the_edit = visitor.get("/cached/schedule/")

    private_redis.start()  # with what it held before: the pages under the old version
    back = {path: visitor.get(path) for path in ["/cached/schedule/", "/cached/talks/memory/"]}

    assert [response.status_code for response in during] == [200] * len(during)
    assert all("Cached Conf" in response.content.decode() for response in during)
    assert "<title>Schedule · Cached Conf" in during[6].content.decode()
    assert signed_in.status_code == 302
    assert edited.status_code == 302, edited.content.decode()[:500]
    assert "Memory, while Redis was away" in after_the_edit.content.decode()
    for path, response in back.items():
        assert response.status_code == 200
        assert "Memory, while Redis was away" in response.content.decode(), path
    went, came_back = outage_lines(caplog)  # one line each, however many requests
    assert went.startswith("The shared cache cannot be reached (ConnectionError: ")
    assert f"127.0.0.1:{private_redis.port}" in went
    assert went.endswith("pages are rendered without it until it answers again")
    assert came_back.startswith("The shared cache answers again, after ")


def test_a_hung_redis_costs_its_timeout_not_the_page(private_redis, cached_conf, visitor, caplog):
    visitor.get("/cached/schedule/")

    private_redis.freeze()
    try:
        hung = [visitor.get("/cached/schedule/"), visitor.get("/cached/speakers/")]
    finally:
        private_redis.thaw()

    assert [response.status_code for response in hung] == [200, 200]
    assert "Rik van Riel" in hung[1].content.decode()
    assert "cannot be reached (TimeoutError: Timeout reading from socket)" in caplog.text


def test_pages_are_cached_again_once_redis_is_back(
    private_redis, cached_conf, visitor, retry_at_once, django_assert_num_queries
):
    private_redis.kill()
    visitor.get("/cached/schedule/")
    private_redis.start()
    visitor.get("/cached/schedule/")

    with django_assert_num_queries(0):
        again = visitor.get("/cached/schedule/")

    assert "Memory management" in again.content.decode()


# -- Without a Redis of its own: the cache's calls fail as a lost connection's do ------


def unreachable(*args, **kwargs):
    raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def cache_gone(monkeypatch):
    """Until ``cache_gone.back()``, every call to the cache fails as an unreachable Redis's."""
    backend = caches["default"]

    class Outage:
        gone = True

        def back(self):
            self.gone = False

    outage = Outage()
    for name in ["get", "set", "add", "incr", "get_many", "delete"]:
        real = getattr(backend, name)
        monkeypatch.setattr(
            backend,
            name,
            lambda *args, real=real, **kwargs: (
                unreachable() if outage.gone else real(*args, **kwargs)
            ),
        )
    return outage


@pytest.mark.parametrize("path", PAGES)
def test_an_unreachable_cache_is_a_miss_not_an_error(cached_conf, visitor, cache_gone, path):
    response = visitor.get(path)

    assert response.status_code == 200
    assert "Cached Conf" in response.content.decode()


def test_an_outage_is_logged_once_and_its_end_once(
    cached_conf, visitor, cache_gone, retry_at_once, caplog
):
    caplog.set_level(logging.WARNING, logger="infrastructure.page_cache.shared")
    for _ in range(5):
        visitor.get("/cached/schedule/")
    lines_during = outage_lines(caplog)
    cache_gone.back()
    for _ in range(3):
        visitor.get("/cached/schedule/")

    assert len(lines_during) == 1
    assert lines_during[0].startswith("The shared cache cannot be reached (ConnectionError")
    assert len(outage_lines(caplog)) == 2
    assert outage_lines(caplog)[1].startswith("The shared cache answers again")


def test_a_new_version_that_could_not_be_written_is_written_before_the_next_read(
    cached_conf, visitor, monkeypatch, retry_at_once
):
    # The pages stay in the cache while only the writes fail: once it answers
    # again it still holds them, under the version from before the edit.
    assert "Memory management" in visitor.get("/cached/schedule/").content.decode()
    backend = caches["default"]
    real_set = backend.set
    monkeypatch.setattr(backend, "set", unreachable)
    Talk.objects.filter(slug="memory").update(title="Renamed while writes failed")
    Talk.objects.get(slug="memory").save()
    assert shared.pending_keys() == ["pages:version:__site__", "pages:version:cached"]
    monkeypatch.setattr(backend, "set", real_set)

    response = visitor.get("/cached/schedule/")

    assert "Renamed while writes failed" in response.content.decode()
    assert shared.pending_keys() == []


def test_a_lost_new_version_leaves_a_page_stale_for_a_bounded_time(
    cached_conf, visitor, monkeypatch
):
    import time

    import time_machine

    from infrastructure.page_cache.versions import VERSION_SECONDS

    with time_machine.travel(time.time(), tick=False) as clock:
        visitor.get("/cached/schedule/")
        # As when the process that made the edit ended before Redis came back.
        monkeypatch.setattr(shared, "set", lambda *args, **kwargs: None)
        Talk.objects.filter(slug="memory").update(title="Renamed by a process now gone")
        monkeypatch.undo()
        clock.shift(VERSION_SECONDS + 1)

        response = visitor.get("/cached/schedule/")

    assert "Renamed by a process now gone" in response.content.decode()


def test_sessions_and_sign_in_throttling_do_not_use_the_cache(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_a_speaker_signs_in_while_the_cache_is_gone(db, cache_gone):
    user = UserFactory(username="avi")
    user.set_password(PASSWORD)
    user.save()
    browser = Client(raise_request_exception=False)

    response = browser.post("/accounts/login/", {"username": "avi", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert "_auth_user_id" in browser.session
