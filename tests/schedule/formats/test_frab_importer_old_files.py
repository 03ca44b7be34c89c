"""Tests of ``frab_import`` on the files organisers have: old frab guids, pentabarf, merges."""

import datetime
import uuid

import pytest

from conference.models import Event, Room, Track
from schedule.formats.frab.exporter import render_schedule_xml, schedule_export_data
from schedule.formats.frab.importer import frab_import
from schedule.formats.frab.parser.values import TALK_GUID_NAMESPACE
from schedule.importing.results import Outcome
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker

UTC = datetime.UTC
BASE_URL = "https://conference.example.org/"
# Older frab wrote talk guids as 22 characters of base64, not as UUIDs.
OLD_GUIDS = ("fO9u2GJ5QmWk7qvZ3xYbAA", "Qx1d0L7cS2-3f_Zm9aPq4w")
ZONE_LINE = "    <time_zone_name>Europe/Berlin</time_zone_name>"


def talk_xml(*, key, title, date, clock, duration="00:30", room="Hall", persons=""):
    return f"""      <event {key}>
        <date>{date}</date>
        <start>{clock}</start>
        <duration>{duration}</duration>
        <room>{room}</room>
        <title>{title}</title>
        <persons>{persons}</persons>
      </event>"""


def schedule_file(tmp_path, *rooms, zone=ZONE_LINE, name="old.xml"):
    """A one-day frab file; ``rooms`` are ``(room name, [event xml, ...])``."""
    rows = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<schedule>",
        "  <conference>",
        "    <acronym>oldconf</acronym>",
        "    <title>Old Conf</title>",
        "    <start>2025-03-01</start>",
        "    <end>2025-03-01</end>",
        zone,
        "  </conference>",
        '  <day index="1" date="2025-03-01">',
    ]
    for room, talks in rooms:
        rows += [f'    <room name="{room}">', *talks, "    </room>"]
    rows += ["  </day>", "</schedule>"]
    path = tmp_path / name
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


def line_of(path, snippet):
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if snippet in line)


def counts(result):
    return (
        result.event_outcome,
        (result.rooms_created, result.rooms_updated, result.rooms_unchanged),
        (result.talks_created, result.talks_updated, result.talks_unchanged),
        (result.speakers_created, result.speakers_updated, result.speakers_unchanged),
    )


def snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Event, Room, Track, Talk, Speaker, TalkSpeaker)
    }


def old_frab_file(tmp_path, *, persons=("", "")):
    return schedule_file(
        tmp_path,
        (
            "Hall",
            [
                talk_xml(
                    key=f'guid="{OLD_GUIDS[0]}" id="1"',
                    title="Opening",
                    date="2025-03-01T10:00:00+01:00",
                    clock="10:00",
                    persons=persons[0],
                ),
            ],
        ),
        (
            "Side",
            [
                talk_xml(
                    key=f'guid="{OLD_GUIDS[1]}" id="2"',
                    title="Closing",
                    date="2025-03-01T16:00:00+01:00",
                    clock="16:00",
                    duration="01:00",
                    room="Side",
                    persons=persons[1],
                ),
            ],
        ),
    )


def export_to(event, path):
    path.write_bytes(render_schedule_xml(schedule_export_data(event, base_url=BASE_URL)))
    return path


def talks_of(slug):
    return [
        (talk.uuid, talk.title, talk.room.name, talk.start, talk.end)
        for talk in Talk.objects.filter(event__slug=slug).order_by("start")
    ]


# Non-UUID guids -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_frab_import_takes_guids_that_are_no_uuids_and_a_second_run_changes_nothing(tmp_path):
    path = old_frab_file(tmp_path)

    result = frab_import(path=path, event_slug="old")

    assert counts(result) == (Outcome.CREATED, (2, 0, 0), (2, 0, 0), (0, 0, 0))
    assert talks_of("old") == [
        (
            uuid.uuid5(TALK_GUID_NAMESPACE, OLD_GUIDS[0]),
            "Opening",
            "Hall",
            datetime.datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
            datetime.datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        ),
        (
            uuid.uuid5(TALK_GUID_NAMESPACE, OLD_GUIDS[1]),
            "Closing",
            "Side",
            datetime.datetime(2025, 3, 1, 15, 0, tzinfo=UTC),
            datetime.datetime(2025, 3, 1, 16, 0, tzinfo=UTC),
        ),
    ]
    before = snapshot()

    second = frab_import(path=path, event_slug="old")

    assert counts(second) == (Outcome.UNCHANGED, (0, 0, 2), (0, 0, 2), (0, 0, 0))
    assert snapshot() == before


@pytest.mark.django_db
def test_frab_import_of_its_own_export_of_an_old_frab_file_changes_nothing(tmp_path):
    frab_import(path=old_frab_file(tmp_path), event_slug="old")
    imported, before = talks_of("old"), snapshot()
    exported = export_to(Event.objects.get(slug="old"), tmp_path / "schedule.xml")

    result = frab_import(path=exported, event_slug="old")

    assert counts(result) == (Outcome.UNCHANGED, (0, 0, 2), (0, 0, 2), (0, 0, 0))
    assert talks_of("old") == imported
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.xfail(
    strict=True,
    reason="persons are matched on the file's ids and the export writes the speaker's own: "
    "the keying of persons is being changed separately",
)
def test_frab_import_of_its_own_export_keeps_the_speakers(tmp_path):
    path = old_frab_file(
        tmp_path, persons=('<person id="7">Ada Lovelace</person>', '<person id="8">Grace</person>')
    )
    frab_import(path=path, event_slug="old")
    before = snapshot()
    exported = export_to(Event.objects.get(slug="old"), tmp_path / "schedule.xml")

    result = frab_import(path=exported, event_slug="old")

    assert counts(result) == (Outcome.UNCHANGED, (0, 0, 2), (0, 0, 2), (0, 0, 2))
    assert snapshot() == before
