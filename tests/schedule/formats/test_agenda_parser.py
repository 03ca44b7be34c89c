"""Tests of the agenda parser: every quirk of the 2012 export, on small inline samples."""

import datetime
import re
from pathlib import Path

import pytest

import schedule
from schedule.formats.agenda.parser import (
    AgendaSpeaker,
    parse_agenda,
    parse_date_range,
    parse_speaker,
    parse_time_line,
)
from schedule.importing.errors import ImportFileError
from schedule.importing.names import tidy_text

# Four lines, so the first talk's "## Title" is always line 5.
HEADER = (
    "# KVM Forum + oVirt Workshop",
    "## Location: Barcelona, Spain",
    "## Date: November 7-9, 2012",
    "",
)
KEYNOTE_URL = (
    "http://kvmforumovirtworkshop2012.sched.org/event/5e4a333ab0aa0fee99d32c95fe7b8c68"
    "?iframe=yes&w=750&sidebar=yes&bg=no"
)
KEYNOTE = (
    "## Keynote Address",
    "### Name: Avi Kivity",
    "### Time: November 7, 2012 9:00 - 9:15 CEST",
    "",
    f"For more information, including speaker bio, visit {KEYNOTE_URL}",
    "",
    "",
)


def text_of(*rows):
    return "\n".join(rows)


def talk_rows(title="A Talk", *, name="Avi Kivity", time="November 7, 2012 9:00 - 9:15 CEST"):
    return (f"## {title}", f"### Name: {name}", f"### Time: {time}", "", "An abstract.", "")


def only_talk(*rows):
    agenda = parse_agenda(text_of(*HEADER, *rows), source="agenda.txt")
    assert len(agenda.talks) == 1
    return agenda.talks[0]


def errors_of(text):
    with pytest.raises(ImportFileError) as caught:
        parse_agenda(text, source="agenda.txt")
    return caught.value.messages()


def test_parse_agenda_reads_the_event_header():
    text = text_of(
        *HEADER[:3],
        "",
        "",
        "",
        "KVM is an industry leading open source hypervisor.  ",
        "",
        "",
        "We are excited to announce the oVirt Workshop.",
        "",
        *KEYNOTE,
    )

    agenda = parse_agenda(text, source="agenda.txt")

    assert agenda.name == "KVM Forum + oVirt Workshop"
    assert agenda.location == "Barcelona, Spain"
    assert (agenda.start_date, agenda.end_date) == (
        datetime.date(2012, 11, 7),
        datetime.date(2012, 11, 9),
    )
    assert agenda.description == (
        "KVM is an industry leading open source hypervisor.\n"
        "\n"
        "We are excited to announce the oVirt Workshop."
    )
    assert [talk.title for talk in agenda.talks] == ["Keynote Address"]
    assert agenda.field_lines == {
        "name": 1,
        "location": 2,
        "start_date": 3,
        "end_date": 3,
        "description": 7,
    }


def test_parse_agenda_reads_a_keynote_without_abstract():
    talk = only_talk(*KEYNOTE)

    assert talk.title == "Keynote Address"
    assert talk.line == 5
    assert talk.time_line == 7
    assert talk.speakers == (AgendaSpeaker("Avi Kivity", ""),)
    assert talk.date == datetime.date(2012, 11, 7)
    assert (talk.start_time, talk.end_time) == (datetime.time(9, 0), datetime.time(9, 15))
    assert talk.zone_abbreviation == "CEST"
    assert talk.abstract == ""
    assert talk.source_url == KEYNOTE_URL
    assert talk.external_id == "5e4a333ab0aa0fee99d32c95fe7b8c68"
    assert talk.kind == "keynote"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Avi Kivity", ("Avi Kivity", "")),
        ("- Itamar Heim", ("Itamar Heim", "")),
        ("Alex Williamson, Red Hat", ("Alex Williamson", "Red Hat")),
        ("Alex Williamson, Red Hat, Inc.", ("Alex Williamson", "Red Hat, Inc.")),
        ("  Rik   van \t Riel  ", ("Rik van Riel", "")),
        ("*Jeff Cody*", ("Jeff Cody", "")),
        ("Jason Wang;", ("Jason Wang", "")),
        ("Kevin Wolf,", ("Kevin Wolf", "")),
        ("Michael S. Tsirkin", ("Michael S. Tsirkin", "")),
        ("Andreas Färber ,  SUSE ;", ("Andreas Färber", "SUSE")),
        ("- ", ("", "")),
        (", Red Hat", ("Red Hat", "")),
    ],
)
def test_parse_speaker_cleans_the_name(value, expected):
    speaker = parse_speaker(value)

    assert (speaker.name, speaker.affiliation) == expected


def test_parse_agenda_cleans_speaker_names_of_the_export():
    itamar = only_talk(*talk_rows(name="- Itamar Heim"))
    alex = only_talk(*talk_rows(name="Alex Williamson, Red Hat"))

    assert itamar.speakers == (AgendaSpeaker("Itamar Heim", ""),)
    assert alex.speakers == (AgendaSpeaker("Alex Williamson", "Red Hat"),)


def test_parse_agenda_keeps_the_same_person_in_several_talks():
    text = text_of(*HEADER, *talk_rows("Keynote Address"), *talk_rows("Revamping the Memory API"))

    agenda = parse_agenda(text, source="agenda.txt")

    assert [talk.speakers for talk in agenda.talks] == [
        (AgendaSpeaker("Avi Kivity", ""),),
        (AgendaSpeaker("Avi Kivity", ""),),
    ]


def test_parse_agenda_keeps_several_speakers_in_order():
    talk = only_talk(
        "## Memory Management",
        "### Name: Rik van Riel",
        "### Name: Andrea Arcangeli, Red Hat",
        "### Time: November 8, 2012 10:30 - 11:15 CEST",
    )

    assert talk.speakers == (
        AgendaSpeaker("Rik van Riel", ""),
        AgendaSpeaker("Andrea Arcangeli", "Red Hat"),
    )
    assert [speaker.line for speaker in talk.speakers] == [6, 7]


def test_parse_agenda_allows_a_talk_without_speakers():
    talk = only_talk("## Lunch", "### Time: November 7, 2012 12:00 - 13:00 CEST")

    assert talk.speakers == ()
    assert talk.kind == "talk"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("November 7, 2012 9:00 - 9:15 CEST", ((2012, 11, 7), (9, 0), (9, 15), "CEST")),
        ("November 8, 2012 13:00 - 13:45  CEST", ((2012, 11, 8), (13, 0), (13, 45), "CEST")),
        ("November 8, 2012 13:00-13:45CEST", ((2012, 11, 8), (13, 0), (13, 45), "CEST")),
        ("November 8, 2012 13:00 -13:45 CET", ((2012, 11, 8), (13, 0), (13, 45), "CET")),
        ("November 8, 2012   13:00   –   13:45", ((2012, 11, 8), (13, 0), (13, 45), "")),
        ("November 8, 2012 13:00 - 13:45", ((2012, 11, 8), (13, 0), (13, 45), "")),
        ("Nov 8 2012 9:00 - 9:30 utc", ((2012, 11, 8), (9, 0), (9, 30), "utc")),
        ("  March 25, 2012 0:00 - 23:59 CET ", ((2012, 3, 25), (0, 0), (23, 59), "CET")),
    ],
)
def test_parse_time_line_reads_the_variants(value, expected):
    (year, month, day), start, end, zone = expected

    assert parse_time_line(value) == (
        datetime.date(year, month, day),
        datetime.time(*start),
        datetime.time(*end),
        zone,
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "November 7, 2012 9am - 10am",
            'cannot read the time "November 7, 2012 9am - 10am": '
            "expected 'Month D, YYYY H:MM - H:MM ZONE'",
        ),
        (
            "9:00 - 9:15 CEST",
            "cannot read the time \"9:00 - 9:15 CEST\": expected 'Month D, YYYY H:MM - H:MM ZONE'",
        ),
        ("Novembr 7, 2012 9:00 - 9:15 CEST", 'unknown month "Novembr"'),
        ("February 30, 2012 9:00 - 9:15 CET", "no such date: February 30, 2012"),
        ("November 7, 2012 9:15 - 9:00 CET", "the end 9:00 is not after the start 9:15"),
        ("November 7, 2012 9:15 - 9:15 CET", "the end 9:15 is not after the start 9:15"),
        ("November 7, 2012 24:00 - 24:30 CET", "no such time: 24:00"),
        ("November 7, 2012 9:00 - 9:75 CET", "no such time: 9:75"),
    ],
)
def test_parse_time_line_rejects_bad_lines(value, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_time_line(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("November 7-9, 2012", ((2012, 11, 7), (2012, 11, 9))),
        ("November 7 - 9, 2012", ((2012, 11, 7), (2012, 11, 9))),
        ("November 30 - December 2, 2012", ((2012, 11, 30), (2012, 12, 2))),
        ("November 30-December 2 2012", ((2012, 11, 30), (2012, 12, 2))),
        ("November 7, 2012", ((2012, 11, 7), (2012, 11, 7))),
        ("Nov 7–9, 2012", ((2012, 11, 7), (2012, 11, 9))),
        ("february 29, 2012", ((2012, 2, 29), (2012, 2, 29))),
    ],
)
def test_parse_date_range_reads_the_variants(value, expected):
    start, end = expected

    assert parse_date_range(value) == (datetime.date(*start), datetime.date(*end))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "7-9 November 2012",
            "cannot read the date \"7-9 November 2012\": expected 'Month D-D, YYYY', "
            "'Month D - Month D, YYYY' or 'Month D, YYYY'",
        ),
        ("Smarch 7-9, 2012", 'unknown month "Smarch"'),
        ("November 30 - Decembr 2, 2012", 'unknown month "Decembr"'),
        ("February 28-30, 2012", "no such date: February 30, 2012"),
        ("February 29, 2013", "no such date: February 29, 2013"),
        ("November 9-7, 2012", 'the dates "November 9-7, 2012" end before they start'),
    ],
)
def test_parse_date_range_rejects_bad_lines(value, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_date_range(value)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Keynote Address", "keynote"),
        ("Opening KEYNOTE", "keynote"),
        ("Key-note: the Next Ten Years", "keynote"),
        ("Keyboard Handling in QEMU", "talk"),
        ("Monkey Notes", "talk"),
    ],
)
def test_parse_agenda_tells_keynotes_by_title(title, kind):
    assert only_talk(*talk_rows(title)).kind == kind


def test_parse_agenda_keeps_abstract_paragraphs_and_nested_lists():
    talk = only_talk(
        "## Virtio-blk Performance Improvement",
        "### Name: Asias He",
        "### Time: November 8, 2012 16:00 - 16:30 CEST",
        "",
        "What we did:   ",
        "",
        "",
        "",
        "<ol>",
        "<li>A very short overview</li>",
        "<ul>",
        "  <li>IDE, AHCI, virtio-blk </li>  ",
        "</ul>",
        "<li>Future work</li>",
        "<ul>",
        "<li>multiqueue virtio-blk</li>",
        "</ul>",
        "</ol>",
        "",
        "For more information, including speaker bio, visit http://example.org/event/1",
    )

    assert talk.abstract == (
        "What we did:\n"
        "\n"
        "<ol>\n"
        "<li>A very short overview</li>\n"
        "<ul>\n"
        "  <li>IDE, AHCI, virtio-blk </li>\n"
        "</ul>\n"
        "<li>Future work</li>\n"
        "<ul>\n"
        "<li>multiqueue virtio-blk</li>\n"
        "</ul>\n"
        "</ol>"
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["", "", "a  ", "", "", "b", "", ""], "a\n\nb"),
        (["a", "b"], "a\nb"),
        (["  indented", "\t"], "  indented"),
        ([], ""),
        (["", " "], ""),
    ],
)
def test_tidy_text_strips_trailing_space_and_collapses_blank_runs(lines, expected):
    assert tidy_text(lines) == expected


def test_parse_agenda_allows_a_talk_without_more_information_line():
    talk = only_talk(*talk_rows())

    assert (talk.source_url, talk.external_id) == ("", "")
    assert talk.abstract == "An abstract."


@pytest.mark.parametrize(
    "line",
    [
        "For more information, including speaker bio, visit URL",
        "For more information, including spoeaker bio, visit URL",
        "for more info visit   URL   ",
        "For more informations, incl. bio, VISIT URL",
    ],
)
def test_parse_agenda_finds_the_url_however_the_line_is_spelt(line):
    url = "http://x.sched.org/event/12F385AE28F7977B4613517D4CE646F3?iframe=no#.UIlwj1uXd_s"

    talk = only_talk(*talk_rows(), line.replace("URL", url))

    assert talk.source_url == url
    assert talk.external_id == "12f385ae28f7977b4613517d4ce646f3"
    assert talk.abstract == "An abstract."


@pytest.mark.parametrize(
    "url",
    [
        "http://x.sched.org/overview",
        "http://x.sched.org/event/12f385ae",
        "http://x.sched.org/event/12f385ae28f7977b4613517d4ce646f3ff",
        "http://x.sched.org/speaker/12f385ae28f7977b4613517d4ce646f3",
    ],
)
def test_parse_agenda_gives_no_external_id_without_a_hex_event_id(url):
    talk = only_talk(*talk_rows(), f"For more information visit {url}")

    assert talk.source_url == url
    assert talk.external_id == ""


def test_parse_agenda_reads_a_last_line_without_newline():
    text = text_of(*HEADER, *KEYNOTE[:5])

    agenda = parse_agenda(text, source="agenda.txt")

    assert not text.endswith("\n")
    assert agenda.talks[0].source_url == KEYNOTE_URL


def test_parse_agenda_reads_windows_line_endings_and_a_byte_order_mark():
    text = "\ufeff" + "\r\n".join((*HEADER, *KEYNOTE))

    agenda = parse_agenda(text, source="agenda.txt")

    assert agenda.name == "KVM Forum + oVirt Workshop"
    assert agenda.talks[0].source_url == KEYNOTE_URL
    assert agenda.talks[0].time_line == 7


# Each sample's rows are numbered from 1; the expected line is the row named.
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            ("## Location: Barcelona, Spain", "## Date: November 7-9, 2012", *KEYNOTE),
            ['agenda.txt:1: expected the event\'s name as "# Name" on the first line'],
            id="no title line",
        ),
        pytest.param(
            ("", "# KVM Forum", "## Date: November 7-9, 2012", *KEYNOTE),
            ['agenda.txt:1: expected the event\'s name as "# Name" on the first line'],
            id="title not on the first line",
        ),
        pytest.param(
            ("#   ", *HEADER[1:], *KEYNOTE),
            ['agenda.txt:1: the event has no name: expected "# Name" on the first line'],
            id="empty title",
        ),
        pytest.param(
            (HEADER[0], HEADER[1], "## Date: 7-9 November 2012", "", *KEYNOTE),
            [
                'agenda.txt:3: cannot read the date "7-9 November 2012": expected '
                "'Month D-D, YYYY', 'Month D - Month D, YYYY' or 'Month D, YYYY'"
            ],
            id="unparsable date",
        ),
        pytest.param(
            (HEADER[0], HEADER[1], "## Date: Noviembre 7-9, 2012", "", *KEYNOTE),
            ['agenda.txt:3: unknown month "Noviembre"'],
            id="date with unknown month",
        ),
        pytest.param(
            (HEADER[0], HEADER[1], "", "", *KEYNOTE),
            [
                'agenda.txt:5: no "## Date:" line before the first talk: expected '
                "'Month D-D, YYYY', 'Month D - Month D, YYYY' or 'Month D, YYYY'"
            ],
            id="no date line",
        ),
        pytest.param(
            (*HEADER[:3], "## Date: November 8, 2012", *KEYNOTE),
            ['agenda.txt:4: a second "## Date:" line (the first is on line 3)'],
            id="second date line",
        ),
        pytest.param(
            (*HEADER[:3], "### Name: Avi Kivity", *KEYNOTE),
            ['agenda.txt:4: "### Name: Avi Kivity" before the first talk'],
            id="field before the first talk",
        ),
        pytest.param(
            (*HEADER, "## ", *KEYNOTE[1:]),
            ['agenda.txt:5: a talk heading without a title: expected "## Talk title"'],
            id="talk without title",
        ),
        pytest.param(
            (*HEADER, "##", "### Name: Avi Kivity", "### Time: November 7 2012"),
            [
                'agenda.txt:5: a talk heading without a title: expected "## Talk title"',
                'agenda.txt:7: cannot read the time "November 7 2012": '
                "expected 'Month D, YYYY H:MM - H:MM ZONE'",
            ],
            id="untitled talk's fields still checked",
        ),
        pytest.param(
            (*HEADER, "## Keynote Address", "### Name: Avi Kivity", "", "Welcome."),
            [
                'agenda.txt:5: talk "Keynote Address" has no '
                '"### Time: Month D, YYYY H:MM - H:MM ZONE" line'
            ],
            id="talk without time",
        ),
        pytest.param(
            (*HEADER, *KEYNOTE[:2], "### Time: November 7, 2012 10:00 - 11:00", *KEYNOTE[2:]),
            [
                'agenda.txt:8: talk "Keynote Address" has a second "### Time:" line '
                "(the first is on line 7)"
            ],
            id="second time line",
        ),
        pytest.param(
            (*HEADER, *talk_rows(time="November 7, 2012 at 9:00 CEST")),
            [
                'agenda.txt:7: cannot read the time "November 7, 2012 at 9:00 CEST": '
                "expected 'Month D, YYYY H:MM - H:MM ZONE'"
            ],
            id="unparsable time",
        ),
        pytest.param(
            (*HEADER, *talk_rows(time="November 7, 2012 10:00 - 9:00 CET")),
            ["agenda.txt:7: the end 9:00 is not after the start 10:00"],
            id="end before start",
        ),
        pytest.param(
            (*HEADER, *talk_rows(time="Novembre 7, 2012 9:00 - 10:00 CET")),
            ['agenda.txt:7: unknown month "Novembre"'],
            id="time with unknown month",
        ),
        pytest.param(
            (*HEADER, *talk_rows(time="February 30, 2012 9:00 - 10:00 CET")),
            ["agenda.txt:7: no such date: February 30, 2012"],
            id="impossible date",
        ),
        pytest.param(
            (*HEADER, *talk_rows(name="")),
            ['agenda.txt:6: "### Name:" without a name in talk "A Talk"'],
            id="empty name",
        ),
        pytest.param(
            (*HEADER, *talk_rows(name=" - ")),
            ['agenda.txt:6: "### Name:" without a name in talk "A Talk"'],
            id="name of punctuation only",
        ),
        pytest.param(
            (*HEADER, "## A Talk", "### Name: Avi Kivity", "### Name: avi  kivity, Red Hat"),
            [
                'agenda.txt:5: talk "A Talk" has no '
                '"### Time: Month D, YYYY H:MM - H:MM ZONE" line',
                'agenda.txt:7: talk "A Talk" lists "avi kivity" twice',
            ],
            id="speaker twice",
        ),
        pytest.param(
            (*HEADER, *talk_rows(), "### Room: Auditorium"),
            ['agenda.txt:11: unknown field "### Room:": expected "### Name:" or "### Time:"'],
            id="unknown field",
        ),
        pytest.param(
            (*HEADER, *talk_rows(), "### no colon here"),
            [
                'agenda.txt:11: cannot read "### no colon here": expected "### Name: …" '
                'or "### Time: …"'
            ],
            id="field without colon",
        ),
        pytest.param(
            (*HEADER, *KEYNOTE, *talk_rows("Repeat"), KEYNOTE[4]),
            [
                'agenda.txt:18: talk "Repeat": external id 5e4a333ab0aa0fee99d32c95fe7b8c68 '
                'is already used by talk "Keynote Address" on line 5'
            ],
            id="duplicate external id",
        ),
        pytest.param(
            (*HEADER, *KEYNOTE, KEYNOTE[4]),
            [
                'agenda.txt:12: talk "Keynote Address" has a second "For more information" line '
                "(the first is on line 9)"
            ],
            id="second more information line",
        ),
        pytest.param(
            (*HEADER, *talk_rows(), f"For more info visit http://x.org/{'a' * 488}"),
            ["agenda.txt:11: the URL is 501 characters long; at most 500 fit"],
            id="url too long",
        ),
    ],
)
def test_parse_agenda_reports_errors_with_their_line(rows, expected):
    assert errors_of(text_of(*rows)) == expected


def test_parse_agenda_reports_every_error_in_file_order():
    text = text_of(
        *HEADER,
        *talk_rows("First", time="November 7, 2012 9:00 - 8:00 CET"),
        *talk_rows("Second", name=""),
        "## Third",
        "### Name: Avi Kivity",
    )

    messages = errors_of(text)

    assert messages == [
        "agenda.txt:7: the end 8:00 is not after the start 9:00",
        'agenda.txt:12: "### Name:" without a name in talk "Second"',
        'agenda.txt:17: talk "Third" has no "### Time: Month D, YYYY H:MM - H:MM ZONE" line',
    ]


def test_agenda_error_formats_one_problem_a_line():
    error = ImportFileError([(9, "second"), (None, "whole file"), (2, "first")], "a.txt")

    assert str(error) == "a.txt: whole file\na.txt:2: first\na.txt:9: second"
    assert error.errors == [(None, "whole file"), (2, "first"), (9, "second")]


def test_parse_agenda_reads_the_project_copy_of_the_2012_agenda():
    path = Path(schedule.__file__).parent / "data" / "kvm-forum-2012-agenda.txt"

    agenda = parse_agenda(path.read_text(encoding="utf-8"), source=str(path))

    assert len(agenda.talks) == 34
    assert len({speaker.name for talk in agenda.talks for speaker in talk.speakers}) == 30
    assert {talk.zone_abbreviation for talk in agenda.talks} == {"CEST"}
    assert sum(talk.kind == "keynote" for talk in agenda.talks) == 1
    assert all(len(talk.external_id) == 32 for talk in agenda.talks)
