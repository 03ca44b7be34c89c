"""Importers release what they load: attendees see an import at once, unless ``--no-release``."""

from pathlib import Path

import pytest

from schedule.models import Release, Talk

# About releasing itself: requests release nothing by themselves (tests/auto_release.py).
pytestmark = pytest.mark.manual_releases


AGENDA = Path("schedule/data/kvm-forum-2012-agenda.txt")
# What ``make setup`` (and so ``make run``) runs.
MAKE_SETUP = (
    "import_agenda",
    str(AGENDA),
    "--event",
    "kvm-forum-2012",
    "--timezone",
    "Europe/Madrid",
)


def releases():
    return list(Release.objects.order_by("number").values_list("name", "is_current"))


@pytest.mark.django_db
def test_make_runs_import_shows_the_agenda_as_release_1(run_command):
    stdout, _ = run_command(*MAKE_SETUP)

    assert stdout.splitlines()[-1].endswith(" Released as “1”.")
    assert releases() == [("1", True)]
    assert Talk.released.current().filter(event__slug="kvm-forum-2012").count() == 34
    assert Talk.released.current().get(
        title="Keynote Address"
    ).talk_speakers.get().speaker.name == ("Avi Kivity")


@pytest.mark.django_db
def test_a_second_import_of_the_same_file_makes_no_release_and_says_so(run_command):
    run_command(*MAKE_SETUP)

    stdout, _ = run_command(*MAKE_SETUP)

    assert stdout.splitlines()[-1].endswith(
        "; 34 warnings (run with -v 2 to see each). "
        "No new release: attendees already see this schedule."
    )
    assert releases() == [("1", True)]


@pytest.mark.django_db
def test_an_import_of_an_edited_file_makes_the_next_release(tmp_path, run_command):
    run_command(*MAKE_SETUP)
    edited = tmp_path / "edited.txt"
    edited.write_text(
        AGENDA.read_text(encoding="utf-8").replace("Keynote Address", "Opening Keynote"),
        encoding="utf-8",
    )

    stdout, _ = run_command("import_agenda", str(edited), "--event", "kvm-forum-2012")

    assert stdout.splitlines()[-1].endswith(" Released as “2”.")
    assert releases() == [("1", False), ("2", True)]
    assert Talk.released.current().filter(title="Opening Keynote").count() == 1
    assert not Talk.released.current().filter(title="Keynote Address").exists()


@pytest.mark.django_db
def test_no_release_leaves_the_import_in_the_working_schedule(run_command):
    stdout, _ = run_command(*MAKE_SETUP, "--no-release")

    assert stdout.splitlines()[-1] == (
        "Imported 34 talks, 30 speakers into kvm-forum-2012 with 34 warnings "
        "(run with -v 2 to see each)."
    )
    assert Talk.objects.filter(event__slug="kvm-forum-2012").count() == 34
    assert releases() == []
    assert not Talk.released.exists()


@pytest.mark.django_db
def test_a_dry_run_releases_nothing(run_command):
    stdout, _ = run_command(*MAKE_SETUP, "--dry-run")

    assert "Released" not in stdout
    assert releases() == []
