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
BROKEN_MESSAGES = [
    f'{BROKEN}:16: event 1 "Duration in words": duration "half an hour": expected HH:MM or '
    "HH:MM:SS",
    f'{BROKEN}:22: event 2 "Guid that is no UUID": guid "not-a-uuid" is not a UUID',
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

    assert stdout == f"{SUMMARY_CREATED}\n{IMPORTED}\n"
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
        "7 tracks, 263 speakers; no warnings and 6 clashes in the schedule (see above).\n"
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
        f"{path}: 1 warning refused by --strict; nothing was imported. Run without --strict "
        "to import the file with it.",
    )
    assert stderr.splitlines() == [
        f"{path}:2: no <time_zone_name>: using Etc/GMT-1, the offset of every <date>; set the "
        "event's zone to the venue's own for pages in summer and winter time"
    ]
    assert stdout == ""
    assert database_rows() == before


@pytest.mark.django_db
def test_import_frab_strict_imports_a_file_without_warnings(tmp_path, run_command):
    path = small_frab(tmp_path)

    stdout, stderr = run_command("import_frab", str(path), "--event", "small", "--strict")

    assert stdout.splitlines()[-1] == (
        "Imported 1 talk, 1 room, 1 speaker into small with no warnings."
    )
    assert stderr == ""
    assert Talk.objects.get().title == "A talk"


@pytest.mark.django_db
def test_import_frab_strict_imports_a_file_whose_schedule_clashes(run_command):
    # The hub's file has no warning: its six clashes are the schedule's, reported, not refused.
    stdout, stderr = run_command("import_frab", str(HUB_39C3), "--event", "39c3", "--strict")

    assert stdout.splitlines()[-1] == IMPORTED
    assert len(stderr.splitlines()) == 6
    assert Talk.objects.filter(event__slug="39c3").count() == 215


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
