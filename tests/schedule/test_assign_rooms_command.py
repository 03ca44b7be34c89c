"""Tests of ``manage.py assign_rooms``: what it prints, and how it fails."""

import pytest
from django.core.management import CommandError

from conference.models import Room
from schedule.models import Talk
from tests.factories import EventFactory, RoomFactory, TalkFactory, venue_time

SUMMARY_FIRST_RUN = (
    "Event kvm-forum-2012: 34 talks assigned to rooms, 0 kept in the room they had, "
    "0 left without a room (breaks, cancelled or unscheduled). "
    "Rooms: 3 created (Room 1, Room 2, Room 3), 3 in use."
)
SUMMARY_SECOND_RUN = (
    "Event kvm-forum-2012: 0 talks assigned to rooms, 34 kept in the room they had, "
    "0 left without a room (breaks, cancelled or unscheduled). "
    "Rooms: 0 created, 3 in use."
)


def test_assign_rooms_prints_the_summary(kvm_forum, run_command):
    stdout, stderr = run_command("assign_rooms", "--event", "kvm-forum-2012")

    assert (stdout, stderr) == (f"{SUMMARY_FIRST_RUN}\n", "")
    assert Talk.objects.filter(event=kvm_forum, room__isnull=True).count() == 0


def test_assign_rooms_says_nothing_changed_on_a_second_run(kvm_forum, run_command):
    run_command("assign_rooms", "--event", "kvm-forum-2012")

    stdout, _ = run_command("assign_rooms", "--event", "kvm-forum-2012")

    assert stdout == f"{SUMMARY_SECOND_RUN}\nNothing changed.\n"
    assert Room.objects.count() == 3


def test_assign_rooms_dry_run_says_so_and_writes_nothing(kvm_forum, run_command):
    stdout, _ = run_command("assign_rooms", "--event", "kvm-forum-2012", "--dry-run")

    assert stdout == f"Dry run: nothing was written.\n{SUMMARY_FIRST_RUN}\n"
    assert Room.objects.count() == 0
    assert Talk.objects.filter(event=kvm_forum, room__isnull=False).count() == 0


def test_assign_rooms_is_silent_at_verbosity_zero(kvm_forum, run_command):
    assert run_command("assign_rooms", "--event", "kvm-forum-2012", "-v", "0") == ("", "")
    assert Room.objects.count() == 3


def test_assign_rooms_prints_warnings_to_stderr(db, run_command):
    event = EventFactory(slug="small")
    hall = RoomFactory(event=event, name="Hall", slug="hall")
    for title, minutes in (("Keynote", 0), ("Squeezed in", 30)):
        TalkFactory(
            event=event,
            title=title,
            room=hall,
            start=venue_time(event, 2012, 11, 7, 9, minutes),
            end=venue_time(event, 2012, 11, 7, 10, 0),
        )

    _, stderr = run_command("assign_rooms", "--event", "small")

    assert stderr == (
        "A room clash that was there before stays: “Squeezed in” is in Hall at the same time "
        "as “Keynote” (Wed 07 Nov 09:00–10:00).\n"
    )


@pytest.mark.django_db
def test_assign_rooms_refuses_an_unknown_event(run_command):
    with pytest.raises(CommandError) as caught:
        run_command("assign_rooms", "--event", "no-such-event")

    assert caught.value.returncode == 1
    assert str(caught.value) == "no event has the slug “no-such-event”."


def test_assign_rooms_requires_the_event(run_command):
    with pytest.raises(CommandError) as caught:
        run_command("assign_rooms")

    assert str(caught.value) == "Error: the following arguments are required: --event"


def test_assign_rooms_exits_with_status_1_and_no_traceback(manage):
    """The real ``manage.py``, as an organiser runs it, on a fresh database."""
    migrate = manage("migrate", "-v", "0")
    completed = manage("assign_rooms", "--event", "no-such-event")

    assert migrate.returncode == 0, migrate.stderr
    assert completed.returncode == 1
    assert completed.stderr == "CommandError: no event has the slug “no-such-event”.\n"
    assert completed.stdout == ""
