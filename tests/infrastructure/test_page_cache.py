"""Public pages come from the cache until anything they show changes, then never stale."""

import datetime
import gzip

import brotli
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.http import parse_http_date

from schedule.models import Talk
from schedule.services.bulk import talks_cancel
from tests.factories import EventFactory, SpeakerFactory, TalkFactory, venue_time

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
def test_second_request_is_served_without_queries(
    client, cached_conf, path, django_assert_num_queries
):
    first = client.get(path)

    with django_assert_num_queries(0):
        second = client.get(path)

    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("path", PAGES)
def test_conditional_request_gets_304(client, cached_conf, path):
    first = client.get(path)

    by_etag = client.get(path, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(path, headers={"If-Modified-Since": first["Last-Modified"]})

    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag.content == b""


def test_pages_are_gzipped_for_clients_that_accept_it(client, cached_conf):
    plain = client.get("/cached/schedule/")

    zipped = client.get("/cached/schedule/", headers={"Accept-Encoding": "gzip, deflate"})

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content


def test_an_edit_in_the_admin_shows_on_the_next_request(client, organiser, cached_conf):
    talk = Talk.objects.get(slug="memory")
    assert "Memory management" in client.get("/cached/schedule/").content.decode()
    organiser_browser = Client()
    organiser_browser.force_login(organiser)

    organiser_browser.post(
        f"/admin/schedule/talk/{talk.pk}/change/",
        {
            "event": cached_conf.pk,
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
def test_every_kind_of_change_renders_the_page_again(client, cached_conf, change):
    client.get("/cached/schedule/")

    change()

    with CaptureQueriesContext(connection) as queries:
        client.get("/cached/schedule/")
    assert len(queries) > 0


def test_speaker_edit_shows_on_every_event_they_speak_at(client, cached_conf):
    other = EventFactory(slug="other-conf")
    rik = SpeakerFactory._meta.model.objects.get(slug="rik")
    TalkFactory(event=other, slug="numa", speakers=[rik])
    client.get("/other-conf/speakers/rik/")

    rik.bio = "Works on NUMA balancing."
    rik.save()

    assert "Works on NUMA balancing." in client.get("/other-conf/speakers/rik/").content.decode()


def test_signed_in_people_always_get_a_fresh_page(client, organiser, cached_conf):
    client.force_login(organiser)
    client.get("/cached/schedule/")
    Talk.objects.filter(slug="memory").update(title="Quietly renamed")

    assert "Quietly renamed" in client.get("/cached/schedule/").content.decode()


def test_the_schedule_of_a_running_event_is_kept_one_minute_at_most(client, db):
    import time_machine

    event = EventFactory(slug="live")
    TalkFactory(
        event=event,
        title="Opening",
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 10, 0),
    )
    with time_machine.travel(venue_time(event, 2012, 11, 7, 8, 59, 20), tick=False) as clock:
        before = client.get("/live/schedule/")
        clock.shift(30)
        still_cached = client.get("/live/schedule/")
        clock.shift(15)
        after = client.get("/live/schedule/")

    assert 'text-bg-primary">Next<' in before.content.decode()
    assert still_cached.content == before.content
    assert 'text-bg-success">Now<' in after.content.decode()
    # Browsers ask each time; the ETag makes that cheap.
    assert after["Cache-Control"] == "public, no-cache"


def test_a_change_made_by_another_process_shows_on_the_next_request(client, cached_conf):
    from django.core.cache import cache

    client.get("/cached/schedule/")
    Talk.objects.filter(slug="memory").update(title="Renamed elsewhere")
    # What another app process does once it has saved: a new version in the shared cache.
    cache.set("pages:version:cached", "set by another process", None)

    assert "Renamed elsewhere" in client.get("/cached/schedule/").content.decode()


def test_a_warm_hit_reads_only_the_version_from_the_shared_cache(client, cached_conf, monkeypatch):
    from django.core.cache import cache

    client.get("/cached/schedule/", headers={"Accept-Encoding": "gzip"})
    read = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args: read.append(key) or real_get(key, *args))
    monkeypatch.setattr(cache, "get_many", lambda keys: read.extend(keys) or {})

    response = client.get("/cached/schedule/", headers={"Accept-Encoding": "gzip"})

    assert "Memory management" in gzip.decompress(response.content).decode()
    assert read == ["pages:version:cached"]


def test_a_process_without_the_page_in_memory_serves_it_from_the_shared_cache(client, cached_conf):
    from infrastructure.page_cache import recent_entries

    first = client.get("/cached/schedule/")
    recent_entries.clear()  # as in another process, or after a restart

    with CaptureQueriesContext(connection) as queries:
        plain = client.get("/cached/schedule/")
        zipped = client.get("/cached/schedule/", headers={"Accept-Encoding": "gzip"})

    assert len(queries) == 0
    assert plain.content == first.content
    assert gzip.decompress(zipped.content) == first.content


def test_pages_kept_in_memory_stay_within_their_bytes():
    from infrastructure.page_cache.memory import RecentItems
    from infrastructure.page_cache.serving import _Entry

    def entry(size):
        return _Entry(b"x" * size, '"e"', "", 0, (), expires=float("inf"))

    recent = RecentItems(max_bytes=100)
    recent.put("a", entry(40), 40)
    recent.put("b", entry(40), 40)
    recent.get("a")  # used last, so kept
    recent.put("c", entry(40), 40)
    recent.put("huge", entry(101), 101)

    assert recent.get("a") is not None
    assert recent.get("b") is None
    assert recent.get("c") is not None
    assert recent.get("huge") is None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda event: Talk.objects.get(slug="memory").delete(), id="talk-deleted"),
        pytest.param(
            lambda event: event.rooms.get().save(),
            id="room-saved",
        ),
        pytest.param(
            lambda event: Talk.objects.get(slug="memory").talk_speakers.get().delete(),
            id="speaker-taken-off",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_export_last_modified_moves_on_with_changes_no_row_records(
    client, cached_conf, change, fmt, django_capture_on_commit_callbacks
):
    import time_machine

    path = f"/cached/schedule.{fmt}"
    changed_at = venue_time(cached_conf, 2030, 1, 1, 12, 0)
    first = client.get(path)
    with time_machine.travel(changed_at, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            change(cached_conf)
        again = client.get(path, headers={"If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 200
    assert parse_http_date(again["Last-Modified"]) == changed_at.timestamp()


def test_pages_kept_in_memory_are_counted_by_what_they_hold(client, cached_conf):
    from infrastructure.page_cache import recent_entries

    plain = client.get("/cached/schedule/")  # rendered: memory keeps the gzipped page only
    zipped = client.get("/cached/schedule/", headers={"Accept-Encoding": "gzip"})
    [(entry, size)] = recent_entries._entries.values()

    assert entry.plain is None
    assert size == len(zipped.content) < len(plain.content)


def test_pages_go_stale_even_when_the_time_of_change_cannot_be_written(
    client, cached_conf, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from django.db import DatabaseError

    from infrastructure.page_cache import versions

    def locked(slugs):
        raise DatabaseError("database is locked")

    client.get("/cached/schedule/")
    monkeypatch.setattr(versions, "_stamp", locked)
    with django_capture_on_commit_callbacks(execute=True):
        talk = Talk.objects.get(slug="memory")
        talk.title = "Saved all the same"
        talk.save()

    assert "Saved all the same" in client.get("/cached/schedule/").content.decode()
    assert "Could not record the time of change of ['cached']" in caplog.text


# -- Query strings -------------------------------------------------------------


def stored_keys():
    """How many keys the shared cache holds (what an operator sees grow)."""
    from django.core.cache import cache

    backend = cache._cache
    if hasattr(backend, "get_client"):  # Redis
        return backend.get_client().dbsize()
    return len(backend)


def test_an_unknown_parameter_is_redirected_to_the_cached_page_without_it(
    client, cached_conf, django_assert_num_queries
):
    canonical = client.get("/cached/schedule/?day=2012-11-07")

    with django_assert_num_queries(0):
        response = client.get(
            "/cached/schedule/?utm_source=newsletter&day=2012-11-07&fbclid=abc", follow=True
        )

    assert response.redirect_chain == [("/cached/schedule/?day=2012-11-07", 302)]
    assert response.content == canonical.content
    assert "<title>Schedule · Cached Conf" in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_a_flood_of_random_query_strings_stores_nothing(client, cached_conf, path):
    import secrets

    client.get(path)
    keys_before = stored_keys()

    redirects = [
        client.get(f"{path}?{secrets.token_hex(4)}={secrets.token_hex(8)}") for _ in range(20)
    ]

    assert {response.status_code for response in redirects} == {302}
    assert {response["Location"] for response in redirects} == {path}
    assert stored_keys() == keys_before


def test_signed_in_people_are_redirected_from_unknown_parameters_too(organiser_client, cached_conf):
    response = organiser_client.get("/cached/speakers/?ref=mail")

    assert response.status_code == 302
    assert response["Location"] == "/cached/speakers/"


@pytest.mark.parametrize(
    "query",
    ["q=memory&day=2012-11-07", "day=2012-11-07&q=memory", "q=+memory+&day=2012-11-07&room="],
)
def test_one_query_in_any_order_or_spacing_is_one_entry(
    client, cached_conf, query, django_assert_num_queries
):
    first = client.get("/cached/schedule/?day=2012-11-07&q=memory")

    with django_assert_num_queries(0):
        again = client.get(f"/cached/schedule/?{query}")

    assert again.status_code == 200
    assert again.content == first.content
    assert "1 talk matches" in again.content.decode()
    assert (
        '<link rel="canonical" href="http://testserver/cached/schedule/?day=2012-11-07&amp;q=memory">'
        in again.content.decode()
    )


def test_an_empty_talks_list_is_still_an_empty_my_schedule(client, cached_conf):
    mine = client.get("/cached/schedule/?talks=").content.decode()
    everything = client.get("/cached/schedule/").content.decode()

    assert "You have not starred any talks yet" in mine
    assert "Memory management" not in mine
    assert "Memory management" in everything


def test_each_event_stores_a_bounded_number_of_query_strings(client, cached_conf, settings):
    from django.db import connection

    settings.PAGE_CACHE_QUERY_VARIANTS = 3
    searches = [f"/cached/schedule/?q=word{number}" for number in range(6)]
    for path in searches:
        client.get(path)
    client.get("/cached/schedule/")
    keys_after_flood = stored_keys()

    rendered_again = []
    for path in [*searches, "/cached/schedule/"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        assert "<title>Schedule · Cached Conf" in response.content.decode()
        rendered_again.append(len(queries) > 0)
    for path in searches:
        client.get(path)

    # The first three searches and the plain page come from the cache, the rest are rendered.
    assert rendered_again == [False, False, False, True, True, True, False]
    assert stored_keys() == keys_after_flood


def test_the_bound_on_query_strings_starts_afresh_each_interval(client, cached_conf, settings):
    import time

    import time_machine

    from infrastructure.page_cache.versions import VERSION_SECONDS

    settings.PAGE_CACHE_QUERY_VARIANTS = 1
    with time_machine.travel(time.time(), tick=False) as clock:
        client.get("/cached/schedule/?q=first")
        client.get("/cached/schedule/?q=second")  # over the bound: not stored
        clock.shift(VERSION_SECONDS)
        client.get("/cached/schedule/?q=second")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/cached/schedule/?q=second")

    assert len(queries) == 0
    assert "No talks match" in response.content.decode()


def test_a_query_string_over_the_bound_is_still_public_for_browsers_to_keep(
    client, cached_conf, settings
):
    settings.PAGE_CACHE_QUERY_VARIANTS = 1
    client.get("/cached/schedule/?talks=")
    over_the_bound = client.get("/cached/schedule/?q=memory")

    # Browsers ask again each time, and the offline worker keeps it like a stored page.
    assert "Memory management" in over_the_bound.content.decode()
    assert over_the_bound["Cache-Control"] == "public, no-cache"


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip, deflate, br", "br"),
        ("br", "br"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("gzip;q=0, br;q=0", None),
        ("identity", None),
    ],
)
def test_each_client_gets_the_encoding_it_takes_most_gladly(client, cached_conf, accept, encoding):
    plain = client.get("/cached/schedule/")

    response = client.get("/cached/schedule/", headers={"Accept-Encoding": accept})

    assert response.get("Content-Encoding") == encoding
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    assert decoded(response.content) == plain.content
    assert "Accept-Encoding" in response["Vary"]


def test_a_page_is_brotli_compressed_once_for_every_process(client, cached_conf, monkeypatch):
    from infrastructure.page_cache import recent_entries, serving

    made = []
    real_compress = brotli.compress
    monkeypatch.setattr(
        serving.brotli, "compress", lambda data, **kw: made.append(1) or real_compress(data, **kw)
    )

    written = []
    real_set = serving.shared.set
    monkeypatch.setattr(
        serving.shared, "set", lambda key, *a, **kw: written.append(key) or real_set(key, *a, **kw)
    )

    first = client.get("/cached/schedule/", headers={"Accept-Encoding": "br"})
    recent_entries.clear()  # as in another process
    again = client.get("/cached/schedule/", headers={"Accept-Encoding": "br"})

    assert made == [1]
    # The page is stored once, its Brotli body with it.
    assert len([key for key in written if key.startswith("pages:page:")]) == 1
    assert again.content == first.content
    assert brotli.decompress(again.content) == client.get("/cached/schedule/").content


def test_a_client_past_its_renders_a_minute_is_told_to_wait_and_others_are_served(
    client, cached_conf, settings
):
    import time_machine

    settings.PAGE_CACHE_RENDERS_PER_CLIENT = 2
    # Ten seconds into a minute, which the counts start afresh at.
    with time_machine.travel(
        datetime.datetime(2030, 1, 1, 12, 0, 10, tzinfo=datetime.UTC), tick=False
    ):
        first = client.get("/cached/schedule/?q=memory")
        client.get("/cached/schedule/?q=kernel")

        refused = client.get("/cached/schedule/?q=storage")
        stored_search = client.get("/cached/schedule/?q=memory")
        plain_schedule = client.get("/cached/schedule/")
        other_address = client.get("/cached/schedule/?q=storage", REMOTE_ADDR="192.0.2.7")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert "no-store" in refused["Cache-Control"]
    assert "Please try again in" in refused.content.decode()
    assert stored_search.content == first.content
    assert "Memory management" in plain_schedule.content.decode()
    assert other_address.status_code == 200


def test_past_the_sites_renders_a_second_searches_wait_a_second_and_stored_pages_are_served(
    client, cached_conf, settings, django_assert_num_queries, caplog
):
    import time_machine

    settings.PAGE_CACHE_RENDERS_PER_SECOND = 2
    with time_machine.travel(
        datetime.datetime(2030, 1, 1, 12, 0, 10, tzinfo=datetime.UTC), tick=False
    ):
        first = client.get("/cached/schedule/?q=memory", REMOTE_ADDR="192.0.2.1")
        client.get("/cached/schedule/?q=kernel", REMOTE_ADDR="192.0.2.2")
        # Refused before the session and sign-in layers: not one query.
        with django_assert_num_queries(0):
            refused = client.get(
                "/cached/schedule/?q=storage", REMOTE_ADDR="192.0.2.3", HTTP_ACCEPT_LANGUAGE="de"
            )
        stored_search = client.get("/cached/schedule/?q=memory", REMOTE_ADDR="192.0.2.4")
        plain_schedule = client.get("/cached/schedule/", REMOTE_ADDR="192.0.2.5")
    with time_machine.travel(
        datetime.datetime(2030, 1, 1, 12, 0, 11, tzinfo=datetime.UTC), tick=False
    ):
        next_second = client.get("/cached/schedule/?q=storage", REMOTE_ADDR="192.0.2.3")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"
    assert "no-store" in refused["Cache-Control"]
    assert "Gerade durchsuchen viele Leute das Programm." in refused.content.decode()
    assert '<html lang="de">' in refused.content.decode()
    # A flood is not a warning line per refused search in the error log.
    assert not [record for record in caplog.records if record.name == "django.request"]
    assert stored_search.content == first.content
    assert "Memory management" in plain_schedule.content.decode()
    assert next_second.status_code == 200


def test_a_gzip_body_made_of_parts_is_the_joined_parts():
    import gzip

    from infrastructure.page_cache.fragments import deflated, gzip_from_parts

    middle = "Día ☆ ".encode() * 5000
    parts = [(b"<html>", None), (middle, deflated(middle)), (b"", None), (b"</html>", None)]

    body = gzip_from_parts(parts)

    assert gzip.decompress(body) == b"<html>" + middle + b"</html>"
    assert len(body) < len(middle) // 10


def test_a_page_not_yet_stored_is_looked_up_once(client, cached_conf, monkeypatch):
    """The middleware's miss is the view's: it does not read the version and look again."""
    from infrastructure.page_cache import serving

    read = []
    real_get = serving.shared.get
    monkeypatch.setattr(
        serving.shared, "get", lambda key, *a, **kw: read.append(key) or real_get(key, *a, **kw)
    )
    versions_read = []
    real_version = serving.event_version
    monkeypatch.setattr(
        serving, "event_version", lambda slug: versions_read.append(slug) or real_version(slug)
    )

    response = client.get("/cached/schedule/")

    assert "Memory management" in response.content.decode()
    assert versions_read == ["cached"]
    assert len([key for key in read if key.startswith("pages:page:")]) == 1


def test_a_stored_page_says_its_length_so_the_server_need_not_send_it_in_chunks(
    client, cached_conf
):
    client.get("/cached/schedule/")

    plain = client.get("/cached/schedule/")
    gzipped = client.get("/cached/schedule/", headers={"Accept-Encoding": "gzip"})

    assert int(plain["Content-Length"]) == len(plain.content)
    assert int(gzipped["Content-Length"]) == len(gzipped.content) < len(plain.content)
