"""Tests of ``manage.py import_ics``: what it prints, and how it fails."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conference.models import Event
from schedule.models import Talk

DATA = Path(__file__).resolve().parent.parent / "data" / "ics"
SMALL_CONF = DATA / "small-conf.ics"
BROKEN = DATA / "broken.ics"
SUMMARY_CREATED = (
    "Event small-conf (Europe/Brussels): created. Talks: 3 created, 0 updated, 0 unchanged, "
    "1 skipped. Rooms: 2 created, 0 unchanged. Speakers: 2 created, 0 unchanged."
)
SUMMARY_UNCHANGED = (
    "Event small-conf (Europe/Brussels): unchanged. Talks: 0 created, 0 updated, 3 unchanged, "
    "1 skipped. Rooms: 0 created, 2 unchanged. Speakers: 0 created, 2 unchanged."
)
IMPORTED = (
    "Imported 3 talks (1 skipped), 2 rooms, 2 speakers into small-conf with 1 warning (see above)."
)
# What a first import (not a dry run) adds to it: attendees see it as release “1”.
RELEASED = " Released as “1”."
SKIPPED_WARNING = (
    f'{SMALL_CONF}:57: event "Social day" lasts whole days (DTSTART is a date), so it is not '
    "a talk; skipped"
)
BROKEN_MESSAGES = [
    f'{BROKEN}:11: event "No start" has no DTSTART',
    f'{BROKEN}:19: event "Backwards" ends (2024-03-01 10:30 CET) before it starts '
    "(2024-03-01 11:00 CET)",
]


@pytest.mark.django_db
def test_import_ics_prints_summary_and_warnings(run_command):
    stdout, stderr = run_command("import_ics", str(SMALL_CONF), "--event", "small-conf")

    assert stdout == f"{SUMMARY_CREATED}\n{IMPORTED}{RELEASED}\n"
    assert stderr == f"{SKIPPED_WARNING}\n"
    assert Talk.objects.filter(event__slug="small-conf").count() == 3


@pytest.mark.django_db
def test_import_ics_says_nothing_changed_on_a_second_run(run_command):
    run_command("import_ics", str(SMALL_CONF), "--event", "small-conf")

    stdout, _ = run_command("import_ics", str(SMALL_CONF), "--event", "small-conf")

    assert stdout == (
        f"{SUMMARY_UNCHANGED}\nNothing changed: small-conf already had the file's 3 talks "
        "(1 skipped), 2 rooms, 2 speakers; 1 warning (see above). "
        "No new release: attendees already see this schedule.\n"
    )


@pytest.mark.django_db
def test_import_ics_dry_run_says_so_and_writes_nothing(run_command):
    stdout, _ = run_command("import_ics", str(SMALL_CONF), "--event", "small-conf", "--dry-run")

    assert stdout == (
        f"Dry run: nothing was written.\n{SUMMARY_CREATED}\n"
        f"Dry run: would import{IMPORTED.removeprefix('Imported')}\n"
    )
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_import_ics_timezone_option_wins_over_the_file(run_command):
    stdout, _ = run_command(
        "import_ics", str(SMALL_CONF), "--event", "small-conf", "--timezone", "Europe/Paris"
    )

    assert stdout == f"{SUMMARY_CREATED}\n{IMPORTED}{RELEASED}\n".replace(
        "Europe/Brussels", "Europe/Paris"
    )
    assert Event.objects.get().time_zone == "Europe/Paris"


@pytest.mark.django_db
def test_import_ics_is_silent_at_verbosity_zero(run_command):
    stdout, stderr = run_command("import_ics", str(SMALL_CONF), "--event", "small-conf", "-v", "0")

    assert (stdout, stderr) == ("", "")
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_import_ics_reports_each_problem_and_fails():
    stdout, stderr = StringIO(), StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_ics", str(BROKEN), "--event", "broken", stdout=stdout, stderr=stderr)

    assert caught.value.returncode == 1
    assert str(caught.value) == f"{BROKEN}: 2 problems; nothing was imported."
    assert stderr.getvalue().splitlines() == BROKEN_MESSAGES
    assert stdout.getvalue() == ""
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_import_ics_names_a_missing_file(tmp_path, run_command):
    missing = tmp_path / "missing.ics"

    with pytest.raises(CommandError) as caught:
        run_command("import_ics", str(missing), "--event", "small-conf")

    assert caught.value.returncode == 1
    assert str(caught.value) == f"cannot read {missing}: No such file or directory"


def test_import_ics_requires_the_event(run_command):
    with pytest.raises(CommandError) as caught:
        run_command("import_ics", str(SMALL_CONF))

    assert str(caught.value) == "Error: the following arguments are required: --event"


def test_import_ics_exits_with_status_1_and_no_traceback(manage):
    """The real ``manage.py``, as an organiser runs it, on a fresh database."""
    migrate = manage("migrate", "-v", "0")
    completed = manage("import_ics", str(BROKEN), "--event", "broken")

    assert migrate.returncode == 0, migrate.stderr
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert completed.stderr.splitlines() == [
        *BROKEN_MESSAGES,
        f"CommandError: {BROKEN}: 2 problems; nothing was imported.",
    ]
    assert completed.stdout == ""


def small_calendar(tmp_path, *, zone="X-WR-TIMEZONE:Europe/Brussels"):
    """One talk, in Brussels unless ``zone`` is empty: then the file names no zone."""
    rows = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tests//Small//EN", zone, "BEGIN:VEVENT"]
    rows += ["UID:opening@example.org", "DTSTART:20240301T080000Z", "DTEND:20240301T083000Z"]
    rows += ["SUMMARY:Opening", "END:VEVENT", "END:VCALENDAR", ""]
    path = tmp_path / "calendar.ics"
    path.write_bytes("\r\n".join(row for row in rows if row).encode())
    return path


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["import", "dry-run"])
def test_import_ics_strict_refuses_a_file_with_a_warning(database_rows, dry_run):
    before = database_rows()
    stdout, stderr = StringIO(), StringIO()

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_ics", str(SMALL_CONF), "--event", "small-conf", "--strict", *dry_run,
            stdout=stdout, stderr=stderr,
        )  # fmt: skip

    assert (caught.value.returncode, str(caught.value)) == (
        1,
        f"{SMALL_CONF}: 1 warning refused by --strict; nothing was imported. Run without "
        "--strict to import the file with it.",
    )
    assert stderr.getvalue() == f"{SKIPPED_WARNING}\n"
    assert stdout.getvalue() == ""
    assert database_rows() == before


@pytest.mark.django_db
def test_import_ics_strict_refusal_leaves_an_imported_event_as_it_was(run_command, database_rows):
    run_command("import_ics", str(SMALL_CONF), "--event", "small-conf")
    Talk.objects.update(title="Renamed by an organiser")
    before = database_rows()

    with pytest.raises(CommandError):
        run_command("import_ics", str(SMALL_CONF), "--event", "small-conf", "--strict")

    assert database_rows() == before


@pytest.mark.django_db
def test_import_ics_strict_imports_a_file_without_warnings(tmp_path, run_command):
    path = small_calendar(tmp_path)

    stdout, stderr = run_command("import_ics", str(path), "--event", "small", "--strict")

    assert stdout.splitlines()[-1] == (
        "Imported 1 talk into small with no warnings. Released as “1”."
    )
    assert stderr == ""
    assert Talk.objects.get().title == "Opening"


@pytest.mark.django_db
def test_import_ics_refusal_names_timezone_for_a_file_without_a_zone(tmp_path):
    path = small_calendar(tmp_path, zone="")
    stderr = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_ics", str(path), "--event", "small", stderr=stderr)

    assert str(caught.value) == (
        f"{path}: 1 problem; nothing was imported. Run again with --timezone to let it through."
    )
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_import_ics_refusal_names_max_talks(run_command):
    with pytest.raises(CommandError) as caught:
        run_command("import_ics", str(SMALL_CONF), "--event", "small-conf", "--max-talks", "2")

    assert str(caught.value) == (
        f"{SMALL_CONF}: 1 problem; nothing was imported. Run again with --max-talks to let it "
        "through."
    )
