import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TalkFactory, venue_time


def test_clean_schedule_reports_warnings_and_succeeds(kvm_forum, run_command):
    output, _ = run_command("check_schedule", "--event", "kvm-forum-2012", no_color=True)

    assert (
        "WARNING no-room-in-parallel: “QOM Vadis? Taking Objects to CPU and Beyond” has no room"
        in output
    )
    # 30 speakers without a bio and 26 talks that run in parallel without a room.
    assert output.count("WARNING speaker-without-bio") == 30
    assert output.count("WARNING no-room-in-parallel") == 26
    assert output.strip().endswith("KVM Forum + oVirt Workshop: 0 errors, 56 warnings.")


def test_clashes_are_listed_with_their_talks_and_fail(db):
    event = EventFactory(slug="clashy", name="Clashy")
    room = RoomFactory(event=event, name="Hall")
    speaker = SpeakerFactory(bio="x")
    first = TalkFactory(
        event=event,
        title="First",
        room=room,
        speakers=[speaker],
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 10, 0),
    )
    second = TalkFactory(
        event=event,
        title="Second",
        room=room,
        speakers=[speaker],
        start=venue_time(event, 2012, 11, 7, 9, 30),
        end=venue_time(event, 2012, 11, 7, 10, 0),
    )
    out = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("check_schedule", "--event", "clashy", stdout=out, no_color=True)

    assert error.value.returncode == 1
    assert str(error.value) == "Clashy: 2 errors, 0 warnings."
    output = out.getvalue()
    assert "ERROR room-overlap: “Second” is in Hall at the same time as “First”" in output
    assert f"    talks: #{second.pk} Second, #{first.pk} First" in output
    assert "ERROR speaker-overlap:" in output


def test_unknown_event_is_a_clear_error(db, run_command):
    with pytest.raises(CommandError, match=r"No event with the slug “nope”\."):
        run_command("check_schedule", "--event", "nope")


def test_exit_status_is_non_zero_for_scripts(manage):
    migrate = manage("migrate", "-v0")

    result = manage("check_schedule", "--event", "missing")

    assert migrate.returncode == 0, migrate.stderr
    assert result.returncode == 2
    assert "No event with the slug “missing”." in result.stderr
    assert "Traceback" not in result.stderr
