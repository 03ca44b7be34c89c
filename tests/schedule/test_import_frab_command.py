"""Tests of ``manage.py import_frab``: what it prints, and how it fails."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conference.models import Event
from schedule.models import Talk

DATA = Path(__file__).parents[1] / "data" / "frab"
HUB_39C3 = DATA / "39c3-hub-20251206.schedule.xml"
BROKEN = DATA / "broken.schedule.xml"
SUMMARY_CREATED = (
    "Event 39c3 (Europe/Berlin): created. Rooms: 14 created, 0 updated, 0 unchanged. "
    "Tracks: 7 created, 0 updated, 0 unchanged. Talks: 215 created, 0 updated, 0 unchanged. "
    "Speakers: 263 created, 0 updated, 0 unchanged."
)
SUMMARY_UNCHANGED = (
    "Event 39c3 (Europe/Berlin): unchanged. Rooms: 0 created, 0 updated, 14 unchanged. "
    "Tracks: 0 created, 0 updated, 7 unchanged. Talks: 0 created, 0 updated, 215 unchanged. "
    "Speakers: 0 created, 0 updated, 263 unchanged."
)
# The hub's file has no warning; its schedule has six clashes, which are reported.
IMPORTED = (
    "Imported 215 talks, 14 rooms, 7 tracks, 263 speakers into 39c3 with no warnings "
    "and 6 clashes in the schedule (see above)."
)
# What a first import (not a dry run) adds to it: attendees see it as release “1”.
RELEASED = " Released as “1”."
BROKEN_MESSAGES = [
    f'{BROKEN}:16: event 1 "Duration in words": duration "half an hour": expected HH:MM or '
    "HH:MM:SS",
    f'{BROKEN}:25: event 2 "Zero duration": the duration is zero',
    f"{BROKEN}:35: event 3: no <title>",
    f'{BROKEN}:38: event 4 "Second use of a guid": guid 11111111-1111-4111-8111-111111111111 '
    'is already used by event 1 "Duration in words" on line 13',
    f'{BROKEN}:47: event 5 "Date in words": <date>: "the first of March" is not a date and '
    "time: expected one such as 2024-12-27T10:30:00+01:00",
]


def failure(*args):
    """``(CommandError, stdout, stderr)`` of a run of ``import_frab`` that must fail."""
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_frab", *args, stdout=stdout, stderr=stderr)
    return caught.value, stdout.getvalue(), stderr.getvalue()


@pytest.mark.django_db
def test_import_frab_prints_the_summary_and_the_clashes(run_command):
    stdout, stderr = run_command("import_frab", str(HUB_39C3), "--event", "39c3")

    assert stdout == f"{SUMMARY_CREATED}\n{IMPORTED}{RELEASED}\n"
    warnings = stderr.splitlines()
    assert len(warnings) == 6
    assert warnings[0] == (
        f'{HUB_39C3}:4101: clash: ghenny (She / Her) speaks in “GuteN8Geschichte "Das NEINhorn '
        'und die Schlangeweile" - Tag 2” while speaking in “Dungeons & Dragons (D&D) - Intro '
        "für Junghackerinnen (12 bis 18 Jahre)” (Sun 28 Dec 19:00–20:00)."
    )
    assert Talk.objects.filter(event__slug="39c3").count() == 215


@pytest.mark.django_db
def test_import_frab_says_nothing_changed_on_a_second_run(run_command):
    run_command("import_frab", str(HUB_39C3), "--event", "39c3")

    stdout, _ = run_command("import_frab", str(HUB_39C3), "--event", "39c3")

    assert stdout == (
        f"{SUMMARY_UNCHANGED}\nNothing changed: 39c3 already had the file's 215 talks, 14 rooms, "
        "7 tracks, 263 speakers; no warnings and 6 clashes in the schedule (see above). "
        "No new release: attendees already see this schedule.\n"
    )


@pytest.mark.django_db
def test_import_frab_dry_run_says_so_and_writes_nothing(run_command):
    stdout, _ = run_command("import_frab", str(HUB_39C3), "--event", "39c3", "--dry-run")

    assert stdout == (
        f"Dry run: nothing was written.\n{SUMMARY_CREATED}\n"
        f"Dry run: would import{IMPORTED.removeprefix('Imported')}\n"
    )
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_import_frab_is_silent_at_verbosity_zero(run_command):
    stdout, stderr = run_command("import_frab", str(HUB_39C3), "--event", "39c3", "-v", "0")

    assert (stdout, stderr) == ("", "")
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_import_frab_reports_each_problem_and_fails():
    error, stdout, stderr = failure(str(BROKEN), "--event", "broken")

    assert error.returncode == 1
    assert str(error) == f"{BROKEN}: 5 problems; nothing was imported."
    assert stderr.splitlines() == BROKEN_MESSAGES
    assert stdout == ""
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_import_frab_refuses_the_billion_laughs():
    path = DATA / "billion-laughs.xml"

    error, _, stderr = failure(str(path), "--event", "laughs")

    assert (error.returncode, str(error)) == (1, f"{path}: 1 problem; nothing was imported.")
    assert stderr == (
        f'{path}:3: the file declares the XML entity "lol"; files with entity declarations are '
        'refused, since entities can expand without limit (a "billion laughs" file)\n'
    )


@pytest.mark.django_db
def test_import_frab_names_a_missing_file(tmp_path):
    missing = tmp_path / "missing.xml"

    error, _, _ = failure(str(missing), "--event", "missing")

    assert error.returncode == 1
    assert str(error) == f"cannot read {missing}: No such file or directory"


@pytest.mark.django_db
def test_import_frab_names_a_directory(tmp_path):
    error, _, _ = failure(str(tmp_path), "--event", "folder")

    assert error.returncode == 1
    assert str(error) == f"cannot read {tmp_path}: Is a directory"


@pytest.mark.django_db
def test_import_frab_refuses_a_reserved_event_slug():
    error, _, stderr = failure(str(HUB_39C3), "--event", "admin")

    assert error.returncode == 1
    assert stderr == (
        f"{HUB_39C3}: event admin: slug: “admin” is taken by the site's own pages; choose "
        "another slug.\n"
    )
    assert Event.objects.count() == 0


def test_import_frab_requires_the_event(run_command):
    with pytest.raises(CommandError) as caught:
        run_command("import_frab", str(HUB_39C3))

    assert str(caught.value) == "Error: the following arguments are required: --event"


def test_import_frab_exits_with_status_1_and_no_traceback(manage):
    """The real ``manage.py``, as an organiser runs it, on a fresh database."""
    migrate = manage("migrate", "-v", "0")
    broken = manage("import_frab", str(BROKEN), "--event", "broken")
    laughs = manage("import_frab", str(DATA / "billion-laughs.xml"), "--event", "laughs")

    assert migrate.returncode == 0, migrate.stderr
    assert (broken.returncode, broken.stdout) == (1, "")
    assert "Traceback" not in broken.stderr
    assert broken.stderr.splitlines() == [
        *BROKEN_MESSAGES,
        f"CommandError: {BROKEN}: 5 problems; nothing was imported.",
    ]
    assert (laughs.returncode, laughs.stdout) == (1, "")
    assert "Traceback" not in laughs.stderr
    assert laughs.stderr.splitlines()[-1] == (
        f"CommandError: {DATA / 'billion-laughs.xml'}: 1 problem; nothing was imported."
    )


def small_frab(tmp_path, *, time_zone_name="<time_zone_name>Europe/Berlin</time_zone_name>"):
    """One talk of one person with an id; without a zone name (line 3), a warning."""
    rows = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<schedule><conference><acronym>small</acronym><title>Small Conf</title>",
        f"<start>2025-03-01</start><end>2025-03-01</end>{time_zone_name}",
        '</conference><day index="1" date="2025-03-01"><room name="Main Hall">',
        '<event guid="0b9a3c1e-5d2f-4a6b-8c7d-9e0f1a2b3c4d" id="42">',
        "<date>2025-03-01T10:00:00+01:00</date><start>10:00</start><duration>00:30</duration>",
        '<room>Main Hall</room><title>A talk</title><persons><person id="7">Grace Hopper</person>',
        "</persons></event></room></day></schedule>",
    ]
    path = tmp_path / "schedule.xml"
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["import", "dry-run"])
def test_import_frab_strict_refuses_a_file_with_a_warning(tmp_path, database_rows, dry_run):
    path = small_frab(tmp_path, time_zone_name="")
    before = database_rows()

    error, stdout, stderr = failure(str(path), "--event", "small", "--strict", *dry_run)

    assert (error.returncode, str(error)) == (
        1,
        f"{path}: 2 warnings refused by --strict; nothing was imported. Run without --strict "
        "to import the file with them.",
    )
    assert stderr.splitlines() == [
        f"{path}:2: no <time_zone_name>: using Etc/GMT-1, the offset of every <date>; set the "
        "event's zone to the venue's own for pages in summer and winter time",
        f"{path}:2: Etc/GMT-1 is a fixed offset with no summer time; name the venue's zone, "
        "e.g. Europe/Berlin, with --timezone (a zone of a place keeps pages right in summer and "
        "winter)",
    ]
    assert stdout == ""
    assert database_rows() == before


@pytest.mark.django_db
def test_import_frab_strict_imports_a_file_without_warnings(tmp_path, run_command):
    path = small_frab(tmp_path)

    stdout, stderr = run_command("import_frab", str(path), "--event", "small", "--strict")

    assert stdout.splitlines()[-1] == (
        "Imported 1 talk, 1 room, 1 speaker into small with no warnings. Released as “1”."
    )
    assert stderr == ""
    assert Talk.objects.get().title == "A talk"


@pytest.mark.django_db
def test_import_frab_strict_imports_a_file_whose_schedule_clashes(run_command):
    # The hub's file has no warning: its six clashes are the schedule's, reported, not refused.
    stdout, stderr = run_command("import_frab", str(HUB_39C3), "--event", "39c3", "--strict")

    assert stdout.splitlines()[-1] == IMPORTED + RELEASED
    assert len(stderr.splitlines()) == 6
    assert Talk.objects.filter(event__slug="39c3").count() == 215


PENTABARF = """<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference>
    <acronym>pentaconf</acronym>
    <title>Penta Conf</title>
    <start>2025-02-01</start>
    <end>2025-02-01</end>
  </conference>
  <day index="1" date="2025-02-01">
    <room name="Janson">
      <event id="1">
        <start>09:30</start>
        <duration>00:25</duration>
        <room>Janson</room>
        <title>Welcome</title>
      </event>
    </room>
  </day>
</schedule>
"""


@pytest.mark.django_db
def test_import_frab_refusal_without_zone_names_the_timezone_option(tmp_path):
    path = tmp_path / "pentabarf.xml"
    path.write_text(PENTABARF, encoding="utf-8")

    error, _, stderr = failure(str(path), "--event", "penta")

    assert str(error) == (
        f"{path}: 1 problem; nothing was imported. Run again with --timezone to let it through."
    )
    assert stderr == (
        f"{path}:3: no time zone: no <time_zone_name>, and no <date> with an offset; add "
        "<time_zone_name> with the venue's IANA zone to the file, or pass --timezone ZONE, "
        "e.g. Europe/Berlin\n"
    )


@pytest.mark.django_db
def test_import_frab_reads_a_file_without_zone_in_the_timezone_given(tmp_path, run_command):
    path = tmp_path / "pentabarf.xml"
    path.write_text(PENTABARF, encoding="utf-8")

    stdout, _ = run_command(
        "import_frab", str(path), "--event", "penta", "--timezone", "Europe/Brussels"
    )

    assert stdout.startswith("Event penta (Europe/Brussels): created.")
    talk = Talk.objects.get(event__slug="penta")
    assert talk.start.isoformat() == "2025-02-01T08:30:00+00:00"


MERGED = """<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference>
    <acronym>mergedconf</acronym>
    <title>Merged Conf</title>
    <start>2025-03-01</start>
    <end>2025-03-01</end>
    <time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
  <day index="1" date="2025-03-01">
    <room name="Hall">
{talks}
    </room>
  </day>
</schedule>
"""
MERGED_TALK = """      <event guid="{guid}">
        <date>{date}</date>
        <start>{clock}</start>
        <duration>00:30</duration>
        <room>Hall</room>
        <title>{title}</title>
      </event>"""


@pytest.mark.django_db
def test_import_frab_prints_one_line_for_the_talks_on_another_citys_clock(tmp_path, run_command):
    talks = [
        MERGED_TALK.format(guid=guid, date=date, clock=date[11:16], title=title)
        for guid, date, title in (
            ("b0000000-0000-4000-8000-000000000001", "2025-03-01T15:00:00+05:30", "Kochi 1"),
            ("b0000000-0000-4000-8000-000000000002", "2025-03-01T16:00:00+05:30", "Kochi 2"),
            ("b0000000-0000-4000-8000-000000000003", "2025-03-01T09:00:00-05:00", "Boston"),
        )
    ]
    path = tmp_path / "merged.xml"
    path.write_text(MERGED.format(talks="\n".join(talks)), encoding="utf-8")
    first_date = next(
        number
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "<date>" in line
    )

    _, stderr = run_command("import_frab", str(path), "--event", "merged")
    _, detailed = run_command("import_frab", str(path), "--event", "merged", "-v", "2")

    assert stderr == (
        f"{path}:{first_date}: 3 talks are on another clock than Europe/Berlin's (<date> offsets "
        "-05:00, +05:30); using each <date>'s instant; -v 2 lists each\n"
    )
    assert len(detailed.splitlines()) == 3
    assert detailed.splitlines()[2].endswith(
        '"Boston": <date> 2025-03-01T09:00:00-05:00 is not on the offset of Europe/Berlin '
        "(+01:00 then); using its instant, 2025-03-01 15:00 in Europe/Berlin"
    )


@pytest.mark.django_db
def test_import_frab_reads_a_published_schedule_by_url_and_syncs_on_a_second_run(
    http_files, run_command
):
    served, root = http_files
    served["/39c3/schedule.xml"] = HUB_39C3.read_bytes()
    url = f"{root}/39c3/schedule.xml"

    first, _ = run_command("import_frab", "--url", url, "--event", "39c3")
    second, _ = run_command("import_frab", "--url", url, "--event", "39c3", "--timeout", "5")

    assert first == f"{SUMMARY_CREATED}\n{IMPORTED}{RELEASED}\n"
    assert second == (
        f"{SUMMARY_UNCHANGED}\nNothing changed: 39c3 already had the file's 215 talks, 14 rooms, "
        "7 tracks, 263 speakers; no warnings and 6 clashes in the schedule (see above). "
        "No new release: attendees already see this schedule.\n"
    )


@pytest.mark.django_db
def test_import_frab_names_the_url_in_the_files_problems(http_files):
    served, root = http_files
    served["/broken.xml"] = BROKEN.read_bytes()
    url = f"{root}/broken.xml"

    error, _, stderr = failure("--url", url, "--event", "broken")

    assert str(error) == f"{url}: 5 problems; nothing was imported."
    assert stderr.splitlines() == [
        message.replace(str(BROKEN), url, 1) for message in BROKEN_MESSAGES
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("option", "value"), [("--max-talks", "10"), ("--max-file-size", "1K")], ids=["talks", "size"]
)
def test_import_frab_refusal_names_the_option_that_lets_the_file_through(option, value):
    error, _, _ = failure(str(HUB_39C3), "--event", "39c3", option, value)

    assert str(error) == (
        f"{HUB_39C3}: 1 problem; nothing was imported. Run again with {option} to let it through."
    )
    assert Event.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "options", "reason"),
    [
        ("/missing.xml", [], "HTTP 404 Not Found"),
        (
            "/39c3.xml",
            ["--max-file-size", "1K"],
            "the file is larger than 1,024 bytes, the most allowed (use --max-file-size to "
            "raise it)",
        ),
    ],
)
def test_import_frab_by_url_fails_in_one_line_and_writes_nothing(http_files, path, options, reason):
    served, root = http_files
    served["/39c3.xml"] = HUB_39C3.read_bytes()

    error, stdout, stderr = failure("--url", f"{root}{path}", "--event", "39c3", *options)

    assert (error.returncode, str(error)) == (
        1,
        f"cannot read {root}{path}: {reason}; nothing was imported.",
    )
    assert (stdout, stderr) == ("", "")
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    "arguments", [["--event", "x"], [str(HUB_39C3), "--url", "http://x.org/", "--event", "x"]]
)
def test_import_frab_takes_a_file_or_a_url(arguments):
    error, _, _ = failure(*arguments)

    assert (error.returncode, str(error)) == (1, "give either FILE or --url URL")


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["import_ics", "import_agenda"])
def test_the_other_importers_read_by_url_too(http_files, command):
    _, root = http_files

    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(command, "--url", f"{root}/gone", "--event", "x", stdout=stdout, stderr=stderr)

    assert (
        str(caught.value) == f"cannot read {root}/gone: HTTP 404 Not Found; nothing was imported."
    )
