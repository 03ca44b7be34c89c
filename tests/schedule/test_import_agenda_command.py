"""Tests of ``manage.py import_agenda``: what it prints, and how it fails."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import schedule
from conference.models import Event
from schedule.models import Talk

AGENDA = Path(schedule.__file__).parent / "data" / "kvm-forum-2012-agenda.txt"
SUMMARY_CREATED = (
    "Event kvm-forum-2012: created. Talks: 34 created, 0 updated, 0 unchanged. "
    "Speakers: 30 created, 0 updated, 0 unchanged."
)
SUMMARY_UNCHANGED = (
    "Event kvm-forum-2012: unchanged. Talks: 0 created, 0 updated, 34 unchanged. "
    "Speakers: 0 created, 0 updated, 30 unchanged."
)
# The report's last line for the 2012 file, whose 34 zone warnings print as one line.
IMPORTED = (
    "Imported 34 talks, 30 speakers into kvm-forum-2012 with 34 warnings "
    "(run with -v 2 to see each). Released as “1”."
)
# The options that import the agenda as a new event.
NEW_KVM_FORUM = ("--event", "kvm-forum-2012", "--timezone", "Europe/Madrid")


def broken_agenda(tmp_path):
    """The 2012 agenda with an empty speaker name and, in its last talk, a backwards time."""
    text = AGENDA.read_text(encoding="utf-8")
    text = text.replace("### Name: Jeff Cody", "### Name: ")
    text = text.replace(
        "### Time: November 9, 2012 10:30 - 11:00 CEST",
        "### Time: November 9, 2012 11:00 - 10:30 CEST",
    )
    path = tmp_path / "broken.txt"
    path.write_text(text, encoding="utf-8")
    return path


def broken_agenda_messages(path):
    return [
        f'{path}:316: "### Name:" without a name in talk "QEMU Live Block Operations: '
        'Snapshots, Merging, and Mirroring"',
        f"{path}:403: the end 10:30 is not after the start 11:00",
    ]


@pytest.mark.django_db
def test_import_agenda_prints_summary_and_warnings(run_command):
    stdout, stderr = run_command("import_agenda", str(AGENDA), *NEW_KVM_FORUM)

    assert stdout == f"{SUMMARY_CREATED}\n{IMPORTED}\n"
    # The export gives summer time for every talk of a November event: one line says so.
    assert stderr.splitlines() == [
        f"{AGENDA}:17: 34 talks give a zone abbreviation that Europe/Madrid is not on then "
        "(the first, on this line: the file says CEST but Europe/Madrid is on CET); "
        "using Europe/Madrid; -v 2 lists each"
    ]
    assert Talk.objects.filter(event__slug="kvm-forum-2012").count() == 34


@pytest.mark.django_db
def test_import_agenda_lists_each_zone_warning_at_verbosity_2(run_command):
    stdout, stderr = run_command("import_agenda", str(AGENDA), *NEW_KVM_FORUM, "-v", "2")

    assert stdout == (
        f"{SUMMARY_CREATED}\n"
        "Imported 34 talks, 30 speakers into kvm-forum-2012 with 34 warnings (see above). "
        "Released as “1”.\n"
    )
    warnings = stderr.splitlines()
    assert len(warnings) == 34
    assert warnings[0] == (
        f'{AGENDA}:17: talk "Keynote Address": the file says CEST but Europe/Madrid is on CET '
        "then; using Europe/Madrid"
    )
    assert all("the file says CEST but Europe/Madrid is on CET" in w for w in warnings)


@pytest.mark.django_db
def test_import_agenda_prints_a_single_zone_warning_as_it_is(tmp_path, run_command):
    text = AGENDA.read_text(encoding="utf-8")
    # Only the keynote keeps its (wrong) abbreviation: one warning needs no summary.
    path = tmp_path / "one-cest.txt"
    path.write_text(text.replace(" CEST", "").replace("9:15", "9:15 CEST", 1), encoding="utf-8")

    _, stderr = run_command("import_agenda", str(path), *NEW_KVM_FORUM)

    assert stderr.splitlines() == [
        f'{path}:17: talk "Keynote Address": the file says CEST but Europe/Madrid is on CET '
        "then; using Europe/Madrid"
    ]


@pytest.mark.django_db
def test_import_agenda_says_nothing_changed_on_a_second_run(run_command):
    run_command("import_agenda", str(AGENDA), *NEW_KVM_FORUM)

    stdout, _ = run_command("import_agenda", str(AGENDA), "--event", "kvm-forum-2012")

    assert stdout == (
        f"{SUMMARY_UNCHANGED}\nNothing changed: kvm-forum-2012 already had the file's 34 talks, "
        "30 speakers; 34 warnings (run with -v 2 to see each). "
        "No new release: attendees already see this schedule.\n"
    )


@pytest.mark.django_db
def test_import_agenda_dry_run_says_so_and_writes_nothing(run_command):
    stdout, _ = run_command("import_agenda", str(AGENDA), *NEW_KVM_FORUM, "--dry-run")

    assert stdout == (
        f"Dry run: nothing was written.\n{SUMMARY_CREATED}\n"
        "Dry run: would import 34 talks, 30 speakers into kvm-forum-2012 with 34 warnings "
        "(run with -v 2 to see each).\n"
    )
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_import_agenda_is_silent_at_verbosity_zero(run_command):
    stdout, stderr = run_command("import_agenda", str(AGENDA), *NEW_KVM_FORUM, "-v", "0")

    assert (stdout, stderr) == ("", "")
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_import_agenda_reports_each_problem_and_fails(tmp_path):
    path = broken_agenda(tmp_path)
    stdout, stderr = StringIO(), StringIO()

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_agenda",
            str(path),
            "--event",
            "kvm-forum-2012",
            "--timezone",
            "Europe/Madrid",
            stdout=stdout,
            stderr=stderr,
        )

    assert caught.value.returncode == 1
    assert str(caught.value) == f"{path}: 2 problems; nothing was imported."
    assert stderr.getvalue().splitlines() == broken_agenda_messages(path)
    assert stdout.getvalue() == ""
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_import_agenda_without_zone_for_a_new_event_fails():
    stderr = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_agenda", str(AGENDA), "--event", "new", stderr=stderr)

    assert caught.value.returncode == 1
    assert stderr.getvalue() == f"{AGENDA}: no time zone: pass --timezone, e.g. Europe/Madrid\n"
    assert str(caught.value) == (
        f"{AGENDA}: 1 problem; nothing was imported. Run again with --timezone to let it through."
    )


@pytest.mark.django_db
def test_import_agenda_names_a_missing_file(tmp_path, run_command):
    missing = tmp_path / "missing.txt"

    with pytest.raises(CommandError) as caught:
        run_command("import_agenda", str(missing), *NEW_KVM_FORUM)

    assert caught.value.returncode == 1
    assert str(caught.value) == f"cannot read {missing}: No such file or directory"


def test_import_agenda_requires_the_event(run_command):
    with pytest.raises(CommandError) as caught:
        run_command("import_agenda", str(AGENDA))

    assert str(caught.value) == "Error: the following arguments are required: --event"


def test_import_agenda_exits_with_status_1_and_no_traceback(tmp_path, manage):
    """The real ``manage.py``, as an organiser runs it, on a fresh database."""
    path = broken_agenda(tmp_path)
    migrate = manage("migrate", "-v", "0")
    completed = manage(
        "import_agenda", str(path), "--event", "kvm-forum-2012", "--timezone", "Europe/Madrid"
    )

    assert migrate.returncode == 0, migrate.stderr
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert completed.stderr.splitlines() == [
        *broken_agenda_messages(path),
        f"CommandError: {path}: 2 problems; nothing was imported.",
    ]
    assert completed.stdout == ""


def small_agenda(tmp_path, *, time="9:00 - 9:30", abstract="An abstract.", title="Opening"):
    """An agenda of one talk: its title on line 5, its time on line 7, its abstract on 9."""
    rows = ["# Small Conf", "## Location: Barcelona, Spain", "## Date: November 7-9, 2012", ""]
    rows += [f"## {title}", "### Name: Ada Lovelace", f"### Time: November 7, 2012 {time}", ""]
    rows += [abstract, ""]
    path = tmp_path / "agenda.txt"
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["import", "dry-run"])
def test_import_agenda_strict_refuses_a_file_with_a_warning(tmp_path, database_rows, dry_run):
    path = small_agenda(tmp_path, time="9:00 - 9:30 CEST")
    before = database_rows()
    stdout, stderr = StringIO(), StringIO()

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_agenda", str(path), *NEW_KVM_FORUM, "--strict", *dry_run,
            stdout=stdout, stderr=stderr,
        )  # fmt: skip

    assert (caught.value.returncode, str(caught.value)) == (
        1,
        f"{path}: 1 warning refused by --strict; nothing was imported. Run without --strict "
        "to import the file with it.",
    )
    assert stderr.getvalue().splitlines() == [
        f'{path}:7: talk "Opening": the file says CEST but Europe/Madrid is on CET then; '
        "using Europe/Madrid"
    ]
    assert stdout.getvalue() == ""
    assert database_rows() == before


def test_import_agenda_strict_refuses_each_of_many_warnings_of_one_kind(database_rows):
    stderr = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_agenda", str(AGENDA), *NEW_KVM_FORUM, "--strict", stderr=stderr)

    # Errors now: each is printed, none summarised.
    assert len(stderr.getvalue().splitlines()) == 34
    assert str(caught.value).startswith(f"{AGENDA}: 34 warnings refused by --strict;")
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_import_agenda_strict_imports_a_file_without_warnings(tmp_path, run_command):
    path = small_agenda(tmp_path)

    stdout, stderr = run_command("import_agenda", str(path), *NEW_KVM_FORUM, "--strict")

    assert stdout.splitlines()[-1] == (
        "Imported 1 talk, 1 speaker into kvm-forum-2012 with no warnings. Released as “1”."
    )
    assert stderr == ""
    assert Talk.objects.get().title == "Opening"


@pytest.mark.django_db
def test_import_agenda_refusal_names_the_option_that_lets_the_file_through(tmp_path):
    path = small_agenda(tmp_path, abstract="A long abstract.")

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_agenda", str(path), *NEW_KVM_FORUM, "--max-text-length", "5", stderr=StringIO()
        )

    assert str(caught.value) == (
        f"{path}: 1 problem; nothing was imported. Run again with --max-text-length to let it "
        "through."
    )


@pytest.mark.django_db
def test_import_agenda_refusal_says_which_problems_an_option_would_not_help(tmp_path):
    # No option lengthens a title: its column holds 300 characters.
    path = small_agenda(tmp_path, abstract="A long abstract.", title="T" * 301)
    stderr = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_agenda", str(path), *NEW_KVM_FORUM, "--max-text-length", "5", stderr=stderr
        )

    assert str(caught.value) == (
        f"{path}: 2 problems; nothing was imported. --max-text-length would let 1 of them "
        "through; the others need the file fixed."
    )
