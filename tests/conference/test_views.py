import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import EventFactory, RoomFactory, TalkFactory, venue_time


def test_home_lists_published_events_with_dates_place_and_talk_count(client, db):
    event = EventFactory(
        name="KVM Forum + oVirt Workshop",
        location="Barcelona, Spain",
        start_date=datetime.date(2012, 11, 7),
        end_date=datetime.date(2012, 11, 9),
    )
    TalkFactory.create_batch(2, event=event)
    TalkFactory(event=event, is_cancelled=True)
    EventFactory(name="Secret Summit", is_published=False)

    response = client.get("/")

    content = response.content.decode()
    assert "KVM Forum + oVirt Workshop" in content
    assert "7 November 2012" in content
    assert "9 November 2012" in content
    assert "Barcelona, Spain" in content
    assert "2 talks" in content
    assert "Secret Summit" not in content


def test_home_says_so_when_nothing_is_published(client, db):
    EventFactory(is_published=False)

    response = client.get("/")

    assert "No events have been published yet." in response.content.decode()


def test_home_escapes_event_text(client, db):
    EventFactory(name="<script>alert(1)</script>", tagline="<img src=x onerror=alert(1)>")

    content = client.get("/").content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_bootstrap_is_served_by_the_site_itself(client, db):
    page = client.get("/").content.decode()
    assert '<link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css">' in page

    response = client.get("/static/bootstrap/css/bootstrap.min.css")

    assert response.status_code == 200
    assert b"Bootstrap" in b"".join(response.streaming_content)[:200]


@time_machine.travel(datetime.datetime(2026, 6, 11, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_home_puts_the_running_event_first_then_upcoming_then_past(client, db):
    def event(name, start, end):
        EventFactory(name=name, start_date=start, end_date=end)

    event("Past 2024", datetime.date(2024, 5, 1), datetime.date(2024, 5, 2))
    event("Later 2027", datetime.date(2027, 1, 10), datetime.date(2027, 1, 12))
    event("Running now", datetime.date(2026, 6, 10), datetime.date(2026, 6, 12))
    event("Soon", datetime.date(2026, 7, 1), datetime.date(2026, 7, 2))
    event("Past 2025", datetime.date(2025, 5, 1), datetime.date(2025, 5, 2))

    response = client.get("/")

    names = [event.name for event in response.context["events"]]
    assert names == ["Running now", "Soon", "Later 2027", "Past 2025", "Past 2024"]


def test_event_page_shows_name_dates_place_zone_description_and_links(client, kvm_forum):
    response = client.get("/kvm-forum-2012/")

    content = response.content.decode()
    assert "<h1>KVM Forum + oVirt Workshop</h1>" in content
    assert "7 November 2012" in content
    assert "9 November 2012" in content
    assert "Barcelona, Spain" in content
    assert "<strong>Europe/Madrid</strong>" in content
    assert "<p>KVM is an industry leading open source hypervisor" in content
    assert 'href="/kvm-forum-2012/schedule/">Schedule</a>' in content
    assert 'href="/kvm-forum-2012/speakers/">Speakers</a>' in content
    assert '<meta property="og:title" content="KVM Forum + oVirt Workshop">' in content
    assert "<title>KVM Forum + oVirt Workshop · Conference</title>" in content


def test_unpublished_event_page_is_not_found(client, db):
    EventFactory(slug="draft", is_published=False)

    response = client.get("/draft/")

    assert response.status_code == 404


def test_event_description_is_sanitised(client, db):
    EventFactory(slug="x", description="Hi <script>alert(1)</script> [a](javascript:alert(1))")

    content = client.get("/x/").content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "javascript:" not in content


@pytest.mark.parametrize("slug", ["admin", "static", "media", "accounts"])
def test_event_slug_may_not_shadow_site_paths(db, slug):
    event = EventFactory.build(slug=slug)

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert "taken by the site's own pages" in error.value.message_dict["slug"][0]


def test_uploaded_photos_are_served_with_safe_headers(client, db):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("speakers/photos/served.jpg", ContentFile(b"\xff\xd8\xff jpeg"))

    response = client.get(f"/media/{name}")

    assert b"".join(response.streaming_content) == b"\xff\xd8\xff jpeg"
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "/media/speakers/photos/missing.jpg",
        "/media/../conference/settings.py",
        "/media/%2e%2e/manage.py",
    ],
)
def test_media_outside_the_uploads_is_not_found(client, db, path):
    assert client.get(path).status_code == 404


@pytest.fixture
def running_conf(db):
    """Two rooms in Berlin on 7 November 2012: two talks at 09:00, one at 09:30."""
    event = EventFactory(slug="runconf", name="RunConf", time_zone="Europe/Berlin")
    hall = RoomFactory(event=event, name="Hall", slug="hall", position=0)
    lab = RoomFactory(event=event, name="Lab", slug="lab", position=1)
    for title, room, start, end in [
        ("Schedulers", hall, (9, 0), (10, 0)),
        ("Containers", lab, (9, 0), (9, 30)),
        ("Storage", lab, (9, 30), (10, 0)),
    ]:
        TalkFactory(
            event=event,
            title=title,
            room=room,
            start=venue_time(event, 2012, 11, 7, *start),
            end=venue_time(event, 2012, 11, 7, *end),
        )
    TalkFactory(event=event, title="Cancelled Talk", is_cancelled=True)
    return event


# 09:15 in Berlin (an hour ahead of UTC in November).
NINE_FIFTEEN = datetime.datetime(2012, 11, 7, 8, 15, tzinfo=datetime.UTC)


def on_now_text(content):
    block = content[content.index('<div class="on-now"') :]
    block = block[: block.index("</div>")]
    return " ".join(re.sub(r"<[^>]+>", "", block).split())


@pytest.mark.parametrize("path", ["/", "/runconf/"])
def test_running_event_shows_what_is_on_now_and_next_with_rooms(client, running_conf, path):
    with time_machine.travel(NINE_FIFTEEN, tick=False):
        content = client.get(path).content.decode()

    assert on_now_text(content) == (
        "On now: Schedulers (Hall); Containers (Lab) Next at 09:30: Storage (Lab)"
    )
    talk = running_conf.talks.get(title="Storage")
    assert f'<a href="/runconf/talks/{talk.slug}/">Storage</a>' in content


@pytest.mark.parametrize("path", ["/", "/runconf/"])
def test_what_is_on_now_changes_when_a_talk_ends_despite_the_page_cache(client, running_conf, path):
    with time_machine.travel(NINE_FIFTEEN, tick=False) as traveller:
        client.get(path)
        traveller.shift(datetime.timedelta(minutes=16))  # 09:31
        content = client.get(path).content.decode()

    assert on_now_text(content) == "On now: Schedulers (Hall); Storage (Lab)"


def test_event_page_starts_showing_what_is_on_when_the_event_begins(client, running_conf):
    with time_machine.travel(datetime.datetime(2012, 11, 6, 22, 59, tzinfo=datetime.UTC)) as t:
        before = client.get("/runconf/").content.decode()  # 23:59 the day before
        t.move_to(datetime.datetime(2012, 11, 7, 7, 30, tzinfo=datetime.UTC))  # 08:30
        first_morning = client.get("/runconf/").content.decode()

    assert 'class="on-now"' not in before
    assert on_now_text(first_morning) == "Next at 09:00: Schedulers (Hall); Containers (Lab)"


@pytest.mark.parametrize("path", ["/", "/runconf/"])
def test_finished_event_shows_nothing_on_now(client, running_conf, path):
    with time_machine.travel(datetime.datetime(2012, 12, 1, 12, 0, tzinfo=datetime.UTC)):
        content = client.get(path).content.decode()

    assert 'class="on-now"' not in content
    assert "RunConf" in content
