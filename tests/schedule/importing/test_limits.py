"""Tests of the importers' limits (file size, talks, text length) and of how messages quote values.

Each limit is tried on all three importers (the 2012 agenda, frab XML, iCalendar)
through their commands: the file is refused with ``FILE:LINE``, exit status 1,
and nothing is written; the command's option raises the limit.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conference.models import Event
from schedule.importing.limits import ImportLimits, excerpt
from schedule.management.import_command import file_size
from schedule.models import Talk
from speakers.models import Speaker

IMPORTERS = ["agenda", "frab", "ics"]
ABSTRACT = "An abstract."


def agenda_text(titles, abstract, *, at_once=False):
    rows = ["# Small Conf", "## Location: Barcelona, Spain", "## Date: November 7-9, 2012", ""]
    for number, title in enumerate(titles):
        hour, speaker = (9, 0) if at_once else (9 + number, number)
        rows += [f"## {title}", f"### Name: Speaker {speaker}"]
        rows += [f"### Time: November 7, 2012 {hour}:00 - {hour}:30 CET", abstract, ""]
    return "\n".join(rows)


def frab_text(titles, abstract, biography="", *, at_once=False):
    biographies = "".join(
        f'<person id="{number}"><biography>{biography}</biography></person>'
        for number in range(len(titles))
        if biography
    )
    events = "".join(
        f"""
      <event guid="0b9a3c1e-5d2f-4a6b-8c7d-9e0f1a2b{number:04d}" id="{number}">
        <date>2025-03-01T{9 if at_once else 9 + number:02d}:00:00+01:00</date>
        <duration>00:30</duration>
        <title>{title}</title>
        <abstract>{abstract}</abstract>
        <persons><person id="{number}">Speaker {number}</person></persons>
      </event>"""
        for number, title in enumerate(titles)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference>
    <acronym>smallconf</acronym>
    <title>Small Conf</title>
    <start>2025-03-01</start>
    <end>2025-03-01</end>
    <time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
  <persons>{biographies}</persons>
  <day index="1" date="2025-03-01">
    <room name="Main Hall">{events}
    </room>
  </day>
</schedule>
"""


def ics_text(titles, abstract, *, at_once=False):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//EN", "X-WR-CALNAME:Small Conf"]
    for number, title in enumerate(titles):
        hour = 9 if at_once else 9 + number
        lines += [
            "BEGIN:VEVENT",
            f"UID:talk-{number}@example.org",
            f"DTSTART;TZID=Europe/Berlin:20250301T{hour:02d}0000",
            f"DTEND;TZID=Europe/Berlin:20250301T{hour:02d}3000",
            f"SUMMARY:{title}",
            "LOCATION:Main Hall",
            f"DESCRIPTION:{abstract}",
            f"ATTENDEE;CN=Speaker {number}:mailto:speaker{number}@example.org",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


TEXTS = {"agenda": agenda_text, "frab": frab_text, "ics": ics_text}
SUFFIXES = {"agenda": ".txt", "frab": ".schedule.xml", "ics": ".ics"}


def write_file(tmp_path, importer, *, titles=("Opening",), abstract=ABSTRACT, at_once=False):
    """A file of a talk per title, one an hour from 9:00, or ``at_once`` all at 9:00."""
    path = tmp_path / f"small{SUFFIXES[importer]}"
    path.write_text(TEXTS[importer](list(titles), abstract, at_once=at_once), encoding="utf-8")
    return path


def line_of(path, snippet, *, occurrence=1):
    """The number of the line holding the ``occurrence``-th ``snippet`` of the file."""
    found = 0
    with path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if snippet in line:
                found += 1
                if found == occurrence:
                    return number
    raise AssertionError(f"{snippet!r} is not in {path}")


def arguments(importer, path, *options):
    zone = ["--timezone", "Europe/Madrid"] if importer == "agenda" else []
    return [f"import_{importer}", str(path), "--event", "small", *zone, *options]


def run_import(importer, path, *options):
    """``(stdout, stderr)`` of a run of the importer's command that succeeds."""
    stdout, stderr = StringIO(), StringIO()
    call_command(*arguments(importer, path, *options), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def failed_import(importer, path, *options):
    """``(CommandError, stderr lines)`` of a run of the importer's command that must fail."""
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*arguments(importer, path, *options), stdout=stdout, stderr=stderr)
    return caught.value, stderr.getvalue().splitlines()


def counts():
    return Event.objects.count(), Talk.objects.count(), Speaker.objects.count()


# excerpt ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A short title", "A short title"),
        ("x" * 80, "x" * 80),  # a little over the excerpt: whole, cutting saves nothing
        ("x" * 81, f"{'x' * 60}…(81 characters)"),
        ("y" * 20_000_000, f"{'y' * 60}…(20,000,000 characters)"),
        (12345, "12345"),
    ],
    ids=["short", "80", "81", "20 MB", "not text"],
)
def test_excerpt_quotes_the_start_and_the_length_of_a_long_value(value, expected):
    assert excerpt(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("52428800", 52_428_800), ("50M", 52_428_800), ("100mb", 104_857_600), ("1G", 1024**3)],
)
def test_max_file_size_option_reads_bytes_and_units(text, expected):
    assert file_size(text) == expected


# File size -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS)
def test_import_refuses_a_file_larger_than_max_file_size_and_writes_nothing(tmp_path, importer):
    path = write_file(tmp_path, importer, abstract="A" * 2000)
    size = path.stat().st_size

    error, messages = failed_import(importer, path, "--max-file-size", "1K")

    assert error.returncode == 1
    assert messages == [
        f"{path}: the file is {size:,} bytes; at most 1,024 are allowed (use --max-file-size "
        "to raise it)"
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS)
def test_import_refuses_a_file_past_the_default_size_before_reading_it(tmp_path, importer):
    # Sparse: 51 MB on paper, nothing on disk; reading it would take its size in memory.
    path = tmp_path / f"huge{SUFFIXES[importer]}"
    with path.open("wb") as file:
        file.truncate(51 * 1024 * 1024)

    _, messages = failed_import(importer, path)

    assert messages == [
        f"{path}: the file is 53,477,376 bytes; at most 52,428,800 are allowed "
        "(use --max-file-size to raise it)"
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS)
def test_import_takes_a_larger_file_when_max_file_size_is_raised(tmp_path, importer):
    path = write_file(tmp_path, importer, abstract="A" * 2000)

    run_import(importer, path, "--max-file-size", "1M")

    assert list(Talk.objects.values_list("title", flat=True)) == ["Opening"]


# Number of talks -------------------------------------------------------------------------


TALK_STARTS = {"agenda": "## Closing", "frab": "<event ", "ics": "BEGIN:VEVENT"}


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS)
def test_import_refuses_more_talks_than_max_talks_at_the_first_too_many(tmp_path, importer):
    path = write_file(tmp_path, importer, titles=["Opening", "Keynote", "Closing"])
    third = line_of(path, TALK_STARTS[importer], occurrence=1 if importer == "agenda" else 3)

    error, messages = failed_import(importer, path, "--max-talks", "2")

    assert error.returncode == 1
    assert messages == [
        f"{path}:{third}: the file has more than 2 talks, the most allowed (use --max-talks "
        "to raise it)"
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS)
def test_import_takes_as_many_talks_as_max_talks(tmp_path, importer):
    path = write_file(tmp_path, importer, titles=["Opening", "Keynote", "Closing"])

    run_import(importer, path, "--max-talks", "3")

    assert sorted(Talk.objects.values_list("title", flat=True)) == ["Closing", "Keynote", "Opening"]


# Length of each field --------------------------------------------------------------------


ABSTRACT_STARTS = {"agenda": "BBBB", "frab": "<abstract>", "ics": "DESCRIPTION:"}


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS)
def test_import_refuses_an_abstract_longer_than_the_default_and_writes_nothing(tmp_path, importer):
    path = write_file(tmp_path, importer, abstract="B" * 50_001)
    label = 'talk "Opening"' if importer == "agenda" else "event"

    error, messages = failed_import(importer, path)

    assert error.returncode == 1
    assert len(messages) == 1
    line = line_of(path, ABSTRACT_STARTS[importer])
    assert messages[0].startswith(f"{path}:{line}: {label}")
    assert messages[0].endswith(
        ": abstract is 50,001 characters long; at most 50,000 are allowed "
        "(use --max-text-length to raise it)"
    )
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS)
def test_import_takes_a_longer_abstract_when_max_text_length_is_raised(tmp_path, importer):
    path = write_file(tmp_path, importer, abstract="B" * 50_001)

    run_import(importer, path, "--max-text-length", "60000")

    assert [len(abstract) for abstract in Talk.objects.values_list("abstract", flat=True)] == [
        50_001
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS)
def test_import_refuses_an_abstract_past_a_lowered_max_text_length(tmp_path, importer):
    path = write_file(tmp_path, importer, abstract="B" * 11)

    _, messages = failed_import(importer, path, "--max-text-length", "10")

    assert [message.split(": ")[-1] for message in messages] == [
        "abstract is 11 characters long; at most 10 are allowed (use --max-text-length to raise it)"
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_frab_import_refuses_a_speaker_biography_past_max_text_length(tmp_path):
    path = tmp_path / "bios.schedule.xml"
    path.write_text(frab_text(["Opening"], ABSTRACT, biography="C" * 50_001), encoding="utf-8")

    _, messages = failed_import("frab", path)

    assert messages == [
        f'{path}:{line_of(path, "<person id")}: speaker "Speaker 0": bio is 50,001 characters '
        "long; at most 50,000 are allowed (use --max-text-length to raise it)"
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_agenda_import_refuses_an_event_description_past_max_text_length(tmp_path):
    path = tmp_path / "agenda.txt"
    text = agenda_text(["Opening"], ABSTRACT).replace(
        "## Date: November 7-9, 2012\n", "## Date: November 7-9, 2012\n" + "D" * 50_001 + "\n"
    )
    path.write_text(text, encoding="utf-8")

    _, messages = failed_import("agenda", path)

    assert messages == [
        f"{path}:4: event small: description is 50,001 characters long; at most 50,000 are "
        "allowed (use --max-text-length to raise it)"
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS)
def test_import_quotes_a_one_megabyte_title_briefly(tmp_path, importer):
    title = "T" * 1_000_000
    path = write_file(tmp_path, importer, titles=[title])
    title_line = line_of(path, "TTTT")

    _, messages = failed_import(importer, path)

    assert f"{path}:{title_line}: " in messages[0]
    assert "…(1,000,000 characters)" in messages[0]
    assert "title is 1,000,000 characters long; at most 300 fit" in "\n".join(messages)
    assert max(len(message) for message in messages) < len(str(path)) + 250
    assert counts() == (0, 0, 0)


# Clashes --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("importer", IMPORTERS)
def test_import_lists_the_first_hundred_clashes_and_says_there_are_more(tmp_path, importer):
    # 102 talks at once in one room with one speaker (agenda talks have no room): 5,151
    # pairs, each a clash; listing them all took time and memory of the square of the talks.
    path = write_file(tmp_path, importer, titles=[f"Talk {n}" for n in range(102)], at_once=True)

    _, stderr = run_import(importer, path)

    warnings = stderr.splitlines()
    assert len([warning for warning in warnings if ": clash: " in warning]) == 100
    assert warnings[-1] == (
        f"{path}: more clashes than the 100 above; manage.py check_schedule --event small "
        "lists them all"
    )
    assert Talk.objects.count() == 102


def test_import_limits_default_to_the_documented_values():
    assert ImportLimits() == ImportLimits(
        max_file_size=50 * 1024 * 1024, max_talks=20_000, max_text_length=50_000
    )
