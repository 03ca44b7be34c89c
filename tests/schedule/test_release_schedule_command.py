import pytest
from django.core.management import CommandError

from schedule.models import Release, Talk
from tests.factories import venue_time

# About releasing itself: requests release nothing by themselves (tests/auto_release.py).
pytestmark = pytest.mark.manual_releases


def test_release_lists_the_changes_grouped_and_makes_the_release_current(
    released_event, run_command, edit_working_schedule
):
    edit_working_schedule(released_event)
    Talk.objects.filter(title="Storage").update(start=None, end=None)

    output, _ = run_command(
        "release_schedule", "--event", "kvm", "--name", "1.1", "--comment", "Rooms settled."
    )

    assert (
        output.splitlines()
        == [
            "KVM Forum: 4 changes since release “1”. Times are in Europe/Madrid (CET, UTC+01:00).",
            "New (1):",
            "  “Lightning”: Wed 7 Nov 12:00–12:15 CET, Annex; by no speakers",
            "Cancelled (1):",
            "  “Network”: Wed 7 Nov 11:00–11:30 CET, Hall; by Bob",
            "Moved (2):",
            "  “Keynote”: Wed 7 Nov 09:00–09:30 CET, Hall → Wed 7 Nov 10:00–10:30 CET, Annex",
            "  “Storage”: Wed 7 Nov 10:00–10:30 CET, Hall → unscheduled, Hall",
            "0 errors, 1 warning.",
            "WARNING no-speaker (1; -v 2 lists each)",
            "1 speaker will be told of their changed talks.",
            "Released “1.1” of kvm with 4 changes; 1 speaker will be told.",
        ][:8]
        + output.splitlines()[8:]
    )
    release = Release.objects.get(event=released_event, is_current=True)
    assert (release.name, release.number, release.comment) == ("1.1", 2, "Rooms settled.")
    assert sorted(Talk.released.current().values_list("title", "is_cancelled")) == [
        ("Keynote", False),
        ("Lightning", False),
        ("Network", True),
        ("Storage", False),
    ]
    assert (
        output.splitlines()[-1] == "Released “1.1” of kvm with 4 changes; 1 speaker will be told."
    )


def test_clash_errors_block_the_release_unless_released_anyway(released_event, run_command):
    Talk.objects.filter(title="Storage").update(
        start=venue_time(released_event, 2012, 11, 7, 9, 15),
        end=venue_time(released_event, 2012, 11, 7, 9, 45),
    )

    with pytest.raises(CommandError) as refused:
        run_command("release_schedule", "--event", "kvm")

    assert refused.value.returncode == 1
    assert str(refused.value).startswith(
        "Not released: The schedule has 1 clash-rule error(s), the first: "
    )
    assert list(Release.objects.values_list("name", flat=True)) == ["1"]

    output, _ = run_command("release_schedule", "--event", "kvm", "--release-anyway")

    assert "ERROR room-overlap: " in output
    assert "1 error that block the release, 0 warnings." in output
    assert output.splitlines()[-1] == "Released “2” of kvm with 1 change; 0 speakers will be told."
    assert Release.objects.get(is_current=True).name == "2"


def test_a_release_without_changes_is_refused_with_the_services_message(
    released_event, run_command
):
    with pytest.raises(CommandError) as refused:
        run_command("release_schedule", "--event", "kvm", "--name", "again")

    assert refused.value.returncode == 1
    assert str(refused.value) == (
        "Not released: Nothing changed since release “1”: attendees already see this schedule."
    )
    assert Release.objects.count() == 1


def test_a_taken_name_is_refused(released_event, run_command, edit_working_schedule):
    edit_working_schedule(released_event)

    with pytest.raises(CommandError) as refused:
        run_command("release_schedule", "--event", "kvm", "--name", "1")

    assert refused.value.returncode == 1
    assert str(refused.value) == "Not released: KVM Forum already has a release named “1”."
    assert Release.objects.count() == 1


def test_dry_run_reports_the_release_and_writes_nothing(
    released_event, run_command, edit_working_schedule
):
    edit_working_schedule(released_event)
    before = list(Talk.released.values_list("pk", "title", "start", "room"))

    output, _ = run_command("release_schedule", "--event", "kvm", "--dry-run", "--name", "final")

    assert output.splitlines()[-2:] == [
        "Dry run: nothing was written.",
        "Would release “final” of kvm with 4 changes; 1 speaker would be told.",
    ]
    assert list(Release.objects.values_list("name", flat=True)) == ["1"]
    assert list(Talk.released.values_list("pk", "title", "start", "room")) == before


def test_no_notify_says_nobody_is_told(released_event, run_command, edit_working_schedule):
    edit_working_schedule(released_event)

    output, _ = run_command("release_schedule", "--event", "kvm", "--no-notify")

    assert "No speaker will be told (--no-notify); 1 speaker would have been." in output
    assert (
        output.splitlines()[-1] == "Released “2” of kvm with 4 changes; no speakers will be told."
    )


def test_warnings_are_listed_one_by_one_with_verbosity_2(
    released_event, run_command, edit_working_schedule
):
    edit_working_schedule(released_event)

    output, _ = run_command("release_schedule", "--event", "kvm", "--dry-run", verbosity=2)

    assert "WARNING no-speaker: " in output
    assert "-v 2 lists each" not in output


def test_an_unknown_event_is_refused(db, run_command):
    with pytest.raises(CommandError) as refused:
        run_command("release_schedule", "--event", "nope")

    assert refused.value.returncode == 2
    assert str(refused.value) == "No event with the slug “nope”."
