"""Tests of the iCalendar importer: its parser (``schedule.formats.ical.parser``) and
``ics_import``.

The real files of three conferences are test data in ``tests/data/ics/`` (see its README).
"""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest

from conference.models import Event, Room
from infrastructure.page_cache import event_version
from schedule.clashes import schedule_problems
from schedule.formats.ical.importer import ics_import, speaker_external_id
from schedule.formats.ical.parser import (
    IcsSpeaker,
    IcsTimeError,
    event_times,
    location_rooms,
    parse_ics,
    talk_external_id,
)
from schedule.importing.errors import ImportFileError
from schedule.importing.results import Outcome
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker
from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TrackFactory

UTC = datetime.UTC
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
DATA = Path(__file__).resolve().parents[2] / "data" / "ics"
SMALL_CONF = DATA / "small-conf.ics"
BROKEN = DATA / "broken.ics"
SAMPLES = DATA

# A zone only this file defines: UTC+1, UTC+2 in summer (EU rules).
MY_ZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:My Zone",
    "BEGIN:STANDARD",
    "DTSTART:19701025T030000",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:19700329T020000",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
)
TIMES = ("DTSTART:20240301T090000Z", "DTEND:20240301T094500Z")
# Queries of an import that creates everything, and of a second run that changes nothing.
ICS_FIRST_RUN_QUERIES = 21
ICS_SECOND_RUN_QUERIES = 10


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def ics(*events, header=("X-WR-CALNAME:Test Conf",)):
    """An iCalendar file (bytes) of ``events``, each a tuple of content lines.

    With the default one-line header the first BEGIN:VEVENT is on line 5 and
    its properties start on line 6.
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tests//EN", *header]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def talk_event(uid="t1", title="A talk", times=TIMES, *extra):
    return (f"UID:{uid}", f"SUMMARY:{title}", *times, *extra)


def write_ics(tmp_path, data, name="calendar.ics"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def unfolded(path):
    """The sample's text with folded lines joined, for counting independently of the importer."""
    return re.sub(rb"\r?\n[ \t]", b"", path.read_bytes()).decode("utf-8")


def database_snapshot():
    """Every row the importer may touch, with its timestamps."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Event, Room, Talk, Speaker, TalkSpeaker)
    }


# The reader: times and zones


@pytest.mark.parametrize(
    ("timezone_block", "times", "start", "end"),
    [
        pytest.param((), TIMES, utc(2024, 3, 1, 9, 0), utc(2024, 3, 1, 9, 45), id="utc"),
        pytest.param(
            MY_ZONE,
            ("DTSTART;TZID=My Zone:20240701T090000", "DTEND;TZID=My Zone:20240701T100000"),
            utc(2024, 7, 1, 7, 0),
            utc(2024, 7, 1, 8, 0),
            id="tzid-with-vtimezone",
        ),
        pytest.param(
            (),
            (
                "DTSTART;TZID=America/New_York:20240301T090000",
                "DTEND;TZID=America/New_York:20240301T100000",
            ),
            utc(2024, 3, 1, 14, 0),
            utc(2024, 3, 1, 15, 0),
            id="iana-tzid-without-vtimezone",
        ),
        pytest.param(
            (),
            ("DTSTART:20240301T090000", "DTEND:20240301T100000"),
            utc(2024, 3, 1, 8, 0),
            utc(2024, 3, 1, 9, 0),
            id="floating-in-the-event-zone",
        ),
        pytest.param(
            (),
            ("DTSTART:20240301T090000Z", "DURATION:PT45M"),
            utc(2024, 3, 1, 9, 0),
            utc(2024, 3, 1, 9, 45),
            id="duration",
        ),
        pytest.param(
            (),
            ("DTSTART:20240301T090000Z", "DTEND:20240301T094500Z", "DURATION:PT45M"),
            utc(2024, 3, 1, 9, 0),
            utc(2024, 3, 1, 9, 45),
            id="dtend-and-duration-agreeing",
        ),
        pytest.param(
            (),
            ("DTSTART:20240301T233000", "DTEND:20240302T003000"),
            utc(2024, 3, 1, 22, 30),
            utc(2024, 3, 1, 23, 30),
            id="across-midnight",
        ),
        pytest.param(
            (),
            ("DTSTART:20240331T013000", "DURATION:PT1H"),
            utc(2024, 3, 31, 0, 30),
            utc(2024, 3, 31, 1, 30),
            id="duration-across-the-clock-change-is-exact",
        ),
    ],
)
def test_event_times_keep_each_zone(timezone_block, times, start, end):
    calendar = parse_ics(ics(talk_event("t1", "A talk", times), header=timezone_block))

    assert calendar.errors == ()
    assert event_times(calendar.events[0], MADRID) == (start, end)


def test_event_times_refuse_a_time_a_vtimezone_skips():
    times = ("DTSTART;TZID=My Zone:20240331T023000", "DTEND;TZID=My Zone:20240331T033000")
    calendar = parse_ics(ics(talk_event("t1", "A talk", times), header=MY_ZONE))

    with pytest.raises(IcsTimeError) as caught:
        event_times(calendar.events[0], MADRID)

    assert str(caught.value) == (
        'event "A talk": DTSTART: 2024-03-31 02:30 does not exist in My Zone: the clocks skip it.'
    )


@pytest.mark.parametrize(
    ("times", "line", "message"),
    [
        pytest.param(
            ("DTSTART:20240301T100000Z", "DTEND:20240301T090000Z"),
            9,
            'event "A talk" ends (2024-03-01 09:00 UTC) before it starts (2024-03-01 10:00 UTC)',
            id="backwards",
        ),
        pytest.param(
            ("DTSTART:20240301T100000Z", "DTEND:20240301T110000Z", "DURATION:PT45M"),
            9,
            'event "A talk": DTEND (2024-03-01 11:00 UTC) and DURATION (ending 2024-03-01 '
            "10:45 UTC) disagree; keep one of them",
            id="dtend-and-duration-disagreeing",
        ),
        pytest.param(
            ("DTSTART:20240331T023000", "DTEND:20240331T033000"),
            8,
            'event "A talk": DTSTART: 2024-03-31 02:30 does not exist in Europe/Madrid: '
            "the clocks skip it.",
            id="floating-time-the-clocks-skip",
        ),
        pytest.param(
            (
                "DTSTART;TZID=Europe/Berlin:20250330T024500",
                "DTEND;TZID=Europe/Berlin:20250330T031500",
            ),
            8,
            'event "A talk": DTSTART: 2025-03-30 02:45 does not exist in Europe/Berlin: '
            "the clocks skip it.",
            id="tzid-time-the-clocks-skip",
        ),
        pytest.param(
            ("DTSTART:20240301T100000Z", "DURATION:-PT30M"),
            9,
            'event "A talk" ends (2024-03-01 09:30 UTC) before it starts (2024-03-01 10:00 UTC)',
            id="negative-duration",
        ),
    ],
)
def test_event_times_refuse_what_makes_no_talk(times, line, message):
    calendar = parse_ics(ics(talk_event("t1", "A talk", times)))

    with pytest.raises(IcsTimeError) as caught:
        event_times(calendar.events[0], MADRID)

    assert (caught.value.line, str(caught.value)) == (line, message)


# The reader: events it refuses, with their lines


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        pytest.param(
            ("UID:t1", "SUMMARY:A talk", "DTEND:20240301T100000Z"),
            [(5, 'event "A talk" has no DTSTART')],
            id="no-dtstart",
        ),
        pytest.param(
            ("SUMMARY:A talk", *TIMES),
            [(5, 'event "A talk" has no UID: it is what recognises the talk on the next import')],
            id="no-uid",
        ),
        pytest.param(
            ("SUMMARY:A talk", "DTEND:20240301T100000Z"),
            [
                (5, 'event "A talk" has no UID: it is what recognises the talk on the next import'),
                (5, 'event "A talk" has no DTSTART'),
            ],
            id="every-problem-of-one-event",
        ),
        pytest.param(
            ("UID:t1", "SUMMARY:A talk", "DTSTART:2024-03-01 09:00", "DTEND:20240301T094500Z"),
            [(8, 'event "A talk": DTSTART: Wrong datetime format: 2024-03-01 09:00')],
            id="unreadable-dtstart",
        ),
        pytest.param(
            (
                "UID:t1",
                "SUMMARY:A talk",
                "DTSTART;TZID=Mars/Olympus:20240301T090000",
                "DTEND;TZID=Mars/Olympus:20240301T100000",
            ),
            [
                (
                    8,
                    'event "A talk": DTSTART: unknown time zone "Mars/Olympus": no VTIMEZONE of '
                    "the file defines it and it is not an IANA name such as Europe/Madrid",
                ),
                (
                    9,
                    'event "A talk": DTEND: unknown time zone "Mars/Olympus": no VTIMEZONE of '
                    "the file defines it and it is not an IANA name such as Europe/Madrid",
                ),
            ],
            id="unknown-tzid",
        ),
        pytest.param(
            ("UID:t1", "SUMMARY:A talk", "DTSTART:20240301T090000Z", "DTEND;VALUE=DATE:20240302"),
            [(9, 'event "A talk": DTEND is a date but DTSTART is not')],
            id="dtend-a-date",
        ),
        pytest.param(
            (*talk_event(), "DTSTART:20240301T100000Z"),
            [(10, 'event "A talk": a second DTSTART (the first is on line 8)')],
            id="second-dtstart",
        ),
        pytest.param(
            (*talk_event(), "this is no property"),
            [
                (
                    10,
                    'event "A talk": Content line could not be parsed into parts: \'this is no '
                    "property': Invalid content line",
                )
            ],
            id="junk-line",
        ),
    ],
)
def test_parse_ics_refuses_an_event_with_its_lines(lines, errors):
    calendar = parse_ics(ics(lines))

    assert calendar.errors == tuple(errors)
    assert calendar.events == ()


def test_parse_ics_gives_each_junk_line_its_own_line_number():
    junk = [f"junk {number}" for number in range(1, 12)]

    calendar = parse_ics(ics((*talk_event(), *junk)))

    # Line 10 is "junk 1"; "junk 10" quotes it too, but is on line 19.
    assert [line for line, _ in calendar.errors] == list(range(10, 21))
    assert "'junk 10'" in calendar.errors[9][1]


def test_parse_ics_refuses_a_uid_used_twice_with_one_start():
    calendar = parse_ics(ics(talk_event("same"), talk_event("same", "Another talk")))

    # Both start at 09:00: keyed on UID and start, they are still one key.
    assert calendar.errors == (
        (
            11,
            'the UID "same" is already used by the event on line 5 for the same occurrence '
            "(start or RECURRENCE-ID)",
        ),
    )


def test_parse_ics_keeps_the_good_events_beside_a_broken_one():
    calendar = parse_ics(
        ics(talk_event("good"), ("UID:bad", "SUMMARY:Bad", "DTEND:20240301T100000Z"))
    )

    assert [event.uid for event in calendar.events] == ["good"]
    assert calendar.errors == ((11, 'event "Bad" has no DTSTART'),)


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        pytest.param(b"", ["f.ics: the file is empty: expected BEGIN:VCALENDAR"], id="empty"),
        pytest.param(
            b"Hello\r\n", ["f.ics:1: not an iCalendar file: expected BEGIN:VCALENDAR"], id="text"
        ),
        pytest.param(
            ics(talk_event()).replace(b"END:VEVENT\r\n", b""),
            ["f.ics:10: END:VCALENDAR, but BEGIN:VEVENT on line 5 is still open"],
            id="vevent-not-closed",
        ),
        pytest.param(
            ics(talk_event()).replace(b"END:VCALENDAR\r\n", b""),
            ["f.ics:1: BEGIN:VCALENDAR has no END:VCALENDAR"],
            id="calendar-not-closed",
        ),
        pytest.param(
            ics(talk_event()) + b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            ["f.ics:12: expected one VCALENDAR, found a second VCALENDAR"],
            id="two-calendars",
        ),
        pytest.param(
            ics(talk_event()).replace(b"SUMMARY:A talk", b"SUMMARY:A t\xe9lk"),
            ["f.ics:7: the file is not UTF-8: byte 0xe9 cannot be decoded; save the file as UTF-8"],
            id="latin-1",
        ),
        pytest.param(ics(), ["f.ics: the calendar has no events (VEVENT)"], id="no-events"),
    ],
)
def test_parse_ics_refuses_an_unreadable_file_with_the_line(data, messages):
    with pytest.raises(ImportFileError) as caught:
        parse_ics(data, source="f.ics")

    assert caught.value.messages() == messages


def test_parse_ics_unfolds_inside_a_utf8_character_and_drops_carriage_returns():
    """What a real export does: a fold between the bytes of "é", CR LF escaped as CR and \\n."""
    data = ics(talk_event("t1", "Caf", TIMES, "DESCRIPTION:Line one\r\r\n \\nLine two")).replace(
        b"SUMMARY:Caf", b"SUMMARY:Caf\xc3\r\n \xa9 au lait"
    )

    calendar = parse_ics(data, source="f.ics")

    assert calendar.events[0].title == "Café au lait"
    assert calendar.events[0].description == "Line one\nLine two"
    assert calendar.warnings == (
        "f.ics:11: 1 control character (such as carriage returns) inside values removed; "
        "iCalendar text allows none",
    )


def test_parse_ics_reads_bare_line_feeds_and_tab_folds():
    data = ics(talk_event("t1", "A long", TIMES)).replace(b"\r\n", b"\n")
    data = data.replace(b"SUMMARY:A long", b"SUMMARY:A long\n\t title")

    calendar = parse_ics(data)

    assert (calendar.events[0].title, calendar.errors, calendar.warnings) == (
        "A long title",
        (),
        (),
    )


def test_parse_ics_skips_all_day_events_with_a_warning():
    data = ics(
        talk_event(),
        ("UID:party", "SUMMARY:Party", "DTSTART;VALUE=DATE:20240302", "DTEND;VALUE=DATE:20240303"),
    )

    calendar = parse_ics(data, source="f.ics")

    assert [event.uid for event in calendar.events] == ["t1"]
    assert calendar.skipped == 1
    assert calendar.warnings == (
        'f.ics:14: event "Party" lasts whole days (DTSTART is a date), so it is not a talk; '
        "skipped",
    )


# The reader: speakers, text and places


@pytest.mark.parametrize(
    ("extra", "speakers", "description"),
    [
        pytest.param((), [], "", id="none"),
        pytest.param(
            (
                "ATTENDEE;CN=Grace Hopper:mailto:grace@example.org",
                'ATTENDEE;CN="Hopper, Grace";ROLE=NON-PARTICIPANT:mailto:g@example.org',
                "ATTENDEE;CN=Room K;CUTYPE=ROOM:mailto:room@example.org",
                "ATTENDEE:mailto:nameless@example.org",
            ),
            ["Grace Hopper"],
            "",
            id="attendees-who-speak",
        ),
        pytest.param(
            ("DESCRIPTION:Speakers: Ada Lovelace\\, Grace Hopper and Alan Kay\\n\\nAbstract.",),
            ["Ada Lovelace", "Grace Hopper", "Alan Kay"],
            "Abstract.",
            id="speakers-line",
        ),
        pytest.param(
            ("DESCRIPTION:Speaker: Joel Addison\\nOpening remarks",),
            ["Joel Addison"],
            "Opening remarks",
            id="speaker-line",
        ),
        pytest.param(
            (
                "ATTENDEE;CN=Ada  Lovelace:mailto:ada@example.org",
                "ORGANIZER;CN=ada lovelace:mailto:ada@example.org",
                "DESCRIPTION:Speakers: ADA LOVELACE\\n\\nAbstract.",
            ),
            ["Ada Lovelace"],
            "Abstract.",
            id="one-person-three-times",
        ),
        pytest.param(
            (
                "URL:https://example.org/talks/t1/",
                "DESCRIPTION:Speakers: Ada Lovelace\\n\\nSome *Markdown*:\\n\\n- a\\n- b"
                "\\n\\nhttps://example.org/talks/t1/",
            ),
            ["Ada Lovelace"],
            "Some *Markdown*:\n\n- a\n- b",
            id="our-own-export",
        ),
    ],
)
def test_parse_ics_reads_speakers_and_the_abstract(extra, speakers, description):
    calendar = parse_ics(ics(talk_event("t1", "A talk", TIMES, *extra)))

    event = calendar.events[0]
    assert [speaker.name for speaker in event.speakers] == speakers
    assert event.description == description


def test_parse_ics_takes_an_organiser_of_every_event_for_the_conference():
    organiser = "ORGANIZER;CN=Small Conf:mailto:info@example.org"
    calendar = parse_ics(
        ics(talk_event("t1", "A", TIMES, organiser), talk_event("t2", "B", TIMES, organiser))
    )

    assert [event.speakers for event in calendar.events] == [(), ()]


def test_parse_ics_takes_an_organiser_of_one_event_for_its_speaker():
    organiser = "ORGANIZER;CN=Ada Lovelace:mailto:ada@example.org"
    calendar = parse_ics(ics(talk_event("t1", "A", TIMES, organiser), talk_event("t2", "B")))

    assert [event.speakers for event in calendar.events] == [(IcsSpeaker("Ada Lovelace"),), ()]


@pytest.mark.parametrize(
    ("locations", "venue", "expected"),
    [
        pytest.param(
            ["Room A, Barcelona, Spain", "Room B, Barcelona, Spain", "Barcelona, Spain", ""],
            "",
            (
                "Barcelona, Spain",
                {
                    "Barcelona, Spain": "",
                    "Room A, Barcelona, Spain": "Room A",
                    "Room B, Barcelona, Spain": "Room B",
                },
                set(),
            ),
            id="our-own-export",
        ),
        pytest.param(
            ["Barcelona, Spain"],
            "",
            ("Barcelona, Spain", {"Barcelona, Spain": ""}, set()),
            id="only-the-venue",
        ),
        pytest.param(["Main Hall"], "", ("", {"Main Hall": "Main Hall"}, set()), id="one-room"),
        pytest.param(
            ["Room 5", "Arena", "Arena, Room 5"],
            "",
            ("", {"Arena": "Arena", "Room 5": "Room 5", "Arena, Room 5": ""}, {"Arena, Room 5"}),
            id="several-rooms",
        ),
        pytest.param(
            ["Hall 1", "Hall 2"],
            "",
            ("", {"Hall 1": "Hall 1", "Hall 2": "Hall 2"}, set()),
            id="no-venue",
        ),
        pytest.param(
            ["Room 1, Building A", "Room 2, building a"],
            "",
            ("Building A", {"Room 1, Building A": "Room 1", "Room 2, building a": "Room 2"}, set()),
            id="venue-in-any-case",
        ),
        pytest.param(
            ["Ravensberg, Kiel"],
            "Kiel",
            ("Kiel", {"Ravensberg, Kiel": "Ravensberg"}, set()),
            id="the-event-location-is-the-venue",
        ),
        pytest.param([], "", ("", {}, set()), id="no-locations"),
    ],
)
def test_location_rooms_separates_rooms_from_the_venue(locations, venue, expected):
    assert location_rooms(locations, venue=venue) == expected


def test_talk_external_id_is_the_uid_or_a_digest_of_a_long_one():
    long_uid = "x" * 97

    assert talk_external_id("42@lca2020.linux.org.au") == "ics:42@lca2020.linux.org.au"
    assert talk_external_id("x" * 96) == f"ics:{'x' * 96}"
    assert talk_external_id(long_uid) == talk_external_id(long_uid)
    assert re.fullmatch(r"ics:sha256:[0-9a-f]{64}", talk_external_id(long_uid))


# The import: a small hand-made file


@pytest.mark.django_db
def test_ics_import_creates_the_event_talks_rooms_and_speakers():
    result = ics_import(path=SMALL_CONF, event_slug="small-conf")

    event = Event.objects.get(slug="small-conf")
    talks = {talk.title: talk for talk in event.talks.select_related("room")}
    assert result.summary() == (
        "Event small-conf (Europe/Brussels): created. Talks: 3 created, 0 updated, "
        "0 unchanged, 1 skipped. Rooms: 2 created, 0 unchanged. Speakers: 2 created, 0 unchanged."
    )
    assert result.warnings == [
        f'{SMALL_CONF}:57: event "Social day" lasts whole days (DTSTART is a date), so it is '
        "not a talk; skipped"
    ]
    assert (event.name, event.location, event.time_zone, event.is_published) == (
        "Small Conf 2024",
        "ULB, Brussels",
        "Europe/Brussels",
        True,
    )
    assert (event.start_date, event.end_date) == (
        datetime.date(2024, 3, 1),
        datetime.date(2024, 3, 2),
    )
    assert list(event.rooms.values_list("name", "slug", "position")) == [
        ("Main Hall", "main-hall", 0),
        ("Room K", "room-k", 1),
    ]
    assert {
        title: (talk.start, talk.end, talk.room.name, [s.name for s in talk.speakers.all()])
        for title, talk in talks.items()
    } == {
        "Opening": (
            utc(2024, 3, 1, 8, 0),
            utc(2024, 3, 1, 8, 30),
            "Main Hall",
            ["Ada Lovelace", "Grace Hopper"],
        ),
        "Compilers for everyone": (
            utc(2024, 3, 1, 8, 45),
            utc(2024, 3, 1, 9, 30),
            "Room K",
            ["Grace Hopper"],
        ),
        "The Analytical Engine": (
            utc(2024, 3, 2, 9, 0),
            utc(2024, 3, 2, 10, 0),
            "Main Hall",
            ["Ada Lovelace"],
        ),
    }
    opening = talks["Opening"]
    assert (opening.slug, opening.external_id, opening.abstract, opening.source_url) == (
        "opening",
        "ics:opening@small-conf.example.org",
        "Welcome to Small Conf.",
        "https://small-conf.example.org/talks/opening/",
    )
    assert (
        talks["Compilers for everyone"].abstract
        == "How compilers came to be:\n\n- history\n- practice"
    )
    assert sorted(Speaker.objects.values_list("name", "external_id")) == [
        ("Ada Lovelace", "ics:small-conf:ada lovelace"),
        ("Grace Hopper", "ics:small-conf:grace hopper"),
    ]


@pytest.mark.django_db
def test_ics_import_second_run_changes_nothing():
    ics_import(path=SMALL_CONF, event_slug="small-conf")
    before = database_snapshot()

    result = ics_import(path=SMALL_CONF, event_slug="small-conf")

    assert result.changed is False
    assert result.summary() == (
        "Event small-conf (Europe/Brussels): unchanged. Talks: 0 created, 0 updated, "
        "3 unchanged, 1 skipped. Rooms: 0 created, 2 unchanged. Speakers: 0 created, 2 unchanged."
    )
    assert database_snapshot() == before


@pytest.mark.django_db
def test_ics_import_updates_what_the_file_changed_and_deletes_nothing(tmp_path):
    ics_import(path=SMALL_CONF, event_slug="small-conf")
    text = SMALL_CONF.read_bytes()
    text = text.replace(b"SUMMARY:Opening", b"SUMMARY:Welcome")
    text = text.replace(b"DURATION:PT45M", b"DURATION:PT30M")
    # The engine talk leaves the file, and Ada leaves the opening.
    text = text.replace(b"UID:engine@", b"UID:other-engine@")
    text = text.replace(b"Speakers: Ada Lovelace\\, Grace Hopper", b"Speakers: Grace Hopper")
    edited = write_ics(tmp_path, text)

    result = ics_import(path=edited, event_slug="small-conf")

    event = Event.objects.get(slug="small-conf")
    assert (result.talks_created, result.talks_updated, result.talks_unchanged) == (1, 2, 0)
    assert sorted(event.talks.values_list("title", "external_id")) == [
        ("Compilers for everyone", "ics:compilers@small-conf.example.org"),
        ("The Analytical Engine", "ics:engine@small-conf.example.org"),
        ("The Analytical Engine", "ics:other-engine@small-conf.example.org"),
        ("Welcome", "ics:opening@small-conf.example.org"),
    ]
    welcome = event.talks.get(title="Welcome")
    assert (welcome.slug, [s.name for s in welcome.speakers.all()]) == ("opening", ["Grace Hopper"])
    assert event.talks.get(title="Compilers for everyone").end == utc(2024, 3, 1, 9, 15)
    assert Speaker.objects.count() == 2


@pytest.mark.django_db
def test_ics_import_keeps_what_organisers_edited():
    ics_import(path=SMALL_CONF, event_slug="small-conf")
    event = Event.objects.get(slug="small-conf")
    track = TrackFactory(event=event)
    Talk.objects.filter(title="Opening").update(
        slug="welcome", track=track, kind=Talk.Kind.KEYNOTE, is_published=False
    )
    Event.objects.filter(pk=event.pk).update(name="Small Conf, renamed", location="Brussels")

    result = ics_import(path=SMALL_CONF, event_slug="small-conf")

    opening = Talk.objects.get(title="Opening")
    assert (result.event_outcome, result.talks_unchanged) == (Outcome.UNCHANGED, 3)
    assert (opening.slug, opening.track, opening.kind, opening.is_published) == (
        "welcome",
        track,
        Talk.Kind.KEYNOTE,
        False,
    )
    assert Event.objects.values_list("name", "location").get() == (
        "Small Conf, renamed",
        "Brussels",
    )


@pytest.mark.django_db
def test_ics_import_dry_run_counts_everything_and_writes_nothing():
    result = ics_import(path=SMALL_CONF, event_slug="small-conf", dry_run=True)

    assert (result.dry_run, result.talks_created, result.rooms_created) == (True, 3, 2)
    assert result.speakers_created == 2
    assert database_snapshot() == {
        name: [] for name in ("Event", "Room", "Talk", "Speaker", "TalkSpeaker")
    }


@pytest.mark.django_db
def test_ics_import_reports_every_problem_at_once_and_writes_nothing():
    with pytest.raises(ImportFileError) as caught:
        ics_import(path=BROKEN, event_slug="broken")

    assert caught.value.messages() == [
        f'{BROKEN}:11: event "No start" has no DTSTART',
        f'{BROKEN}:19: event "Backwards" ends (2024-03-01 10:30 CET) before it starts '
        "(2024-03-01 11:00 CET)",
    ]
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_ics_import_rolls_back_when_a_late_talk_fails_validation(tmp_path):
    ics_import(path=SMALL_CONF, event_slug="small-conf")
    before = database_snapshot()
    text = SMALL_CONF.read_bytes().replace(b"SUMMARY:Opening", b"SUMMARY:Welcome")
    text = text.replace(b"SUMMARY:The Analytical Engine", b"SUMMARY:" + b"E" * 301)
    edited = write_ics(tmp_path, text.replace(b"UID:compilers", b"UID:new-compilers"))

    with pytest.raises(ImportFileError) as caught:
        ics_import(path=edited, event_slug="small-conf")

    assert caught.value.messages() == [
        f'{edited}:50: event "{"E" * 60}…(301 characters)": title is 301 characters long; '
        "at most 300 fit"
    ]
    assert database_snapshot() == before


def many_events(count):
    """``count`` events of 15 minutes in two rooms, each with a speaker of its own."""
    return ics(
        *(
            (
                f"UID:talk-{number}",
                f"SUMMARY:Talk {number}",
                f"DTSTART:20240301T{9 + number // 8:02d}{number % 4 * 15:02d}00Z",
                "DURATION:PT15M",
                f"LOCATION:Room {number % 2}",
                f"ATTENDEE;CN=Speaker {number}:mailto:speaker{number}@example.org",
            )
            for number in range(count)
        )
    )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [8, 40])
def test_ics_import_query_count_does_not_grow_with_talks(
    tmp_path, django_assert_num_queries, count
):
    # Both sizes fit in one of SQLite's insert batches; a row each took several queries.
    path = write_ics(tmp_path, many_events(count))

    with django_assert_num_queries(ICS_FIRST_RUN_QUERIES):
        first = ics_import(path=path, event_slug="many", zone="Europe/Madrid")
    with django_assert_num_queries(ICS_SECOND_RUN_QUERIES):
        second = ics_import(path=path, event_slug="many", zone="Europe/Madrid")

    assert (first.talks_created, first.rooms_created, first.speakers_created) == (count, 2, count)
    assert (second.changed, second.talks_unchanged) == (False, count)


@pytest.mark.django_db
def test_ics_import_keeps_the_new_speakers_history_and_makes_the_pages_stale(tmp_path):
    path = write_ics(tmp_path, many_events(2))
    before = event_version("many")

    ics_import(path=path, event_slug="many", zone="Europe/Madrid")
    after_first = event_version("many")
    ics_import(path=path, event_slug="many", zone="Europe/Madrid")

    assert after_first != before
    assert event_version("many") == after_first
    assert sorted(Speaker.history.values_list("history_type", "name")) == [
        ("+", "Speaker 0"),
        ("+", "Speaker 1"),
    ]


@pytest.mark.django_db
def test_ics_import_update_rewrites_only_what_the_file_changed(tmp_path):
    path = write_ics(tmp_path, many_events(3))
    ics_import(path=path, event_slug="many", zone="Europe/Madrid")
    talk = Talk.objects.get(external_id="ics:talk-1")
    talk.slug, talk.is_published = "kept-slug", False
    talk.save()
    edited = many_events(3).replace(b"SUMMARY:Talk 1", b"SUMMARY:Talk one")
    edited = edited.replace(b"CN=Speaker 1:", b"CN=Speaker One:")

    result = ics_import(path=write_ics(tmp_path, edited), event_slug="many", zone="Europe/Madrid")

    talk.refresh_from_db()
    assert (result.talks_updated, result.talks_unchanged, result.speakers_created) == (1, 2, 1)
    assert (talk.title, talk.slug, talk.is_published) == ("Talk one", "kept-slug", False)
    assert [link.speaker.name for link in talk.talk_speakers.all()] == ["Speaker One"]
    assert Speaker.objects.filter(name="Speaker 1").exists()  # never deleted


@pytest.mark.django_db
def test_ics_import_refuses_a_file_with_only_all_day_events(tmp_path):
    path = write_ics(tmp_path, ics(("UID:d", "SUMMARY:Day", "DTSTART;VALUE=DATE:20240302")))

    with pytest.raises(ImportFileError) as caught:
        ics_import(path=path, event_slug="days")

    assert caught.value.messages() == [f"{path}: no event of the file has a time: no talk"]


# The import: zones


@pytest.mark.parametrize(
    ("zone", "header", "existing_zone", "times", "expected"),
    [
        pytest.param(
            "Asia/Tokyo",
            ("X-WR-TIMEZONE:Europe/Brussels",),
            "Europe/Madrid",
            ("DTSTART:20240301T090000", "DTEND:20240301T100000"),
            ("Asia/Tokyo", utc(2024, 3, 1, 0, 0)),
            id="--timezone-first",
        ),
        pytest.param(
            None,
            ("X-WR-TIMEZONE:Europe/Brussels",),
            "Europe/Madrid",
            ("DTSTART:20240301T090000", "DTEND:20240301T100000"),
            ("Europe/Brussels", utc(2024, 3, 1, 8, 0)),
            id="then-x-wr-timezone",
        ),
        pytest.param(
            None,
            (),
            "Europe/London",
            ("DTSTART:20240301T090000", "DTEND:20240301T100000"),
            ("Europe/London", utc(2024, 3, 1, 9, 0)),
            id="then-the-event-zone",
        ),
        pytest.param(
            None,
            (),
            None,
            ("DTSTART;TZID=America/New_York:20240301T090000", "DURATION:PT1H"),
            ("America/New_York", utc(2024, 3, 1, 14, 0)),
            id="then-the-tzid-of-most-events",
        ),
    ],
)
@pytest.mark.django_db
def test_ics_import_chooses_the_zone(tmp_path, zone, header, existing_zone, times, expected):
    if existing_zone:
        EventFactory(
            slug="conf",
            time_zone=existing_zone,
            start_date=datetime.date(2024, 3, 1),
            end_date=datetime.date(2024, 3, 1),
        )
    path = write_ics(tmp_path, ics(talk_event("t1", "A talk", times), header=header))

    result = ics_import(path=path, event_slug="conf", zone=zone)

    assert (result.time_zone, Talk.objects.get().start) == expected
    assert Event.objects.get().time_zone == expected[0]


@pytest.mark.parametrize(
    ("zone", "header", "message"),
    [
        pytest.param(
            None,
            (),
            "no time zone: the file names none (no X-WR-TIMEZONE, no TZID) and the times of its 1 "
            "talk are UTC, which would put the first on 2024-03-01 (a UTC day); the venue's zone "
            "decides the talks' days: pass --timezone ZONE with the venue's zone, e.g. "
            "--timezone Europe/Berlin",
            id="none",
        ),
        pytest.param(
            "Mars/Olympus",
            (),
            'unknown time zone "Mars/Olympus" (--timezone): expected an IANA name such as '
            "Europe/Madrid; pass --timezone",
            id="bad-option",
        ),
    ],
)
@pytest.mark.django_db
def test_ics_import_without_a_known_zone_fails(tmp_path, zone, header, message):
    path = write_ics(tmp_path, ics(talk_event(), header=header))

    with pytest.raises(ImportFileError) as caught:
        ics_import(path=path, event_slug="conf", zone=zone)

    assert caught.value.messages() == [f"{path}: {message}"]


@pytest.mark.django_db
def test_ics_import_names_the_line_of_an_unknown_x_wr_timezone(tmp_path):
    path = write_ics(tmp_path, ics(talk_event(), header=("X-WR-TIMEZONE:Central Time",)))

    with pytest.raises(ImportFileError) as caught:
        ics_import(path=path, event_slug="conf")

    assert caught.value.messages() == [
        f'{path}:4: unknown time zone "Central Time" (X-WR-TIMEZONE): expected an IANA name '
        "such as Europe/Madrid; pass --timezone"
    ]


@pytest.mark.django_db
def test_ics_import_suggests_a_real_zone_for_a_fixed_offset(tmp_path):
    path = write_ics(tmp_path, ics(talk_event(), header=("X-WR-TIMEZONE:Etc/GMT-2",)))

    result = ics_import(path=path, event_slug="conf")

    assert result.time_zone == "Etc/GMT-2"
    assert [w for w in result.warnings if "fixed offset" in w] == [
        f"{path}:4: Etc/GMT-2 is a fixed offset with no summer time; name the venue's zone, "
        "e.g. Europe/Helsinki, with --timezone"
    ]


# The import: into an existing event


@pytest.mark.django_db
def test_ics_import_into_an_existing_event_widens_its_dates_and_reuses_its_rooms():
    event = EventFactory(
        slug="small-conf",
        name="Small Conf",
        location="",
        time_zone="Europe/Brussels",
        start_date=datetime.date(2024, 3, 2),
        end_date=datetime.date(2024, 3, 4),
    )
    hall = RoomFactory(event=event, name="main hall", slug="hall", position=3)

    result = ics_import(path=SMALL_CONF, event_slug="small-conf")

    event.refresh_from_db()
    assert (result.event_outcome, result.rooms_created, result.rooms_unchanged) == (
        Outcome.UPDATED,
        1,
        1,
    )
    assert (event.name, event.location, event.start_date, event.end_date) == (
        "Small Conf",
        "ULB, Brussels",
        datetime.date(2024, 3, 1),
        datetime.date(2024, 3, 4),
    )
    assert list(event.rooms.values_list("name", "position")) == [("main hall", 3), ("Room K", 4)]
    assert event.talks.filter(room=hall).count() == 2


@pytest.mark.django_db
def test_ics_import_takes_spellings_of_one_room_as_one(tmp_path):
    path = write_ics(
        tmp_path,
        ics(
            talk_event("t1", "A", TIMES, "LOCATION:Amphithéatre"),
            talk_event("t2", "B", TIMES, "LOCATION:Amphithéâtre"),
            talk_event("t3", "C", TIMES, "LOCATION:Amphithéâtre"),
        ),
    )

    result = ics_import(path=path, event_slug="conf", zone="Europe/Paris")

    assert list(Room.objects.values_list("name", "slug")) == [("Amphithéâtre", "amphitheatre")]
    assert result.warnings[0] == (
        f'{path}:10: LOCATION "Amphithéatre" is taken as the room "Amphithéâtre" (1 event)'
    )


@pytest.mark.django_db
def test_ics_import_never_matches_speakers_by_name_alone():
    someone = SpeakerFactory(name="Ada Lovelace", slug="ada-lovelace")

    ics_import(path=SMALL_CONF, event_slug="small-conf")
    ics_import(path=SMALL_CONF, event_slug="other-conf")

    assert someone.talks.count() == 0
    assert sorted(
        Speaker.objects.filter(name="Ada Lovelace").values_list("slug", "external_id")
    ) == [
        ("ada-lovelace", ""),
        ("ada-lovelace-2", "ics:small-conf:ada lovelace"),
        ("ada-lovelace-3", "ics:other-conf:ada lovelace"),
    ]


def test_speaker_external_id_is_stable_and_fits_the_column():
    long_name = "Ada " * 60

    assert speaker_external_id("conf", "  Ada   LOVELACE ") == "ics:conf:ada lovelace"
    assert speaker_external_id("conf", long_name) == speaker_external_id("conf", long_name)
    assert len(speaker_external_id("c" * 100, long_name)) <= 200


@pytest.mark.django_db
def test_ics_import_warns_of_clashes_with_the_line(tmp_path):
    path = write_ics(
        tmp_path,
        ics(
            talk_event("t1", "First", TIMES, "LOCATION:Hall"),
            talk_event("t2", "Second", TIMES, "LOCATION:Hall"),
        ),
    )

    result = ics_import(path=path, event_slug="conf", zone="Europe/Madrid")

    assert result.warnings == [
        f"{path}:12: clash: “Second” is in Hall at the same time as “First” "
        "(Fri 01 Mar 10:00–10:45)."
    ]


@pytest.mark.django_db
def test_ics_import_marks_cancelled_events(tmp_path):
    path = write_ics(tmp_path, ics(talk_event("t1", "Gone", TIMES, "STATUS:CANCELLED")))

    ics_import(path=path, event_slug="conf", zone="Europe/Madrid")

    assert Talk.objects.values_list("title", "is_cancelled").get() == ("Gone", True)


# Round trip with our own export


@pytest.mark.django_db
def test_ics_import_reads_our_own_export_back(client, kvm_forum, tmp_path, settings):
    settings.ALLOWED_HOSTS = ["conference.example.org"]
    talks = list(kvm_forum.talks.order_by("start", "title"))
    hall = RoomFactory(event=kvm_forum, name="Hall", slug="hall")
    Talk.objects.filter(pk__in=[talks[0].pk, talks[5].pk]).update(room=hall)
    response = client.get("/kvm-forum-2012/schedule.ics", HTTP_HOST="conference.example.org")
    path = write_ics(tmp_path, response.content)

    result = ics_import(path=path, event_slug="kvm-copy")

    def described(event):
        return [
            (
                talk.title,
                talk.start.astimezone(UTC),
                talk.end.astimezone(UTC),
                talk.room.name if talk.room else "",
                [link.speaker.name for link in talk.talk_speakers.all()],
            )
            for talk in event.talks.select_related("room")
            .prefetch_related("talk_speakers__speaker")
            .order_by("start", "title")
        ]

    copy = Event.objects.get(slug="kvm-copy")
    assert (result.talks_created, result.speakers_created) == (34, 30)
    assert described(copy) == described(kvm_forum)
    assert (copy.name, copy.location, copy.time_zone) == (
        kvm_forum.name,
        kvm_forum.location,
        kvm_forum.time_zone,
    )
    assert (copy.start_date, copy.end_date) == (kvm_forum.start_date, kvm_forum.end_date)
    assert ics_import(path=path, event_slug="kvm-copy").changed is False


# The real files of three conferences


@pytest.mark.django_db
def test_ics_import_reads_linux_conf_au_2020():
    path = SAMPLES / "linux_conf_au_2020.ics"
    text = unfolded(path)
    locations = re.findall(r"^LOCATION:(.*?)\r?$", text, re.MULTILINE)
    several = [location for location in locations if "\\," in location]
    speakers = re.findall(r"^DESCRIPTION:Speaker: (.*?)\\n", text, re.MULTILINE)

    result = ics_import(path=path, event_slug="lca-2020")

    event = Event.objects.get(slug="lca-2020")
    assert text.count("BEGIN:VEVENT") == 262
    assert event.talks.count() == text.count("BEGIN:VEVENT")
    assert set(event.rooms.values_list("name", flat=True)) == set(locations) - set(several)
    assert event.rooms.count() == 6
    assert event.talks.filter(room=None).count() == text.count("BEGIN:VEVENT") - (
        len(locations) - len(several)
    )
    names = {name.casefold() for name in speakers}
    assert {name.casefold() for name in Speaker.objects.values_list("name", flat=True)} == names
    assert len(names) == 151
    assert (event.name, event.time_zone, event.start_date, event.end_date) == (
        "linux.conf.au 2020",
        "Australia/Brisbane",
        datetime.date(2020, 1, 12),
        datetime.date(2020, 1, 17),
    )
    assert result.warnings == [
        f'{path}:{line}: event "Main Conference: room changeover" is in several rooms '
        '("Arena, Room 8, Room 5, Room 6, Room 7"); imported without a room'
        for line in (1170, 1180, 1190, 2928, 2938, 2948, 4578, 4588)
    ]
    assert [p for p in schedule_problems(event) if p.is_error] == []
    assert ics_import(path=path, event_slug="lca-2020").changed is False


@pytest.mark.django_db
def test_ics_import_reads_kielux_2020_with_a_zone():
    path = SAMPLES / "kielux_2020.ics"
    text = unfolded(path)
    rooms = set(re.findall(r"^LOCATION:(.*?)\r?$", text, re.MULTILINE))
    speakers = set(re.findall(r'^ATTENDEE;CN="([^"]*)"', text, re.MULTILINE))

    result = ics_import(path=path, event_slug="kielux-2020", zone="Europe/Berlin")

    event = Event.objects.get(slug="kielux-2020")
    first = event.talks.get(external_id="ics:460@KOLT20")
    assert (result.talks_created, result.rooms_created, result.speakers_created) == (24, 4, 20)
    assert event.talks.count() == text.count("BEGIN:VEVENT")
    assert set(event.rooms.values_list("name", flat=True)) == rooms
    assert set(Speaker.objects.values_list("name", flat=True)) == speakers
    assert (first.start, first.end, first.room.name) == (
        utc(2020, 9, 18, 11, 0),
        utc(2020, 9, 18, 12, 0),
        "Ravensberg",
    )
    assert [s.name for s in first.speakers.all()] == ["Jakob Semere"]
    assert (event.start_date, event.end_date) == (
        datetime.date(2020, 9, 18),
        datetime.date(2020, 9, 19),
    )


@pytest.mark.django_db
def test_ics_import_asks_for_a_zone_for_kielux_2020():
    path = SAMPLES / "kielux_2020.ics"

    with pytest.raises(ImportFileError) as caught:
        ics_import(path=path, event_slug="kielux-2020")

    # Once for the file, not once per talk.
    assert caught.value.messages() == [
        f"{path}: no time zone: the file names none (no X-WR-TIMEZONE, no TZID) and the times "
        "of its 24 talks are UTC, which would put the first on 2020-09-18 (a UTC day); the "
        "venue's zone decides the talks' days: pass --timezone ZONE with the venue's zone, "
        "e.g. --timezone Europe/Berlin"
    ]


@pytest.mark.django_db
def test_ics_import_skips_the_jres_2022_talk_without_length_with_a_warning():
    path = SAMPLES / "jres_2022.ics"
    data = path.read_bytes()
    # Found independently: the DTSTART line of the event presentation_147.
    dtstart = data.index(b"DTSTART", data.index(b"UID:presentation_147@"))
    line = data.count(b"\n", 0, dtstart) + 1

    result = ics_import(path=path, event_slug="jres-2022")

    assert (result.talks_created, result.talks_skipped) == (data.count(b"BEGIN:VEVENT") - 1, 1)
    assert (
        f'{path}:{line}: event "12 - Portail invités EDUSPOT" lasts no time (its DTEND is its '
        'DTSTART): a moment such as "registration opens", not a talk; skipped'
    ) in result.warnings
    assert not Talk.objects.filter(external_id="ics:presentation_147@conf-ng.jres.org").exists()


def test_parse_ics_reads_the_dirty_jres_2022_text_right():
    """Folds inside UTF-8 characters and stray carriage returns: every character comes back."""
    path = SAMPLES / "jres_2022.ics"
    data = path.read_bytes()
    stray_returns = len(re.findall(rb"\r(?!\n)", data))

    calendar = parse_ics(data, source="jres.ics")

    texts = [event.title + event.description + event.location for event in calendar.events]
    # One poster lasts no time: skipped.
    assert (len(calendar.events), calendar.errors) == (data.count(b"BEGIN:VEVENT") - 1, ())
    assert [text for text in texts if "\ufffd" in text or "\r" in text] == []
    assert (
        "d’exploitation"
        in calendar.events[
            [e.uid for e in calendar.events].index("presentation_209@conf-ng.jres.org")
        ].description
    )
    assert calendar.warnings[0] == (
        f"jres.ics:28: {stray_returns} control characters (such as carriage returns) inside "
        "values removed; iCalendar text allows none"
    )
