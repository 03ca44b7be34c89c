"""Tests of room assignment: the partitioning on its own, then ``rooms_assign`` on rows."""

import datetime

import pytest

from conference.models import Room
from schedule.clashes import Code, schedule_problems
from schedule.models import Talk
from schedule.services import rooms as rooms_module
from schedule.services.rooms import (
    RoomAssignmentError,
    RoomPlan,
    partition_into_rooms,
    rooms_assign,
)
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    scheduled_talk,
    venue_time,
)


def at(clock, day=7):
    hours, minutes = map(int, clock.split(":"))
    return datetime.datetime(2012, 11, day, hours, minutes, tzinfo=datetime.UTC)


def unsaved(pk, title, start=None, end=None, *, room_id=None, kind="talk", cancelled=False):
    """A talk as the partitioning sees it; ``start``/``end`` are "HH:MM" or (clock, day)."""

    def moment(value):
        if value is None:
            return None
        return at(value) if isinstance(value, str) else at(*value)

    return Talk(
        pk=pk,
        title=title,
        start=moment(start),
        end=moment(end),
        room_id=room_id,
        kind=kind,
        is_cancelled=cancelled,
    )


def slots(plan):
    return [(talk.title, slot) for talk, slot in plan.placements]


@pytest.mark.parametrize(
    ("talks", "room_ids", "expected", "new_rooms"),
    [
        pytest.param([], [], [], 0, id="no talks"),
        pytest.param([("A", "09:00", "10:00")], [], [("A", 0)], 1, id="one talk"),
        pytest.param(
            [("A", "09:00", "10:00"), ("B", "10:00", "11:00")],
            [],
            [("A", 0), ("B", 0)],
            1,
            id="touching talks share a room",
        ),
        pytest.param(
            [("A", "09:00", "10:00"), ("B", "09:30", "10:30")],
            [],
            [("A", 0), ("B", 1)],
            2,
            id="overlapping talks",
        ),
        pytest.param(
            [("A", "09:00", "10:00"), ("B", "09:00", "10:00"), ("C", "09:00", "09:30")],
            [],
            [("C", 0), ("A", 1), ("B", 2)],
            3,
            id="same start, shortest first",
        ),
        pytest.param(
            [("B", "10:00", "11:00"), ("A", "09:00", "10:00"), ("C", "10:30", "11:00")],
            [],
            [("A", 0), ("B", 0), ("C", 1)],
            2,
            id="given out of order",
        ),
        pytest.param(
            [
                ("Long", "09:00", "12:00"),
                ("Short", "09:00", "10:00"),
                ("Next", "10:00", "11:00"),
                ("Noon", "12:00", "13:00"),
            ],
            [],
            [("Short", 0), ("Long", 1), ("Next", 0), ("Noon", 0)],
            2,
            id="reuses the room free earliest",
        ),
        pytest.param(
            [("Late", "23:00", ("00:30", 8)), ("Night", ("00:00", 8), ("01:00", 8))],
            [],
            [("Late", 0), ("Night", 1)],
            2,
            id="overlap across midnight",
        ),
        pytest.param(
            [("Late", "23:00", ("00:00", 8)), ("Night", ("00:00", 8), ("01:00", 8))],
            [],
            [("Late", 0), ("Night", 0)],
            1,
            id="touching at midnight",
        ),
        pytest.param(
            [("A", "09:00", "10:00"), ("B", "09:00", "10:00")],
            [10, 20],
            [("A", 0), ("B", 1)],
            0,
            id="existing rooms first, in order",
        ),
        pytest.param(
            [("A", "09:00", "10:00"), ("B", "09:00", "10:00"), ("C", "09:00", "10:00")],
            [10],
            [("A", 0), ("B", 1), ("C", 2)],
            2,
            id="new rooms after existing ones",
        ),
    ],
)
def test_partition_into_rooms(talks, room_ids, expected, new_rooms):
    given = [unsaved(pk, *spec) for pk, spec in enumerate(talks, start=1)]

    plan = partition_into_rooms(given, room_ids=room_ids)

    assert slots(plan) == expected
    assert (plan.existing, plan.new_rooms) == (len(room_ids), new_rooms)


@pytest.mark.parametrize(
    ("talks", "expected", "new_rooms"),
    [
        pytest.param(
            [
                unsaved(1, "Fixed", "09:00", "10:00", room_id=10),
                unsaved(2, "A", "09:00", "10:00"),
                unsaved(3, "B", "10:00", "11:00"),
            ],
            [("A", 1), ("B", 0)],
            0,
            id="around a fixed talk",
        ),
        pytest.param(
            [
                unsaved(1, "Fixed", "11:00", "12:00", room_id=10),
                unsaved(2, "Before", "09:00", "10:00"),
                unsaved(3, "Into it", "10:30", "11:30"),
                unsaved(4, "Touching it", "10:00", "11:00"),
            ],
            [("Before", 0), ("Touching it", 0), ("Into it", 1)],
            0,
            id="a fixed talk later keeps its room",
        ),
        pytest.param(
            [
                unsaved(1, "Fixed", "09:00", "10:00", room_id=10),
                unsaved(2, "Fixed too", "09:00", "10:00", room_id=20),
                unsaved(3, "A", "09:30", "10:30"),
            ],
            [("A", 2)],
            1,
            id="every room taken",
        ),
        pytest.param(
            [
                unsaved(1, "Cancelled", "09:00", "10:00", room_id=10, cancelled=True),
                unsaved(2, "A", "09:00", "10:00"),
            ],
            [("A", 0)],
            0,
            id="a cancelled talk frees its room",
        ),
    ],
)
def test_partition_into_rooms_keeps_talks_that_have_a_room(talks, expected, new_rooms):
    plan = partition_into_rooms(talks, room_ids=[10, 20])

    assert slots(plan) == expected
    assert plan.new_rooms == new_rooms


def test_partition_into_rooms_leaves_out_breaks_cancelled_and_unscheduled_talks():
    talks = [
        unsaved(1, "Coffee", "10:00", "10:30", kind="break"),
        unsaved(2, "Cancelled", "10:00", "10:30", cancelled=True),
        unsaved(3, "Unscheduled"),
        unsaved(4, "Talk", "10:00", "10:30"),
    ]

    plan = partition_into_rooms(talks)

    assert plan == RoomPlan(placements=[(talks[3], 0)], existing=0, new_rooms=1)


# rooms_assign, on rows


def test_rooms_assign_gives_the_2012_agenda_three_rooms(kvm_forum):
    result = rooms_assign(event=kvm_forum)

    rooms = list(kvm_forum.rooms.values_list("name", "slug", "position"))
    assert rooms == [("Room 1", "room-1", 1), ("Room 2", "room-2", 2), ("Room 3", "room-3", 3)]
    assert (result.talks_assigned, result.talks_kept, result.talks_skipped) == (34, 0, 0)
    assert (result.rooms_created, result.rooms_used) == (["Room 1", "Room 2", "Room 3"], 3)
    assert result.warnings == []
    assert Talk.objects.filter(event=kvm_forum, room__isnull=True).count() == 0


def test_rooms_assign_leaves_the_2012_agenda_without_room_clashes(kvm_forum):
    before = {problem.code for problem in schedule_problems(kvm_forum)}

    rooms_assign(event=kvm_forum)

    after = [problem.code for problem in schedule_problems(kvm_forum)]
    assert Code.NO_ROOM_IN_PARALLEL in before
    assert Code.ROOM_OVERLAP not in after
    assert Code.NO_ROOM_IN_PARALLEL not in after


def test_rooms_assign_summary_reports_the_counts(kvm_forum):
    result = rooms_assign(event=kvm_forum)

    assert result.summary() == (
        "Event kvm-forum-2012: 34 talks assigned to rooms, 0 kept in the room they had, "
        "0 left without a room (breaks, cancelled or unscheduled). "
        "Rooms: 3 created (Room 1, Room 2, Room 3), 3 in use."
    )
    assert result.changed is True


def test_rooms_assign_a_second_time_assigns_and_creates_nothing(kvm_forum):
    rooms_assign(event=kvm_forum)
    placed = dict(Talk.objects.filter(event=kvm_forum).values_list("pk", "room_id"))

    result = rooms_assign(event=kvm_forum)

    assert (result.talks_assigned, result.talks_kept, result.rooms_created) == (0, 34, [])
    assert result.rooms_used == 3
    assert result.changed is False
    assert dict(Talk.objects.filter(event=kvm_forum).values_list("pk", "room_id")) == placed
    assert kvm_forum.rooms.count() == 3


def test_rooms_assign_dry_run_reports_exactly_and_writes_nothing(kvm_forum):
    updated = dict(Talk.objects.filter(event=kvm_forum).values_list("pk", "updated"))

    result = rooms_assign(event=kvm_forum, dry_run=True)

    assert result.dry_run is True
    assert (result.talks_assigned, result.rooms_created) == (34, ["Room 1", "Room 2", "Room 3"])
    assert not Room.objects.exists()
    assert dict(Talk.objects.filter(event=kvm_forum).values_list("pk", "updated")) == updated
    assert Talk.objects.filter(event=kvm_forum, room__isnull=False).count() == 0


def rooms_of(event):
    return dict(Talk.objects.filter(event=event).values_list("title", "room__name"))


def test_rooms_assign_never_moves_a_talk_and_fills_rooms_only_where_free(event):
    hall = RoomFactory(event=event, name="Hall", slug="hall", position=0)
    annex = RoomFactory(event=event, name="Annex", slug="annex", position=5)
    scheduled_talk(event, "In the hall", (9, 0), (10, 0), room=hall)
    scheduled_talk(event, "In the annex later", (11, 0), (12, 0), room=annex)
    scheduled_talk(event, "At nine", (9, 0), (10, 0))
    scheduled_talk(event, "At ten", (10, 0), (11, 0))
    scheduled_talk(event, "Into the annex's talk", (10, 30), (11, 30))

    result = rooms_assign(event=event)

    assert rooms_of(event) == {
        "In the hall": "Hall",
        "In the annex later": "Annex",
        "At nine": "Annex",
        "At ten": "Hall",
        "Into the annex's talk": "Room 1",
    }
    assert (result.talks_assigned, result.talks_kept, result.rooms_created) == (3, 2, ["Room 1"])
    assert list(event.rooms.values_list("name", "position")) == [
        ("Hall", 0),
        ("Annex", 5),
        ("Room 1", 6),
    ]
    assert [p.code for p in schedule_problems(event) if p.code == Code.ROOM_OVERLAP] == []


@pytest.mark.parametrize(
    ("existing", "created"),
    [
        pytest.param([], [("Room 1", "room-1", 1), ("Room 2", "room-2", 2)], id="no rooms"),
        pytest.param(
            [("Hall", "hall", 4)],
            [("Room 1", "room-1", 5), ("Room 2", "room-2", 6)],
            id="after other names",
        ),
        pytest.param(
            [("Room 2", "second", 0)],
            [("Room 3", "room-3", 1), ("Room 4", "room-4", 2)],
            id="numbers go on past the highest",
        ),
        pytest.param(
            [("room 1", "r1", 0), ("Main", "room-2", 1)],
            [("Room 3", "room-3", 2), ("Room 4", "room-4", 3)],
            id="names and slugs taken are skipped",
        ),
    ],
)
def test_rooms_assign_names_new_rooms_after_existing_ones(event, existing, created):
    for name, slug, position in existing:
        room = RoomFactory(event=event, name=name, slug=slug, position=position)
        scheduled_talk(event, f"In {name}", (9, 0), (10, 0), room=room)
    scheduled_talk(event, "A", (9, 0), (10, 0))
    scheduled_talk(event, "B", (9, 0), (10, 0))

    result = rooms_assign(event=event)

    assert result.rooms_created == [name for name, _, _ in created]
    new_rooms = event.rooms.filter(name__in=result.rooms_created)
    assert list(new_rooms.values_list("name", "slug", "position")) == created


def test_rooms_assign_leaves_breaks_cancelled_and_unscheduled_talks_roomless(event):
    scheduled_talk(event, "Coffee", (10, 0), (10, 30), kind=Talk.Kind.BREAK)
    scheduled_talk(event, "Cancelled", (10, 0), (10, 30), is_cancelled=True)
    TalkFactory(event=event, title="Unscheduled", start=None, end=None)
    scheduled_talk(event, "Talk", (10, 0), (10, 30))

    result = rooms_assign(event=event)

    assert rooms_of(event) == {
        "Coffee": None,
        "Cancelled": None,
        "Unscheduled": None,
        "Talk": "Room 1",
    }
    assert (result.talks_assigned, result.talks_kept, result.talks_skipped) == (1, 0, 3)


def test_rooms_assign_reports_a_room_clash_that_was_there_and_makes_no_new_one(event):
    hall = RoomFactory(event=event, name="Hall", slug="hall")
    scheduled_talk(event, "Keynote", (9, 0), (10, 0), room=hall)
    scheduled_talk(event, "Squeezed in", (9, 30), (10, 0), room=hall)
    scheduled_talk(event, "Roomless", (9, 0), (10, 0))

    result = rooms_assign(event=event)

    assert result.warnings == [
        "A room clash that was there before stays: “Squeezed in” is in Hall at the same time "
        "as “Keynote” (Wed 07 Nov 09:00–10:00)."
    ]
    assert rooms_of(event)["Roomless"] == "Room 1"
    overlaps = [p for p in schedule_problems(event) if p.code == Code.ROOM_OVERLAP]
    assert [[t.title for t in p.talks] for p in overlaps] == [["Squeezed in", "Keynote"]]


def test_rooms_assign_ignores_speakers(event):
    """Room assignment places talks; a speaker's clash is the organiser's to solve."""
    avi = SpeakerFactory(name="Avi Kivity")
    scheduled_talk(event, "A", (9, 0), (10, 0), speakers=[avi])
    scheduled_talk(event, "B", (9, 0), (10, 0), speakers=[avi])

    result = rooms_assign(event=event)

    assert result.talks_assigned == 2
    assert sorted(rooms_of(event).values()) == ["Room 1", "Room 2"]


def test_rooms_assign_saves_nothing_when_the_plan_would_make_a_room_clash(event, monkeypatch):
    """The clash rules check the outcome: a faulty plan is rolled back, not saved."""
    scheduled_talk(event, "A", (9, 0), (10, 0))
    scheduled_talk(event, "B", (9, 30), (10, 30))

    def one_room_for_all(talks, *, room_ids=()):
        roomless = [talk for talk in talks if talk.room_id is None]
        return RoomPlan(
            placements=[(talk, 0) for talk in roomless], existing=len(room_ids), new_rooms=1
        )

    monkeypatch.setattr(rooms_module, "partition_into_rooms", one_room_for_all)

    with pytest.raises(RoomAssignmentError) as caught:
        rooms_assign(event=event)

    assert str(caught.value) == (
        "Assigning rooms would put talks in one room at once; nothing was saved: "
        "“B” is in Room 1 at the same time as “A” (Wed 07 Nov 09:00–10:00)."
    )
    assert not Room.objects.exists()
    assert rooms_of(event) == {"A": None, "B": None}


def test_rooms_assign_across_midnight(db):
    event = EventFactory(slug="late", end_date=datetime.date(2012, 11, 9))
    for title in ("Late show", "After hours"):
        TalkFactory(
            event=event,
            title=title,
            start=venue_time(event, 2012, 11, 7, 23, 30),
            end=venue_time(event, 2012, 11, 8, 0, 30),
        )
    TalkFactory(
        event=event,
        title="Early bird",
        start=venue_time(event, 2012, 11, 8, 0, 30),
        end=venue_time(event, 2012, 11, 8, 1, 0),
    )

    result = rooms_assign(event=event)

    assert (result.talks_assigned, result.rooms_created) == (3, ["Room 1", "Room 2"])
    assert rooms_of(event) == {
        "Late show": "Room 1",
        "After hours": "Room 2",
        "Early bird": "Room 1",
    }
