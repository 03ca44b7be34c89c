"""Tests of ``frab_import`` on the files organisers have: old frab guids, pentabarf, merges."""

import datetime
import uuid

import pytest

from conference.models import Event, Room, Track
from schedule.formats.frab.exporter import (
    render_schedule_json,
    render_schedule_xml,
)
from schedule.formats.frab.importer import frab_import
from schedule.formats.frab.parser.values import TALK_GUID_NAMESPACE
from schedule.importing.errors import ImportFileError
from schedule.importing.results import Outcome
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker
from tests.auto_release import released_export_data

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
    path.write_bytes(render_schedule_xml(released_export_data(event, base_url=BASE_URL)))
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
    exported = export_to(Event.objects.get(slug="old"), tmp_path / "schedule.xml")
    imported, before = talks_of("old"), snapshot()

    result = frab_import(path=exported, event_slug="old")

    assert counts(result) == (Outcome.UNCHANGED, (0, 0, 2), (0, 0, 2), (0, 0, 0))
    assert talks_of("old") == imported
    assert snapshot() == before


@pytest.mark.django_db
def test_frab_import_of_its_own_json_export_of_an_old_frab_file_changes_nothing(tmp_path):
    frab_import(path=old_frab_file(tmp_path), event_slug="old")
    exported = tmp_path / "schedule.json"
    exported.write_bytes(
        render_schedule_json(released_export_data(Event.objects.get(slug="old"), base_url=BASE_URL))
    )
    imported, before = talks_of("old"), snapshot()

    result = frab_import(path=exported, event_slug="old")

    assert counts(result) == (Outcome.UNCHANGED, (0, 0, 2), (0, 0, 2), (0, 0, 0))
    assert talks_of("old") == imported
    assert snapshot() == before


@pytest.mark.django_db
def test_frab_import_of_its_own_export_keeps_the_speakers(tmp_path):
    path = old_frab_file(
        tmp_path, persons=('<person id="7">Ada Lovelace</person>', '<person id="8">Grace</person>')
    )
    frab_import(path=path, event_slug="old")
    exported = export_to(Event.objects.get(slug="old"), tmp_path / "schedule.xml")
    before = snapshot()

    result = frab_import(path=exported, event_slug="old")

    assert counts(result) == (Outcome.UNCHANGED, (0, 0, 2), (0, 0, 2), (0, 0, 2))
    assert snapshot() == before


# pentabarf: no <time_zone_name>, times without offsets --------------------------------------


def pentabarf_file(tmp_path, *, date=False):
    """A pentabarf-style file: the day's date, each talk's clock, no zone anywhere."""

    def when(clock):
        return f"<date>2025-03-01T{clock}:00</date>" if date else ""

    talks = [
        f"""      <event id="{number}">
        {when(clock)}
        <start>{clock}</start>
        <duration>00:45</duration>
        <room>Janson</room>
        <title>{title}</title>
      </event>"""
        for number, clock, title in ((1, "10:00", "Welcome"), (2, "11:00", "Keynote"))
    ]
    return schedule_file(tmp_path, ("Janson", talks), zone="", name="pentabarf.xml")


@pytest.mark.django_db
@pytest.mark.parametrize("date", [False, True], ids=["start-only", "date-without-offset"])
def test_frab_import_refuses_a_pentabarf_file_without_zone_naming_the_option(tmp_path, date):
    path = pentabarf_file(tmp_path, date=date)

    with pytest.raises(ImportFileError) as caught:
        frab_import(path=path, event_slug="pentabarf")

    assert caught.value.messages() == [
        f"{path}:{line_of(path, '<conference>')}: no time zone: no <time_zone_name>, and no "
        "<date> with an offset; add <time_zone_name> with the venue's IANA zone to the file, "
        "or pass --timezone ZONE, e.g. Europe/Berlin"
    ]
    assert Event.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("date", [False, True], ids=["start-only", "date-without-offset"])
def test_frab_import_reads_a_pentabarf_file_in_the_zone_given(tmp_path, date):
    path = pentabarf_file(tmp_path, date=date)

    result = frab_import(path=path, event_slug="pentabarf", zone="Europe/Brussels")

    assert result.time_zone == "Europe/Brussels"
    assert Event.objects.get(slug="pentabarf").time_zone == "Europe/Brussels"
    assert [(title, start) for _, title, _, start, _ in talks_of("pentabarf")] == [
        ("Welcome", datetime.datetime(2025, 3, 1, 9, 0, tzinfo=UTC)),
        ("Keynote", datetime.datetime(2025, 3, 1, 10, 0, tzinfo=UTC)),
    ]
    before = snapshot()

    second = frab_import(path=path, event_slug="pentabarf", zone="Europe/Brussels")

    assert (second.changed, snapshot()) == (False, before)


@pytest.mark.django_db
def test_frab_import_refuses_an_unknown_zone_given(tmp_path):
    path = pentabarf_file(tmp_path)

    with pytest.raises(ImportFileError) as caught:
        frab_import(path=path, event_slug="pentabarf", zone="Mars/Olympus_Mons")

    assert caught.value.messages() == [
        f'{path}: unknown time zone "Mars/Olympus_Mons" (--timezone): expected an IANA name '
        "such as Europe/Berlin"
    ]
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_frab_import_takes_the_zone_given_over_the_files_and_says_so(tmp_path):
    path = old_frab_file(tmp_path)

    result = frab_import(path=path, event_slug="old", zone="Europe/Paris")

    assert result.time_zone == "Europe/Paris"
    assert result.warnings == [
        f"{path}:{line_of(path, '<time_zone_name>')}: <time_zone_name> says Europe/Berlin; "
        "using Europe/Paris"
    ]


# Merged files: talks on other cities' clocks --------------------------------------------------


def merged_file(tmp_path):
    """A Berlin conference with two talks streamed from Kochi (+05:30), on Kochi's clock."""
    return schedule_file(
        tmp_path,
        (
            "Hall",
            [
                talk_xml(
                    key=f'guid="{guid}"',
                    title=title,
                    date=date,
                    clock=date[11:16],
                )
                for guid, title, date in (
                    ("a0000000-0000-4000-8000-000000000001", "Berlin", "2025-03-01T10:00:00+01:00"),
                    (
                        "a0000000-0000-4000-8000-000000000002",
                        "Kochi 1",
                        "2025-03-01T15:00:00+05:30",
                    ),
                    (
                        "a0000000-0000-4000-8000-000000000003",
                        "Kochi 2",
                        "2025-03-01T16:00:00+05:30",
                    ),
                )
            ],
        ),
        name="merged.xml",
    )


@pytest.mark.django_db
def test_frab_import_trusts_the_instant_of_a_date_on_another_citys_clock(tmp_path):
    path = merged_file(tmp_path)
    lines = [
        number
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "<date>" in line
    ]

    result = frab_import(path=path, event_slug="merged")

    assert [(title, start) for _, title, _, start, _ in talks_of("merged")] == [
        ("Berlin", datetime.datetime(2025, 3, 1, 9, 0, tzinfo=UTC)),
        ("Kochi 1", datetime.datetime(2025, 3, 1, 9, 30, tzinfo=UTC)),
        ("Kochi 2", datetime.datetime(2025, 3, 1, 10, 30, tzinfo=UTC)),
    ]
    detail = [
        f'{path}:{lines[1]}: event a0000000-0000-4000-8000-000000000002 "Kochi 1": <date> '
        "2025-03-01T15:00:00+05:30 is not on the offset of Europe/Berlin (+01:00 then); using "
        "its instant, 2025-03-01 10:30 in Europe/Berlin",
        f'{path}:{lines[2]}: event a0000000-0000-4000-8000-000000000003 "Kochi 2": <date> '
        "2025-03-01T16:00:00+05:30 is not on the offset of Europe/Berlin (+01:00 then); using "
        "its instant, 2025-03-01 11:30 in Europe/Berlin",
    ]
    assert result.warnings == detail
    assert result.warnings_to_print(detail=False) == [
        f"{path}:{lines[1]}: 2 talks are on another clock than Europe/Berlin's (<date> offsets "
        "+05:30); using each <date>'s instant; -v 2 lists each"
    ]
    assert result.warnings_to_print(detail=True) == detail


@pytest.mark.django_db
def test_frab_import_still_refuses_a_start_on_neither_clock(tmp_path):
    path = schedule_file(
        tmp_path,
        (
            "Hall",
            [
                talk_xml(
                    key='id="1"', title="Adrift", date="2025-03-01T15:00:00+05:30", clock="12:00"
                )
            ],
        ),
    )

    with pytest.raises(ImportFileError) as caught:
        frab_import(path=path, event_slug="adrift")

    assert caught.value.messages() == [
        f'{path}:{line_of(path, "<date>")}: event 1 "Adrift": <date> 2025-03-01T15:00:00+05:30 '
        "is 10:30 in Europe/Berlin, but <start> says 12:00"
    ]
