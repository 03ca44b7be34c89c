"""Tests of the synthetic event generator (``event_generate``) and ``manage.py generate_event``."""

import datetime
import itertools
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conference.models import Event
from schedule.clashes import schedule_problems
from schedule.models import Release, Talk
from schedule.services.generate import EventGenerateError, event_generate
from speakers.models import Speaker
from tests.factories import SpeakerFactory, TalkFactory

START = datetime.date(2030, 5, 6)


def programme(slug):
    """Everything a seed decides: per talk, its title, times, room, track and speakers."""
    talks = (
        Talk.objects.filter(event__slug=slug)
        .select_related("room", "track")
        .prefetch_related("talk_speakers__speaker")
        .order_by("start", "room__position")
    )
    return [
        (
            talk.title,
            talk.start,
            talk.end,
            talk.room.name,
            talk.track.name,
            [link.speaker.name for link in talk.talk_speakers.all()],
        )
        for talk in talks
    ]


@pytest.mark.django_db
def test_event_generate_makes_the_asked_size():
    result = event_generate(slug="demo", days=2, rooms=3, slots=4, seed=1)

    event = Event.objects.get(slug="demo")
    talks = list(event.talks.prefetch_related("talk_speakers"))
    speakers = Speaker.objects.filter(talks__event=event).distinct()
    talks_per_speaker = Counter(
        link.speaker_id for talk in talks for link in talk.talk_speakers.all()
    )
    assert result.summary() == (
        "Event demo: 2 days from 2030-05-06 in Europe/Brussels, 3 rooms, 6 tracks, 24 talks, "
        "26 speakers (29 talk speakers), seed 1."
    )
    assert (event.is_published, event.start_date, event.end_date, event.time_zone) == (
        True,
        START,
        START + datetime.timedelta(days=1),
        "Europe/Brussels",
    )
    assert list(event.rooms.values_list("name", "slug", "position")) == [
        ("Auditorium", "auditorium", 0),
        ("Main Hall", "main-hall", 1),
        ("Room 1", "room-1", 2),
    ]
    assert list(event.tracks.values_list("name", "colour")) == [
        ("Databases", "#1f77b4"),
        ("Web", "#ff7f0e"),
        ("Security", "#2ca02c"),
        ("Infrastructure", "#d62728"),
        ("Languages", "#9467bd"),
        ("Community", "#8c564b"),
    ]
    assert len(talks) == 24
    assert [talk.title.startswith("Keynote: ") for talk in talks].count(True) == 2
    assert Counter(talk.kind for talk in talks) == {Talk.Kind.TALK: 22, Talk.Kind.KEYNOTE: 2}
    assert speakers.count() == Speaker.objects.count() == 26
    assert sorted(talks_per_speaker.values(), reverse=True)[:3] == [2, 2, 2]
    assert min(talks_per_speaker.values()) == 1
    assert all(speaker.bio and speaker.affiliation for speaker in speakers)


@pytest.mark.django_db
def test_event_generate_lays_talks_on_a_grid_from_nine():
    event_generate(slug="demo", days=2, rooms=3, slots=4, seed=1)

    event = Event.objects.get(slug="demo")
    local = sorted(
        {
            (event.local_time(start), event.local_time(end))
            for start, end in event.talks.values_list("start", "end")
        }
    )
    assert [start.time() for start, _ in local if start.time() < datetime.time(9, 30)] == [
        datetime.time(9, 0),
        datetime.time(9, 0),
    ]
    assert {int((end - start).total_seconds() // 60) for start, end in local} <= {30, 45}
    gaps = [
        int((later[0] - earlier[1]).total_seconds() // 60)
        for earlier, later in itertools.pairwise(local)
        if earlier[0].date() == later[0].date()
    ]
    assert gaps == [15, 60, 15, 15, 60, 15]
    assert Counter(event.talks.values_list("start", flat=True)).most_common()[-1][1] == 3


@pytest.mark.django_db
def test_event_generate_has_no_schedule_problems():
    event_generate(slug="demo", days=2, rooms=5, slots=6, seed=3)

    assert schedule_problems(Event.objects.get(slug="demo")) == []


@pytest.mark.django_db
def test_event_generate_gives_unique_uuids_and_slugs():
    event_generate(slug="demo", days=2, rooms=6, slots=8, seed=4)

    talks = Talk.objects.filter(event__slug="demo")
    assert talks.count() == 96
    assert talks.values("uuid").distinct().count() == 96
    assert talks.values("slug").distinct().count() == 96
    assert Speaker.objects.values("slug").distinct().count() == Speaker.objects.count()


@pytest.mark.django_db
def test_event_generate_same_seed_same_programme():
    event_generate(slug="first", days=2, rooms=3, slots=4, seed=7)
    event_generate(slug="second", days=2, rooms=3, slots=4, seed=7)

    assert programme("first") == programme("second")
    assert len(programme("first")) == 24


@pytest.mark.django_db
def test_event_generate_other_seed_other_programme():
    event_generate(slug="first", days=2, rooms=3, slots=4, seed=7)
    event_generate(slug="second", days=2, rooms=3, slots=4, seed=8)

    first, second = programme("first"), programme("second")
    assert [talk[0] for talk in first] != [talk[0] for talk in second]
    assert [talk[5] for talk in first] != [talk[5] for talk in second]


@pytest.mark.django_db
def test_event_generate_writes_abstracts_in_markdown_some_with_lists():
    event_generate(slug="demo", days=1, rooms=4, slots=5, seed=2)

    abstracts = list(Talk.objects.values_list("abstract", flat=True))
    assert all(abstract.startswith("**") for abstract in abstracts)
    assert 0 < sum("\n- " in abstract for abstract in abstracts) < len(abstracts)


@pytest.mark.django_db
def test_event_generate_refuses_an_existing_slug():
    event_generate(slug="demo", days=1, rooms=1, slots=1)

    with pytest.raises(EventGenerateError) as caught:
        event_generate(slug="demo", days=1, rooms=1, slots=1)

    assert (
        str(caught.value) == 'an event "demo" exists: pass --replace to delete it and generate anew'
    )


@pytest.mark.django_db
def test_event_generate_replace_deletes_the_event_and_its_own_speakers():
    event_generate(slug="demo", days=1, rooms=2, slots=2, seed=1)
    kept = Speaker.objects.order_by("pk").first()
    TalkFactory(speakers=[kept])  # speaks at another event too
    other = SpeakerFactory()

    event_generate(slug="demo", days=1, rooms=2, slots=3, seed=1, replace=True)

    assert Talk.objects.filter(event__slug="demo").count() == 6
    assert Speaker.objects.filter(pk__in=[kept.pk, other.pk]).count() == 2
    assert Speaker.objects.get(pk=kept.pk).external_id == ""
    assert Speaker.objects.count() == 2 + round(6 * 1.1)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"days": 0, "rooms": 1, "slots": 0},
            "days must be at least 1, not 0; slots must be at least 1, not 0",
        ),
        ({"days": 1, "rooms": 1, "slots": 15}, "at most 14 slots fit in a day from 09:00, not 15"),
        (
            {"days": 1, "rooms": 1, "slots": 1, "time_zone": "Mars/Olympus"},
            'unknown time zone "Mars/Olympus": expected an IANA name',
        ),
        (
            {"days": 1, "rooms": 1, "slots": 1, "slug": "admin"},
            'slug "admin": “admin” is taken by the site\'s own pages; choose another slug.',
        ),
    ],
)
@pytest.mark.django_db
def test_event_generate_refuses_what_cannot_be_built(arguments, message):
    with pytest.raises(EventGenerateError) as caught:
        event_generate(**({"slug": "demo"} | arguments))

    assert str(caught.value) == message
    assert Event.objects.count() == 0


@pytest.mark.parametrize(("days", "rooms", "slots"), [(1, 2, 2), (2, 3, 4)])
@pytest.mark.django_db
def test_event_generate_query_count_does_not_grow_with_size(
    django_assert_num_queries, days, rooms, slots
):
    with django_assert_num_queries(10):
        event_generate(slug="demo", days=days, rooms=rooms, slots=slots)


@pytest.mark.django_db
def test_schedule_page_of_a_generated_event_shows_every_talk(client):
    event_generate(slug="demo", days=2, rooms=4, slots=5, seed=5)

    response = client.get("/demo/schedule/", {"day": "all"})

    content = response.content.decode()
    assert response.status_code == 200
    # Each card's own class, not its parts' (class="talk-card-head").
    assert len(re.findall(r'class="talk-card[ "]', content)) == 40


@pytest.mark.django_db
def test_generate_event_command_prints_the_summary():
    stdout = StringIO()

    call_command(
        "generate_event",
        "--slug",
        "demo",
        "--days",
        "1",
        "--rooms",
        "2",
        "--slots",
        "3",
        "--seed",
        "9",
        "--start-date",
        "2031-01-06",
        "--timezone",
        "Europe/Madrid",
        stdout=stdout,
    )

    assert stdout.getvalue() == (
        "Event demo: 1 day from 2031-01-06 in Europe/Madrid, 2 rooms, 6 tracks, 6 talks, "
        "7 speakers (8 talk speakers), seed 9. Released as “1”.\n"
    )
    assert list(Talk.released.current().values_list("event__slug", flat=True)) == ["demo"] * 6


@pytest.mark.django_db
def test_generate_event_command_releases_nothing_with_no_release():
    call_command(
        "generate_event",
        "--slug",
        "draft",
        "--days",
        "1",
        "--rooms",
        "2",
        "--slots",
        "1",
        "--no-release",
        stdout=StringIO(),
    )

    assert Talk.objects.filter(event__slug="draft").count() == 2
    assert not Release.objects.filter(event__slug="draft").exists()


@pytest.mark.django_db
def test_generate_event_command_refuses_an_existing_slug_with_status_1():
    call_command(
        "generate_event",
        "--slug",
        "demo",
        "--days",
        "1",
        "--rooms",
        "1",
        "--slots",
        "1",
        stdout=StringIO(),
    )

    with pytest.raises(CommandError) as caught:
        call_command("generate_event", "--slug", "demo", stdout=StringIO())

    assert caught.value.returncode == 1
    assert (
        str(caught.value) == 'an event "demo" exists: pass --replace to delete it and generate anew'
    )


@pytest.mark.django_db
def test_generate_event_command_replaces_and_times_itself_at_verbosity_2():
    call_command(
        "generate_event",
        "--slug",
        "demo",
        "--days",
        "1",
        "--rooms",
        "1",
        "--slots",
        "1",
        stdout=StringIO(),
    )
    stdout = StringIO()

    call_command(
        "generate_event",
        "--slug",
        "demo",
        "--days",
        "1",
        "--rooms",
        "2",
        "--slots",
        "2",
        "--replace",
        "-v",
        "2",
        stdout=stdout,
    )

    first, second = stdout.getvalue().splitlines()
    assert first.startswith("Event demo: 1 day from 2030-05-06 in Europe/Brussels, 2 rooms")
    assert re.fullmatch(r"Generated in [0-9]+\.[0-9]{2} s\.", second)
    assert Talk.objects.count() == 4
