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

    assert stdout == f"{SUMMARY_CREATED}\n"
    assert stderr == f"{SKIPPED_WARNING}\n"
    assert Talk.objects.filter(event__slug="small-conf").count() == 3


@pytest.mark.django_db
def test_import_ics_says_nothing_changed_on_a_second_run(run_command):
    run_command("import_ics", str(SMALL_CONF), "--event", "small-conf")

    stdout, _ = run_command("import_ics", str(SMALL_CONF), "--event", "small-conf")

    assert stdout == f"{SUMMARY_UNCHANGED}\nNothing changed.\n"


@pytest.mark.django_db
def test_import_ics_dry_run_says_so_and_writes_nothing(run_command):
    stdout, _ = run_command("import_ics", str(SMALL_CONF), "--event", "small-conf", "--dry-run")

    assert stdout == f"Dry run: nothing was written.\n{SUMMARY_CREATED}\n"
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_import_ics_timezone_option_wins_over_the_file(run_command):
    stdout, _ = run_command(
        "import_ics", str(SMALL_CONF), "--event", "small-conf", "--timezone", "Europe/Paris"
    )

    assert stdout == f"{SUMMARY_CREATED}\n".replace("Europe/Brussels", "Europe/Paris")
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
