"""Tests of how ``frab_import`` writes: queries that do not grow with the file, bulk writes
that keep the speakers' history and the page cache right, validation without the database."""

import datetime
import uuid

import pytest
from django.db import connection

from conference.models import Event, Room, Track
from infrastructure.page_cache import SITE, event_version
from schedule.formats.frab.exporter import render_schedule_xml
from schedule.formats.frab.importer import frab_import
from schedule.importing.errors import ImportFileError
from schedule.importing.writer import (
    RULES_CHECKED_IN_PYTHON,
    row_errors,
    unique_errors,
    validation_errors,
)
from schedule.models import Talk, TalkSpeaker
from schedule.services.generate import event_generate
from speakers.models import Speaker
from tests.auto_release import released_export_data
from tests.factories import EventFactory, RoomFactory, SpeakerFactory

BASE_URL = "https://conference.example.org/"
GUID_1 = "0b9a3c1e-5d2f-4a6b-8c7d-9e0f1a2b3c4d"
PERSON_GUID = "6f1c1b0e-1111-4c3a-9d2e-0a1b2c3d4e5f"
# Queries of an import that creates everything, and of a second run that changes nothing.
FIRST_RUN_QUERIES = 25
SECOND_RUN_QUERIES = 12


def generated_export(tmp_path, *, days, rooms, slots):
    """A generated event of ``days × rooms × slots`` talks, exported as frab XML.

    Its speakers then get new UUIDs, so that the file's people are strangers
    here, as in a file from another site: an import creates them.
    """
    event_generate(slug="generated", days=days, rooms=rooms, slots=slots)
    event = Event.objects.get(slug="generated")
    path = tmp_path / "generated.schedule.xml"
    path.write_bytes(render_schedule_xml(released_export_data(event, base_url=BASE_URL)))
    speakers = list(Speaker.objects.all())
    for speaker in speakers:
        speaker.uuid = uuid.uuid4()
    Speaker.objects.bulk_update(speakers, ["uuid"])
    return path


def small_file(
    tmp_path, *, room="Main Hall", track="Security", persons=None, title="A talk", biographies=""
):
    """A frab file of one talk in ``room`` on ``track`` with ``persons`` (XML).

    ``biographies`` is a ``<persons>`` list as FOSDEM's export has it, keyed by person id.
    """
    if persons is None:
        persons = f'<person guid="{PERSON_GUID}">Grace Hopper</person>'
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference>
    <acronym>smallconf</acronym>
    <title>Small Conf</title>
    <start>2025-03-01</start>
    <end>2025-03-01</end>
    <time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
  {biographies}
  <day index="1" date="2025-03-01">
    <room name="{room}">
      <event guid="{GUID_1}" id="42">
        <date>2025-03-01T10:00:00+01:00</date>
        <start>10:00</start>
        <duration>00:30</duration>
        <room>{room}</room>
        <title>{title}</title>
        <track>{track}</track>
        <persons>{persons}</persons>
      </event>
    </room>
  </day>
</schedule>
"""
    path = tmp_path / "small.schedule.xml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path, snippet):
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if snippet in line)


def talk_speaker_names(talk):
    return [link.speaker.name for link in talk.talk_speakers.select_related("speaker")]


# Queries -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("rooms", "slots"), [(2, 4), (4, 10)], ids=["8-talks", "40-talks"])
def test_frab_import_query_count_does_not_grow_with_talks(
    tmp_path, django_assert_num_queries, rooms, slots
):
    # Both sizes fit in one of SQLite's insert batches (see the next test for more).
    path = generated_export(tmp_path, days=1, rooms=rooms, slots=slots)

    with django_assert_num_queries(FIRST_RUN_QUERIES):
        first = frab_import(path=path, event_slug="copy")
    with django_assert_num_queries(SECOND_RUN_QUERIES):
        second = frab_import(path=path, event_slug="copy")

    talks = rooms * slots
    assert (first.talks_created, first.rooms_created) == (talks, rooms)
    assert (second.changed, second.talks_unchanged) == (False, talks)
    assert Talk.objects.filter(event__slug="copy").count() == talks


@pytest.mark.django_db
def test_frab_import_of_hundreds_of_talks_makes_queries_only_per_insert_batch(
    tmp_path, django_assert_max_num_queries, django_assert_num_queries
):
    path = generated_export(tmp_path, days=2, rooms=10, slots=10)
    # Django gives SQLite at most 999 values per statement, a few dozen rows: 200 talks,
    # their 220 speakers and those speakers' history take 8 more inserts than 40 talks.
    batches = 0 if connection.vendor == "postgresql" else 10

    with django_assert_max_num_queries(FIRST_RUN_QUERIES + batches):
        first = frab_import(path=path, event_slug="copy")
    with django_assert_num_queries(SECOND_RUN_QUERIES):
        second = frab_import(path=path, event_slug="copy")

    assert (first.talks_created, second.changed) == (200, False)


# What bulk writes must still do --------------------------------------------------


@pytest.mark.django_db
def test_frab_import_second_run_of_a_generated_event_changes_no_row(tmp_path):
    path = generated_export(tmp_path, days=1, rooms=3, slots=4)
    frab_import(path=path, event_slug="copy")
    before = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Event, Room, Track, Talk, Speaker, TalkSpeaker, Speaker.history.model)
    }

    second = frab_import(path=path, event_slug="copy")

    after = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Event, Room, Track, Talk, Speaker, TalkSpeaker, Speaker.history.model)
    }
    assert second.changed is False
    assert after == before


@pytest.mark.django_db
def test_frab_import_copies_a_generated_event_talk_for_talk(tmp_path):
    path = generated_export(tmp_path, days=1, rooms=3, slots=4)

    frab_import(path=path, event_slug="copy")

    def programme(slug):
        # Abstracts aside: the export writes Markdown as plain text.
        return [
            (
                (talk.title, talk.room.name, talk.track.name, talk.start, talk.end, talk.kind),
                talk_speaker_names(talk),
            )
            for talk in Talk.objects.filter(event__slug=slug)
            .select_related("room", "track")
            .order_by("start", "room__position")
        ]

    assert programme("copy") == programme("generated")


@pytest.mark.django_db
def test_frab_import_gives_each_new_speaker_a_created_history_entry(tmp_path):
    path = generated_export(tmp_path, days=1, rooms=2, slots=3)

    frab_import(path=path, event_slug="copy")

    imported = Speaker.objects.filter(external_id__startswith="guid:")
    entries = Speaker.history.filter(id__in=imported.values("id"))
    assert imported.count() > 0
    assert sorted(entries.values_list("id", "history_type", "slug")) == sorted(
        (speaker.id, "+", speaker.slug) for speaker in imported
    )


@pytest.mark.django_db
def test_frab_import_records_a_filled_bio_in_the_speakers_history(tmp_path):
    persons = f'<person id="7" guid="{PERSON_GUID}">Grace Hopper</person>'
    frab_import(path=small_file(tmp_path, persons=persons), event_slug="small")
    biographies = (
        '<persons><person id="7"><name>Grace Hopper</name>'
        "<biography>Admiral.</biography></person></persons>"
    )

    result = frab_import(
        path=small_file(tmp_path, persons=persons, biographies=biographies), event_slug="small"
    )

    speaker = Speaker.objects.get()
    assert (result.speakers_updated, speaker.bio) == (1, "Admiral.")
    assert list(speaker.history.order_by("history_date").values_list("history_type", "bio")) == [
        ("+", ""),
        ("~", "Admiral."),
    ]


@pytest.mark.django_db
def test_frab_import_makes_the_events_pages_stale_only_when_it_writes(tmp_path):
    path = generated_export(tmp_path, days=1, rooms=2, slots=2)
    before = (event_version("copy"), event_version(SITE))

    frab_import(path=path, event_slug="copy")
    after_first = (event_version("copy"), event_version(SITE))
    frab_import(path=path, event_slug="copy")
    after_second = (event_version("copy"), event_version(SITE))

    assert after_first[0] != before[0]
    assert after_first[1] != before[1]
    assert after_second == after_first


@pytest.mark.django_db
def test_frab_import_makes_pages_stale_of_other_events_whose_speaker_got_a_bio(tmp_path):
    speaker = SpeakerFactory(name="Grace Hopper", bio="", external_id="smallconf:person:7")
    talk = Talk.objects.create(event=EventFactory(slug="other"), title="Elsewhere", slug="else")
    TalkSpeaker.objects.create(talk=talk, speaker=speaker)
    persons = '<person id="7">Grace Hopper</person>'
    frab_import(path=small_file(tmp_path, persons=persons), event_slug="small")
    before = event_version("other")
    biographies = (
        '<persons><person id="7"><name>Grace Hopper</name>'
        "<biography>Admiral.</biography></person></persons>"
    )

    result = frab_import(
        path=small_file(tmp_path, persons=persons, biographies=biographies), event_slug="small"
    )

    assert result.speakers_updated == 1
    assert event_version("other") != before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("AB", "BA", ["Bea", "Ada"]),  # moved: positions rewritten
        ("AB", "A", ["Ada"]),  # dropped: the link goes, the speaker stays
        ("A", "CA", ["Cy", "Ada"]),  # added in front
        ("AB", "", []),  # no speaker left
    ],
)
def test_frab_import_sets_a_talks_speakers_as_the_file_lists_them(
    tmp_path, before, after, expected
):
    people = {
        "A": '<person id="1">Ada</person>',
        "B": '<person id="2">Bea</person>',
        "C": '<person id="3">Cy</person>',
    }
    frab_import(
        path=small_file(tmp_path, persons="".join(people[key] for key in before)),
        event_slug="small",
    )

    result = frab_import(
        path=small_file(tmp_path, persons="".join(people[key] for key in after)),
        event_slug="small",
    )

    talk = Talk.objects.get()
    assert talk_speaker_names(talk) == expected
    assert list(talk.talk_speakers.values_list("position", flat=True)) == list(range(len(expected)))
    assert result.talks_updated == 1
    assert Speaker.objects.count() == len(set(before + after))


# Validation without a query per row ------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "snippet", "message"),
    [
        (
            {"room": "R" * 101},
            '<room name="RRR',
            f'room "{"R" * 60}…(101 characters)": name is 101 characters long; at most 100 fit',
        ),
        (
            {"track": "T" * 101},
            "<track>TTT",
            f'track "{"T" * 60}…(101 characters)": name is 101 characters long; at most 100 fit',
        ),
        (
            {"persons": f'<person guid="{PERSON_GUID}">{"P" * 201}</person>'},
            "<persons>",
            f'speaker "{"P" * 60}…(201 characters)": name is 201 characters long; at most 200 fit',
        ),
        (
            {"persons": f"<person>{'Q' * 201}</person>"},
            "<persons>",
            f'speaker "{"Q" * 60}…(201 characters)": name is 201 characters long; at most 200 fit',
        ),
        (
            {"title": "X" * 301},
            "<title>XXX",
            f'event 42 "{"X" * 60}…(301 characters)": title is 301 characters long; at most '
            "300 fit",
        ),
    ],
    ids=["room", "track", "speaker", "speaker-without-ids", "talk"],
)
def test_frab_import_refuses_a_row_the_model_refuses_and_writes_nothing(
    tmp_path, edit, snippet, message
):
    path = small_file(tmp_path, **edit)

    with pytest.raises(ImportFileError) as caught:
        frab_import(path=path, event_slug="small")

    assert caught.value.messages() == [f"{path}:{line_of(path, snippet)}: {message}"]
    assert (Event.objects.count(), Room.objects.count(), Speaker.objects.count()) == (0, 0, 0)


def full_clean_messages(instance):
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    return validation_errors(
        instance, what="row", field_lines={}, default_line=1, exclude=relations
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC), None),
        (None, datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)),
        (
            datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC),
            datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC),
        ),
        (
            datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC),
            datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC),
        ),
        (None, None),
    ],
    ids=["no-end", "no-start", "zero-length", "end-first", "unscheduled"],
)
def test_row_errors_of_a_talk_are_full_cleans_without_queries(
    django_assert_num_queries, start, end
):
    event = EventFactory()
    talk = Talk(event=event, title="T", slug="t", room=RoomFactory(event=event))
    talk.start, talk.end = start, end

    with django_assert_num_queries(0):
        errors = row_errors(talk, what="row", field_lines={}, default_line=1)

    assert errors == full_clean_messages(talk)


@pytest.mark.django_db
@pytest.mark.parametrize("colour", ["#12345", "red", "#1234567", "#a1B2c3"])
def test_row_errors_of_a_track_are_full_cleans_without_queries(django_assert_num_queries, colour):
    track = Track(event=EventFactory(), name="T", slug="t", colour=colour)

    with django_assert_num_queries(0):
        errors = row_errors(track, what="row", field_lines={}, default_line=1)

    assert errors == full_clean_messages(track)


def test_rules_checked_in_python_are_constraints_of_the_models():
    names = {constraint.name for model in (Talk, Track) for constraint in model._meta.constraints}

    assert set(RULES_CHECKED_IN_PYTHON) <= names


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "stored", "new"),
    [
        ("slug", {"slug": "ada"}, {"slug": "ada"}),
        ("uuid", {"uuid": uuid.UUID(PERSON_GUID)}, {"uuid": uuid.UUID(PERSON_GUID)}),
        ("external_id", {"external_id": "conf:person:1"}, {"external_id": "conf:person:1"}),
    ],
)
def test_unique_errors_say_what_full_clean_says(field, stored, new):
    SpeakerFactory(name="Ada", **stored)
    speaker = Speaker(name="Ada", **({"slug": "ada-2"} | new))
    taken = Speaker.objects.values_list(field, flat=True)
    message = "Another speaker has this external ID." if field == "external_id" else None

    errors = unique_errors([(speaker, "row", 1)], field=field, taken=taken, message=message)

    assert errors == full_clean_messages(speaker)


def test_unique_errors_find_a_value_two_new_rows_share():
    first, second, third = (
        Speaker(name=name, slug=slug)
        for name, slug in [("Ada", "ada"), ("Bea", "bea"), ("Ada L.", "ada")]
    )

    errors = unique_errors(
        [(first, "first", 1), (second, "second", 2), (third, "third", 3)], field="slug", taken=()
    )

    assert errors == [(3, "third: slug: Speaker with this Slug already exists.")]
