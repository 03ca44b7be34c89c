import datetime

import pytest

from schedule.clashes import (
    Code,
    Severity,
    candidate_clashes,
    schedule_clashes,
    schedule_problems,
    talks_for_checks,
    usual_slot,
)
from tests.factories import (
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    scheduled_talk,
    venue_time,
)


def talk(event, title, start, end, *, speakers=(), **fields):
    """A scheduled talk whose speakers have a bio: one with a bio when none is named."""
    speakers = list(speakers) or [SpeakerFactory(bio="Has a bio.")]
    return scheduled_talk(event, title, start, end, speakers=speakers, **fields)


def codes(event, *, severity=None):
    problems = schedule_problems(event, talks_for_checks(event))
    return sorted(
        (str(problem.code), tuple(t.title for t in problem.talks))
        for problem in problems
        if severity is None or problem.severity == severity
    )


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        (((9, 0), (10, 0)), ((9, 30), (10, 30)), True),  # overlap
        (((9, 0), (10, 0)), ((9, 0), (10, 0)), True),  # same times
        (((9, 0), (10, 0)), ((9, 15), (9, 45)), True),  # inside
        (((9, 0), (10, 0)), ((10, 0), (11, 0)), False),  # touching
        (((9, 0), (10, 0)), ((10, 1), (11, 0)), False),  # apart
    ],
)
def test_two_talks_in_one_room_clash_when_they_overlap(event, first, second, clash):
    room = RoomFactory(event=event, name="Hall")
    talk(event, "A", *first, room=room)
    talk(event, "B", *second, room=room)

    errors = codes(event, severity=Severity.ERROR)

    assert errors == ([("room-overlap", ("B", "A"))] if clash else [])


def test_overlapping_talks_in_different_rooms_do_not_clash(event):
    talk(event, "A", (9, 0), (10, 0), room=RoomFactory(event=event))
    talk(event, "B", (9, 0), (10, 0), room=RoomFactory(event=event))

    assert codes(event, severity=Severity.ERROR) == []


def test_room_clash_message_names_the_other_talk_and_its_time(event):
    room = RoomFactory(event=event, name="Hall")
    talk(event, "Keynote", (9, 0), (10, 0), room=room)
    talk(event, "Lightning", (9, 30), (9, 45), room=room)

    (problem,) = [p for p in schedule_problems(event) if p.is_error]

    assert problem.message == (
        "“Lightning” is in Hall at the same time as “Keynote” (Wed 07 Nov 09:00–10:00)."
    )


def test_speaker_in_two_overlapping_talks_clashes(event):
    avi = SpeakerFactory(name="Avi Kivity", bio="x")
    talk(event, "Memory", (9, 0), (10, 0), speakers=[avi], room=RoomFactory(event=event))
    talk(event, "Keynote", (9, 30), (10, 0), speakers=[avi], room=RoomFactory(event=event))

    (problem,) = [p for p in schedule_problems(event) if p.is_error]

    assert problem.code == Code.SPEAKER_OVERLAP
    assert problem.message.startswith("Avi Kivity speaks in “Keynote” while speaking in “Memory”")


def test_speaker_in_touching_talks_is_fine(event):
    avi = SpeakerFactory(bio="x")
    talk(event, "A", (9, 0), (10, 0), speakers=[avi])
    talk(event, "B", (10, 0), (11, 0), speakers=[avi])

    assert codes(event, severity=Severity.ERROR) == []


def test_talks_across_midnight_clash_with_the_next_morning(event):
    room = RoomFactory(event=event)
    talk(event, "Late", (23, 30), (0, 30), end_day=8, room=room)
    talk(event, "Early", (0, 0), (0, 45), day=8, room=room)

    assert codes(event, severity=Severity.ERROR) == [("room-overlap", ("Early", "Late"))]


@pytest.mark.parametrize(
    ("day", "start", "end_day", "end", "outside"),
    [
        (7, (9, 0), 7, (10, 0), False),
        (6, (23, 0), 6, (23, 30), True),  # the day before
        (9, (0, 0), 9, (0, 30), True),  # the day after
        (8, (23, 0), 9, (0, 0), False),  # ends exactly at midnight of the last day
        (8, (23, 30), 9, (0, 30), True),  # runs past the last day
    ],
)
def test_talk_outside_the_event_dates_in_its_zone(event, day, start, end_day, end, outside):
    talk(event, "T", start, end, day=day, end_day=end_day)

    assert (("outside-event", ("T",)) in codes(event)) is outside


def test_cancelled_and_unscheduled_talks_clash_with_nothing(event):
    room = RoomFactory(event=event)
    talk(event, "A", (9, 0), (10, 0), room=room)
    talk(event, "Cancelled", (9, 0), (10, 0), room=room, is_cancelled=True)
    TalkFactory(event=event, title="Someday", start=None, end=None, room=room)

    assert codes(event, severity=Severity.ERROR) == []


def test_roomless_talk_in_parallel_is_a_warning(event):
    talk(event, "Roomless", (9, 0), (10, 0))
    talk(event, "Other", (9, 30), (10, 30), room=RoomFactory(event=event))
    talk(event, "Lunch", (9, 0), (10, 0), kind="break", speakers=[])

    warnings = codes(event, severity=Severity.WARNING)

    assert warnings == [("no-room-in-parallel", ("Roomless", "Other"))]


def test_roomless_talk_lists_every_parallel_talk_in_schedule_order(event):
    room = RoomFactory(event=event)
    talk(event, "Early", (8, 0), (9, 30), room=room)
    talk(event, "Roomless", (9, 0), (12, 0))
    talk(event, "Beside", (9, 0), (10, 0), room=RoomFactory(event=event))
    talk(event, "Also roomless", (10, 0), (11, 0))
    talk(event, "Coffee", (9, 0), (10, 0), kind="break", speakers=[])
    talk(event, "After", (12, 0), (13, 0), room=room)

    warnings = [warning for warning in codes(event) if warning[0] == "no-room-in-parallel"]

    assert warnings == [
        ("no-room-in-parallel", ("Also roomless", "Roomless")),
        ("no-room-in-parallel", ("Roomless", "Early", "Beside", "Also roomless")),
    ]


def test_schedule_clashes_are_the_errors_of_schedule_problems_in_their_order(event):
    room, avi = RoomFactory(event=event), SpeakerFactory(name="Avi", bio="x")
    talk(event, "A", (9, 0), (10, 0), room=room, speakers=[avi])
    talk(event, "B", (9, 30), (10, 30), room=room)
    talk(event, "C", (9, 45), (10, 15), room=RoomFactory(event=event), speakers=[avi])
    talk(event, "Late", (9, 0), (10, 0), day=9, room=RoomFactory(event=event))
    talk(event, "Roomless", (9, 0), (10, 0))

    clashes = list(schedule_clashes(event))

    assert clashes == [problem for problem in schedule_problems(event) if problem.is_error]
    assert [problem.code for problem in clashes] == [
        Code.OUTSIDE_EVENT,
        Code.ROOM_OVERLAP,
        Code.SPEAKER_OVERLAP,
    ]


def test_talk_much_longer_than_the_usual_slot_is_a_warning(event):
    for hour in (9, 10, 11):
        talk(event, f"Slot {hour}", (hour, 0), (hour, 30))
    talk(event, "Marathon", (14, 0), (15, 30))
    talk(event, "Workshop", (16, 0), (19, 0), kind="workshop")

    assert usual_slot(talks_for_checks(event)) == datetime.timedelta(minutes=30)
    assert codes(event, severity=Severity.WARNING) == [("long-talk", ("Marathon",))]


def test_speaker_without_bio_is_one_warning_listing_their_talks(event):
    quiet = SpeakerFactory(name="Quiet", bio="  ")
    talk(event, "A", (9, 0), (9, 30), speakers=[quiet])
    talk(event, "B", (10, 0), (10, 30), speakers=[quiet])

    assert codes(event, severity=Severity.WARNING) == [("speaker-without-bio", ("A", "B"))]


def test_published_talk_without_speaker_is_a_warning_except_breaks(event):
    unscheduled = {"start": None, "end": None}
    TalkFactory(event=event, title="Nobody", speakers=[], **unscheduled)
    TalkFactory(event=event, title="Coffee", kind="break", speakers=[], **unscheduled)
    TalkFactory(event=event, title="Draft", is_published=False, speakers=[], **unscheduled)

    assert codes(event, severity=Severity.WARNING) == [("no-speaker", ("Nobody",))]


def test_errors_come_before_warnings(event):
    room = RoomFactory(event=event)
    talk(event, "A", (9, 0), (10, 0), room=room)
    talk(event, "B", (9, 0), (10, 0), room=room)
    TalkFactory(event=event, title="Nobody", speakers=[], start=None, end=None)

    problems = schedule_problems(event)

    assert [problem.severity for problem in problems] == [Severity.ERROR, Severity.WARNING]


def test_candidate_state_reports_only_its_own_clashes(event):
    room, other_room = RoomFactory(event=event, name="Hall"), RoomFactory(event=event)
    avi = SpeakerFactory(name="Avi", bio="x")
    talk(event, "Fixed", (9, 0), (10, 0), room=room)
    talk(event, "Avi's", (11, 0), (12, 0), room=other_room, speakers=[avi])
    moving = talk(event, "Moving", (14, 0), (15, 0), room=other_room)
    others = talks_for_checks(event)
    moving.room = room
    moving.start = venue_time(event, 2012, 11, 7, 9, 30)
    moving.end = venue_time(event, 2012, 11, 7, 10, 30)

    problems = candidate_clashes(moving, speakers=[avi], others=others, event=event)

    assert sorted(problem.code for problem in problems) == [Code.ROOM_OVERLAP]
    moving.start = venue_time(event, 2012, 11, 7, 11, 30)
    moving.end = venue_time(event, 2012, 11, 7, 12, 30)
    problems = candidate_clashes(moving, speakers=[avi], others=others, event=event)
    assert [problem.code for problem in problems] == [Code.SPEAKER_OVERLAP]


def test_rules_read_the_event_with_a_fixed_number_of_queries(event, django_assert_num_queries):
    for hour in range(9, 19):
        talk(event, f"T{hour}", (hour, 0), (hour, 30), room=RoomFactory(event=event))

    with django_assert_num_queries(2):
        schedule_problems(event)


def test_the_2012_agenda_has_no_errors_and_warns_of_roomless_parallel_talks(kvm_forum):
    problems = schedule_problems(kvm_forum)

    assert [problem for problem in problems if problem.is_error] == []
    roomless = {p.talks[0].title for p in problems if p.code == Code.NO_ROOM_IN_PARALLEL}
    assert "QOM Vadis? Taking Objects to CPU and Beyond" in roomless
    assert "Keynote Address" not in roomless
