"""The schedule page after a change is the page rendered from scratch, byte for byte.

Each day's section is kept by what it shows (``schedule/day_sections.py``)
and the page's gzip body is put together from the sections' own streams
(``infrastructure/page_cache/fragments.py``). For each kind of change an
attendee can see, the page served after it (with every untouched day found
again) must equal the page rendered with nothing stored, and show the change.
The suite runs on SQLite, PostgreSQL and with Redis as the cache (CI).
"""

import datetime
import gzip

import pytest
import time_machine
from django.core.cache import cache

from conference.models import Room, Track
from infrastructure.page_cache import fragments, recent_entries
from schedule import day_sections, timetable
from schedule.models import Talk
from schedule.releases.service import release_schedule
from schedule.services.generate import event_generate
from speakers.models import Speaker

pytestmark = pytest.mark.django_db

ALL_DAYS = "/sections/schedule/?day=all"
# Before the generated event: no day is today, so no card is marked "now".
BEFORE_THE_EVENT = datetime.datetime(2030, 4, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def event():
    with time_machine.travel(BEFORE_THE_EVENT, tick=False):
        return event_generate(slug="sections", days=3, rooms=4, slots=4).event


@pytest.fixture
def frozen_clock():
    with time_machine.travel(BEFORE_THE_EVENT, tick=False):
        yield


@pytest.fixture
def renders(monkeypatch):
    """The days whose section was rendered (not found stored), as they are rendered."""
    rendered = []
    original = day_sections.render_to_string

    def counting(template, context):
        rendered.append(context["day"].date)
        return original(template, context)

    monkeypatch.setattr(day_sections, "render_to_string", counting)
    return rendered


def from_scratch(client, path, **headers):
    """The page as a process with nothing stored renders it."""
    cache.clear()
    recent_entries.clear()
    fragments.forget_recent_fragments()
    timetable.forget_made_cards()
    return client.get(path, **headers).content


def first_talk(event, day_index=0):
    day = event.days[day_index]
    starts, ends = event.day_bounds(day)
    return (
        Talk.objects.filter(event=event, start__gte=starts, start__lt=ends)
        .exclude(kind=Talk.Kind.BREAK)
        .order_by("start", "room__position")
        .first()
    )


def served_after(client, change, path=ALL_DAYS):
    """The page served after ``change()``, once every day of it had been stored."""
    client.get(path)
    change()
    return client.get(path).content


def test_a_new_title_renders_one_day_and_equals_a_fresh_page(client, event, frozen_clock, renders):
    talk = first_talk(event, day_index=1)
    client.get(ALL_DAYS)
    renders.clear()

    talk.title = "A title <em>nobody</em> had before"
    talk.save()
    served = client.get(ALL_DAYS).content

    assert renders == [event.days[1]]
    assert "A title &lt;em&gt;nobody&lt;/em&gt; had before" in served.decode()
    assert served == from_scratch(client, ALL_DAYS)


def test_another_process_finds_the_days_this_one_rendered(client, event, frozen_clock, renders):
    """A worker with nothing in memory reads the stored days from the shared cache."""
    talk = first_talk(event, day_index=2)
    client.get(ALL_DAYS)
    renders.clear()
    recent_entries.clear()
    fragments.forget_recent_fragments()
    timetable.forget_made_cards()

    talk.title = "Renamed while another worker served"
    talk.save()
    served = client.get(ALL_DAYS)

    assert renders == [event.days[2]]
    assert "Renamed while another worker served" in served.content.decode()
    assert gzip.decompress(client.get(ALL_DAYS, HTTP_ACCEPT_ENCODING="gzip").content) == (
        served.content
    )
    assert served.content == from_scratch(client, ALL_DAYS)


def change_title(event):
    talk = first_talk(event)
    talk.title = "Renamed in the admin"
    talk.save()
    return "Renamed in the admin"


def change_speaker_name(event):
    speaker = Speaker.objects.filter(talks__event=event).order_by("pk").first()
    speaker.name = "Ada Lovelace-Byron"
    speaker.save()
    return "Ada Lovelace-Byron"


def rename_room(event):
    room = Room.objects.filter(event=event).order_by("position").first()
    room.name = "Grand Auditorium"
    room.save()
    return "Grand Auditorium"


def change_track_colour(event):
    track = Track.objects.filter(event=event, talks__isnull=False).order_by("pk").first()
    track.colour = "#123abc"
    track.save()
    return "--track-colour: #123abc;"


def move_a_talk(event):
    talk = first_talk(event, day_index=2)
    # To the first day, an hour after the day's last talk in its room ends.
    last = Talk.objects.filter(event=event, room=talk.room).order_by("-end").first()
    moved_start = last.end + datetime.timedelta(hours=1) - datetime.timedelta(days=2)
    talk.start, talk.end = moved_start, moved_start + (talk.end - talk.start)
    talk.save()
    return f'datetime="{event.local_time(moved_start).isoformat()}"'


def cancel_a_talk(event):
    talk = first_talk(event)
    talk.is_cancelled = True
    talk.save()
    # Cancelled talks leave the schedule: the page no longer links to it.
    return f"-{talk.slug}/"


CHANGES = {
    "title": change_title,
    "speaker name": change_speaker_name,
    "room rename": rename_room,
    "track colour": change_track_colour,
    "move": move_a_talk,
    "cancel": cancel_a_talk,
}


@pytest.mark.parametrize("kind", CHANGES)
def test_the_page_after_a_change_equals_the_page_rendered_from_scratch(
    client, event, frozen_clock, kind
):
    shown = {}
    served = served_after(client, lambda: shown.setdefault("text", CHANGES[kind](event)))

    if kind == "cancel":
        assert shown["text"] not in served.decode()
    else:
        assert shown["text"] in served.decode()
    assert served == from_scratch(client, ALL_DAYS)


@pytest.mark.parametrize("kind", CHANGES)
def test_the_gzip_body_after_a_change_is_the_page(client, event, frozen_clock, kind):
    client.get(ALL_DAYS, HTTP_ACCEPT_ENCODING="gzip")
    CHANGES[kind](event)

    response = client.get(ALL_DAYS, HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == from_scratch(client, ALL_DAYS)


@pytest.mark.manual_releases
def test_a_release_reuses_the_unchanged_days_and_equals_a_fresh_page(
    client, event, frozen_clock, renders
):
    release_schedule(event, notify=False)
    client.get(ALL_DAYS)
    talk = first_talk(event, day_index=2)
    talk.title = "Only in the second release"
    talk.save()
    renders.clear()

    unreleased = client.get(ALL_DAYS).content
    release_schedule(event, notify=False)
    released = client.get(ALL_DAYS).content

    assert "Only in the second release" not in unreleased.decode()
    assert "Only in the second release" in released.decode()
    assert renders == [event.days[2]]
    assert released == from_scratch(client, ALL_DAYS)


@pytest.mark.manual_releases
def test_a_past_release_shows_its_own_days_from_the_same_store(client, event, frozen_clock):
    first, _ = release_schedule(event, notify=False)
    talk = first_talk(event)
    talk.title = "Renamed after the first release"
    talk.save()
    release_schedule(event, notify=False)
    past = f"/sections/schedule/v/{first.name}/?day=all"
    client.get(ALL_DAYS)

    served = client.get(past).content

    assert "Renamed after the first release" not in served.decode()
    assert served == from_scratch(client, past)


def test_a_day_page_uses_the_section_of_the_all_days_page(client, event, frozen_clock, renders):
    client.get(ALL_DAYS)
    renders.clear()
    day_page = f"/sections/schedule/?day={event.days[1].isoformat()}"

    served = client.get(day_page).content

    assert renders == []
    assert served == from_scratch(client, day_page)


@pytest.mark.parametrize("language", ["de", "es", "fr"])
def test_each_language_keeps_its_own_sections(client, event, frozen_clock, language):
    client.get(ALL_DAYS, HTTP_ACCEPT_LANGUAGE="en")
    change_title(event)

    served = client.get(ALL_DAYS, HTTP_ACCEPT_LANGUAGE=language).content
    english = client.get(ALL_DAYS, HTTP_ACCEPT_LANGUAGE="en").content

    assert served != english
    assert f'<html lang="{language}"' in served.decode()
    assert served == from_scratch(client, ALL_DAYS, HTTP_ACCEPT_LANGUAGE=language)


def test_today_marks_what_is_on_and_a_minute_later_what_follows(client, event):
    talk = first_talk(event)
    during = talk.start + datetime.timedelta(minutes=1)
    after = talk.end + datetime.timedelta(minutes=1)

    with time_machine.travel(during, tick=False):
        on_now = client.get(ALL_DAYS).content
        assert on_now == from_scratch(client, ALL_DAYS)
    with time_machine.travel(after, tick=False):
        later = client.get(ALL_DAYS).content
        assert later == from_scratch(client, ALL_DAYS)

    card = f'id="talk-{talk.slug}"'
    assert card in on_now.decode()
    assert card in later.decode()
    now_card = on_now.decode().split(card)[0].rsplit("<article", 1)[1]
    later_card = later.decode().split(card)[0].rsplit("<article", 1)[1]
    assert "is-now" in now_card
    assert "is-now" not in later_card


def test_text_that_looks_like_a_marker_stays_text(client, event, frozen_clock):
    talk = first_talk(event)
    talk.title = "<!--fragment-0000000000000000-0-->"
    talk.save()

    served = client.get(ALL_DAYS).content.decode()

    assert "&lt;!--fragment-0000000000000000-0--&gt;" in served
    assert "<!--fragment-" not in served
