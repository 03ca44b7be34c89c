"""Tests of what ``import_ics`` settles instead of refusing the file, each with a warning naming
the line: events of no length, events without SUMMARY or DTEND, recurring events and repeated
UIDs, pretalx's speakers in titles; and the one message that asks for a zone for UTC times.

Each file is written here, small, for its case.
"""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conference.models import Event
from schedule.formats.ical.importer import ics_import
from schedule.formats.ical.parser import parse_ics
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import ImportLimits
from schedule.models import Talk
from speakers.models import Speaker

UTC = datetime.UTC


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def ics(*events, prodid="-//Tests//EN", header=("X-WR-TIMEZONE:Europe/Berlin",)):
    """An iCalendar file (bytes) of ``events``, each a tuple of content lines.

    With the default header the first BEGIN:VEVENT is on line 5, its
    properties from line 6; each event takes its lines and two more.
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", *header]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def talk(uid, title, start="20240301T090000Z", end="20240301T094500Z", *extra):
    return (f"UID:{uid}", f"SUMMARY:{title}", f"DTSTART:{start}", f"DTEND:{end}", *extra)


def write(tmp_path, data):
    path = tmp_path / "calendar.ics"
    path.write_bytes(data)
    return path


def talks_by_key():
    return {
        talk.external_id: (talk.title, talk.start, talk.end)
        for talk in Talk.objects.order_by("start")
    }


# 1. A file of UTC times that names no zone: asked once


@pytest.mark.django_db
def test_ics_import_asks_once_for_the_zone_of_utc_times_with_the_count_and_first_day(tmp_path):
    # 23:30 UTC on 1 March is already 2 March in Berlin: the zone decides the day.
    events = [
        talk("a", "Late", "20240301T233000Z", "20240302T000000Z"),
        talk("b", "Next", "20240302T090000Z", "20240302T100000Z"),
        talk("c", "Last", "20240303T090000Z", "20240303T100000Z"),
    ]
    path = write(tmp_path, ics(*events, header=()))

    with pytest.raises(ImportFileError) as caught:
        ics_import(path=path, event_slug="utc")

    assert caught.value.messages() == [
        f"{path}: no time zone: the file names none (no X-WR-TIMEZONE, no TZID) and the times "
        "of its 3 talks are UTC, which would put the first on 2024-03-01 (a UTC day); the "
        "venue's zone decides the talks' days: pass --timezone ZONE with the venue's zone, "
        "e.g. --timezone Europe/Berlin"
    ]
    result = ics_import(path=path, event_slug="utc", zone="Europe/Berlin")
    event = Event.objects.get(slug="utc")
    assert (result.talks_created, event.start_date) == (3, datetime.date(2024, 3, 2))


# 2. Events without DTEND or DURATION, without SUMMARY


@pytest.mark.parametrize(
    ("times", "reason"),
    [
        pytest.param(
            ("DTSTART:20240301T120000Z",),
            "has neither DTEND nor DURATION, which RFC 5545 reads as no length",
            id="no-dtend-nor-duration",
        ),
        pytest.param(
            ("DTSTART:20240301T120000Z", "DTEND:20240301T120000Z"),
            "lasts no time (its DTEND is its DTSTART)",
            id="dtend-is-dtstart",
        ),
        pytest.param(
            ("DTSTART:20240301T120000Z", "DURATION:PT0S"),
            "lasts no time (its DURATION is zero)",
            id="zero-duration",
        ),
    ],
)
@pytest.mark.django_db
def test_ics_import_skips_an_event_of_no_length_with_a_warning(tmp_path, times, reason):
    path = write(tmp_path, ics(talk("t1", "A talk"), ("UID:m1", "SUMMARY:Doors open", *times)))

    result = ics_import(path=path, event_slug="conf")

    # The marker's DTSTART is on line 14 (its event begins on line 11).
    assert result.warnings == [
        f'{path}:14: event "Doors open" {reason}: a moment such as "registration opens", '
        "not a talk; skipped"
    ]
    assert (result.talks_created, result.talks_skipped) == (1, 1)
    assert list(Talk.objects.values_list("title", flat=True)) == ["A talk"]
    assert "Talks: 1 created, 0 updated, 0 unchanged, 1 skipped." in result.summary()


@pytest.mark.django_db
def test_ics_import_without_dtend_on_a_date_lasts_the_day_and_is_skipped(tmp_path):
    path = write(
        tmp_path,
        ics(talk("t1", "A talk"), ("UID:d1", "SUMMARY:Day", "DTSTART;VALUE=DATE:20240302")),
    )

    result = ics_import(path=path, event_slug="conf")

    assert result.warnings == [
        f'{path}:14: event "Day" lasts whole days (DTSTART is a date), so it is not a talk; skipped'
    ]
    assert (result.talks_created, result.talks_skipped) == (1, 1)


@pytest.mark.django_db
def test_ics_import_titles_an_event_without_summary_with_its_uid_and_keeps_a_new_title(tmp_path):
    untitled = ("UID:keynote-2@example.org", "DTSTART:20240301T100000Z", "DURATION:PT1H")
    path = write(tmp_path, ics(talk("t1", "A talk"), untitled))

    first = ics_import(path=path, event_slug="conf")
    keynote = Talk.objects.get(external_id="ics:keynote-2@example.org")
    keynote.title = "Closing keynote"
    keynote.save()
    second = ics_import(path=path, event_slug="conf")

    assert first.warnings == [
        f"{path}:11: event keynote-2@example.org has no SUMMARY; the talk is titled with its UID, "
        '"keynote-2@example.org"'
    ]
    assert first.talks_created == 2
    # The file has no title for it: the organisers' one stays.
    assert (second.talks_updated, second.talks_unchanged) == (0, 2)
    assert Talk.objects.get(external_id="ics:keynote-2@example.org").title == "Closing keynote"


def test_parse_ics_still_refuses_an_event_it_cannot_read():
    calendar = parse_ics(ics(("SUMMARY:No UID", "DTSTART:20240301T090000Z", "DURATION:PT1H")))

    assert calendar.errors == (
        (5, 'event "No UID" has no UID: it is what recognises the talk on the next import'),
    )


# 3. Recurring events and repeated UIDs

WEEKLY = (
    "UID:standup@example.org",
    "SUMMARY:Stand-up",
    "DTSTART;TZID=Europe/Berlin:20240304T090000",
    "DTEND;TZID=Europe/Berlin:20240304T091500",
    "RRULE:FREQ=WEEKLY;COUNT=4",
    "EXDATE;TZID=Europe/Berlin:20240318T090000",
)
# The second week's stand-up is moved to 11:00 and renamed.
MOVED = (
    "UID:standup@example.org",
    "RECURRENCE-ID;TZID=Europe/Berlin:20240311T090000",
    "SUMMARY:Stand-up (moved)",
    "DTSTART;TZID=Europe/Berlin:20240311T110000",
    "DTEND;TZID=Europe/Berlin:20240311T111500",
)


@pytest.mark.django_db
def test_ics_import_expands_a_recurring_event_with_its_changed_occurrence(tmp_path):
    path = write(tmp_path, ics(WEEKLY, MOVED))

    first = ics_import(path=path, event_slug="conf")
    second = ics_import(path=path, event_slug="conf")

    # Four weeks, less the excluded third, the second one moved.
    assert talks_by_key() == {
        "ics:standup@example.org#20240304T080000Z": (
            "Stand-up",
            utc(2024, 3, 4, 8, 0),
            utc(2024, 3, 4, 8, 15),
        ),
        "ics:standup@example.org#20240311T080000Z": (
            "Stand-up (moved)",
            utc(2024, 3, 11, 10, 0),
            utc(2024, 3, 11, 10, 15),
        ),
        "ics:standup@example.org#20240325T080000Z": (
            "Stand-up",
            utc(2024, 3, 25, 8, 0),
            utc(2024, 3, 25, 8, 15),
        ),
    }
    assert first.warnings == [
        f'{path}:10: event "Stand-up" repeats: imported as 3 talks, one per occurrence '
        "(1 as changed by events of its UID), each keyed on its UID and RECURRENCE-ID"
    ]
    assert (second.talks_created, second.talks_updated, second.talks_unchanged) == (0, 0, 3)


def test_parse_ics_leaves_out_an_occurrence_changed_into_a_marker():
    marker = (
        "UID:standup@example.org",
        "RECURRENCE-ID;TZID=Europe/Berlin:20240311T090000",
        "SUMMARY:No stand-up",
        "DTSTART;TZID=Europe/Berlin:20240311T090000",
        "DTEND;TZID=Europe/Berlin:20240311T090000",
    )

    calendar = parse_ics(ics(WEEKLY, marker))

    assert [event.key for event in calendar.events] == [
        "standup@example.org#20240304T080000Z",
        "standup@example.org#20240325T080000Z",
    ]
    assert calendar.skipped == 1


@pytest.mark.django_db
def test_ics_import_expands_floating_times_with_a_duration_in_the_venue_zone(tmp_path):
    daily = (
        "UID:lunch",
        "SUMMARY:Lunch",
        "DTSTART:20240301T120000",
        "DURATION:PT1H",
        "RRULE:FREQ=DAILY;COUNT=2",
    )
    path = write(tmp_path, ics(daily))

    ics_import(path=path, event_slug="conf")

    assert talks_by_key() == {
        "ics:lunch#20240301T120000": ("Lunch", utc(2024, 3, 1, 11, 0), utc(2024, 3, 1, 12, 0)),
        "ics:lunch#20240302T120000": ("Lunch", utc(2024, 3, 2, 11, 0), utc(2024, 3, 2, 12, 0)),
    }


@pytest.mark.parametrize(
    ("rule", "max_talks", "message"),
    [
        pytest.param(
            "RRULE:FREQ=DAILY;COUNT=10",
            10,
            'event "Daily" repeats into more talks than the import takes (more than 9 '
            "occurrences; use --max-talks to raise it)",
            id="past-max-talks",
        ),
        pytest.param(
            "RRULE:FREQ=DAILY",
            20_000,
            'event "Daily" repeats without end (its RRULE has no COUNT or UNTIL), so it would '
            "make more talks than any import takes; give the rule a COUNT or an UNTIL",
            id="without-end",
        ),
    ],
)
@pytest.mark.django_db
def test_ics_import_refuses_a_recurrence_past_the_talks_it_takes(
    tmp_path, rule, max_talks, message
):
    daily = ("UID:daily", "SUMMARY:Daily", "DTSTART:20240301T090000Z", "DURATION:PT1H", rule)
    path = write(tmp_path, ics(talk("t1", "A talk"), daily))

    with pytest.raises(ImportFileError) as caught:
        ics_import(path=path, event_slug="conf", limits=ImportLimits(max_talks=max_talks))

    # The RRULE is on line 16.
    assert caught.value.messages() == [f"{path}:16: {message}"]
    assert (Event.objects.count(), Talk.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_ics_import_keys_occurrences_without_their_rule_on_their_recurrence_id(tmp_path):
    # An exporter that writes each occurrence with its RECURRENCE-ID, and no RRULE.
    day_one = ("RECURRENCE-ID:20240301T090000Z",)
    day_two = ("RECURRENCE-ID:20240302T090000Z",)
    path = write(
        tmp_path,
        ics(
            talk("ws", "Workshop", "20240301T090000Z", "20240301T120000Z", *day_one),
            talk("ws", "Workshop", "20240302T090000Z", "20240302T120000Z", *day_two),
        ),
    )

    first = ics_import(path=path, event_slug="conf")
    second = ics_import(path=path, event_slug="conf")

    assert list(talks_by_key()) == ["ics:ws#20240301T090000Z", "ics:ws#20240302T090000Z"]
    assert (first.talks_created, second.talks_created, second.talks_updated) == (2, 0, 0)


@pytest.mark.django_db
def test_ics_import_keys_a_repeated_uid_on_its_start_with_a_grouped_warning(tmp_path):
    path = write(
        tmp_path,
        ics(
            talk("same", "Day one", "20240301T090000Z", "20240301T100000Z"),
            talk("same", "Day two", "20240302T090000Z", "20240302T100000Z"),
            talk("same", "Day three", "20240303T090000Z", "20240303T100000Z"),
        ),
    )

    first = ics_import(path=path, event_slug="conf")
    second = ics_import(path=path, event_slug="conf")

    assert list(talks_by_key()) == [
        "ics:same#20240301T090000Z",
        "ics:same#20240302T090000Z",
        "ics:same#20240303T090000Z",
    ]
    each = [
        f'{path}:{line}: the UID "same" is also that of the event on line 5, and neither has '
        "a RECURRENCE-ID; each is keyed on its UID and start"
        for line in (11, 17)
    ]
    assert first.warnings_to_print(detail=True) == each
    assert first.warnings_to_print(detail=False) == [
        f"{path}:11: 2 events repeat the UID of another without a RECURRENCE-ID; each is keyed "
        "on its UID and start; -v 2 lists each"
    ]
    assert (second.talks_created, second.talks_updated, second.talks_unchanged) == (0, 0, 3)


# 4. pretalx: the speakers are in the titles

PRETALX = "-//pretalx//pretalx.example.org//conf-2024"


def pretalx_file():
    return ics(
        talk(
            "pretalx-conf-ABC@pretalx.example.org", "Rust in the kernel - Ada Lovelace, Alan Turing"
        ),
        talk(
            "pretalx-conf-DEF@pretalx.example.org",
            "Q&A - what now? - Grace Hopper",
            "20240301T100000Z",
            "20240301T110000Z",
        ),
        talk(
            "pretalx-conf-GHI@pretalx.example.org",
            "Lightning talks - ",
            "20240301T120000Z",
            "20240301T130000Z",
        ),
        prodid=PRETALX,
    )


def titles_and_speakers():
    return [
        (talk.title, [speaker.name for speaker in talk.speakers.all()])
        for talk in Talk.objects.order_by("start")
    ]


@pytest.mark.django_db
def test_ics_import_reads_a_pretalx_calendars_speakers_from_its_titles(tmp_path):
    path = write(tmp_path, pretalx_file())

    result = ics_import(path=path, event_slug="conf")

    assert titles_and_speakers() == [
        ("Rust in the kernel", ["Ada Lovelace", "Alan Turing"]),
        ("Q&A - what now?", ["Grace Hopper"]),
        ("Lightning talks", []),
    ]
    assert result.warnings == [
        f"{path}:3: a pretalx calendar without speaker properties: the speakers of 3 talks are "
        'read from their titles ("Title - A, B"); --no-speakers-from-titles keeps the titles whole'
    ]


@pytest.mark.django_db
def test_ics_import_keeps_pretalx_titles_whole_when_asked(tmp_path):
    path = write(tmp_path, pretalx_file())

    call_command("import_ics", str(path), "--event", "conf", "--no-speakers-from-titles")

    assert titles_and_speakers() == [
        ("Rust in the kernel - Ada Lovelace, Alan Turing", []),
        ("Q&A - what now? - Grace Hopper", []),
        ("Lightning talks -", []),
    ]
    assert Speaker.objects.count() == 0


@pytest.mark.parametrize(
    ("prodid", "extra"),
    [
        pytest.param("-//Tests//EN", (), id="not-pretalx"),
        pytest.param(PRETALX, ("ATTENDEE;CN=Ada Lovelace:mailto:ada@example.org",), id="attendee"),
    ],
)
@pytest.mark.django_db
def test_ics_import_reads_no_speakers_from_titles_of_other_calendars(tmp_path, prodid, extra):
    path = write(
        tmp_path,
        ics(
            talk("t1", "Rust - the talk", "20240301T090000Z", "20240301T094500Z", *extra),
            prodid=prodid,
        ),
    )

    result = ics_import(path=path, event_slug="conf")

    assert titles_and_speakers() == [("Rust - the talk", ["Ada Lovelace"] if extra else [])]
    assert result.warnings == []


# 5. Markers of no length among many talks: one line


@pytest.mark.django_db
def test_import_ics_command_prints_markers_of_no_length_as_one_line(tmp_path, capsys):
    talks = [
        talk(f"t{hour}", f"Talk {hour}", f"20240301T{hour:02}0000Z", f"20240301T{hour:02}4500Z")
        for hour in range(9, 13)
    ]
    markers = [
        ("UID:reg", "SUMMARY:Registration opens", "DTSTART:20240301T080000Z"),
        ("UID:doors", "SUMMARY:Doors close", "DTSTART:20240301T180000Z", "DURATION:PT0S"),
        (
            "UID:party",
            "SUMMARY:Party starts",
            "DTSTART:20240301T190000Z",
            "DTEND:20240301T190000Z",
        ),
    ]
    path = write(tmp_path, ics(*talks, *markers))

    call_command("import_ics", str(path), "--event", "conf")

    out, err = capsys.readouterr()
    # The first marker begins on line 29 and its DTSTART is on line 32.
    assert err.splitlines() == [
        f'{path}:32: 3 events last no time (markers such as "registration opens", the first '
        "on this line), so they are not talks; skipped; -v 2 lists each"
    ]
    assert "Talks: 4 created, 0 updated, 0 unchanged, 3 skipped." in out
    assert Talk.objects.count() == 4


@pytest.mark.django_db
def test_import_ics_command_still_fails_with_the_line_of_an_unreadable_event(tmp_path, capsys):
    path = write(tmp_path, ics(talk("t1", "A talk"), ("UID:x", "SUMMARY:No start")))

    with pytest.raises(CommandError):
        call_command("import_ics", str(path), "--event", "conf")

    assert capsys.readouterr().err.splitlines() == [f'{path}:11: event "No start" has no DTSTART']
    assert Event.objects.count() == 0
