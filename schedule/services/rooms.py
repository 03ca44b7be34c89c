"""Giving roomless talks a room: as few rooms as the overlaps require.

An imported agenda (the 2012 one) has times but no rooms. ``rooms_assign``
puts every roomless talk into a room, creating rooms with neutral names
("Room 1", "Room 2"…) when the event has too few, and never moves a talk that
already has one. The placement itself is ``partition_into_rooms``, a pure
function: classic interval partitioning (talks by start, a min-heap of the
new rooms' end times), extended to fill the event's existing rooms first
wherever they are free around the talks already in them.
"""

import heapq
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from conference.models import Event, Room
from schedule.clashes import Code, schedule_problems, talks_for_checks
from schedule.models import Talk

NEW_ROOM_NAME = "Room {number}"
_NEW_ROOM_NAME_PATTERN = re.compile(r"room (\d+)", re.IGNORECASE)


class RoomAssignmentError(RuntimeError):
    """The assignment would have put two talks in one room at once; nothing was saved."""


@dataclass(frozen=True)
class RoomPlan:
    """Where ``partition_into_rooms`` puts each talk.

    ``placements`` pairs each placed talk with a slot: slots below
    ``existing`` are the existing rooms, in the order given; the others are
    rooms to create, in order of first use.
    """

    placements: list
    existing: int
    new_rooms: int


def _takes_time(talk):
    return talk.start is not None and talk.end is not None and not talk.is_cancelled


def _to_place(talk):
    # A break spans every room, so it belongs in none.
    return _takes_time(talk) and talk.room_id is None and talk.kind != Talk.Kind.BREAK


def partition_into_rooms(talks, *, room_ids=()):
    """A room slot for each roomless talk of ``talks``, using as few rooms as needed.

    ``room_ids`` are the existing rooms, in the order to try them. Talks that
    have a room stay in it and keep it busy; cancelled and unscheduled talks,
    and breaks, are not placed. Intervals are half-open: a talk ending at 10:00
    and one starting at 10:00 may share a room.

    Each talk, in order of start (the shorter first when two start together),
    goes into the first existing room that is free for its whole length;
    failing that, into the new room that became free earliest (the top of a
    min-heap of end times), or a further new room if none is free yet. Without
    talks fixed in existing rooms, this uses as many rooms as the most talks
    running at once, which is the fewest possible. With fixed talks it is a
    good greedy answer, not always the fewest (that problem is NP-hard).
    """
    room_ids = list(room_ids)
    slot_of_room = {room_id: slot for slot, room_id in enumerate(room_ids)}
    fixed = [[] for _ in room_ids]
    for talk in talks:
        if _takes_time(talk) and talk.room_id in slot_of_room:
            fixed[slot_of_room[talk.room_id]].append((talk.start, talk.end))
    placed_until = [None] * len(room_ids)  # the end of the last talk placed in each room
    new_room_ends = []  # heap of (end of its last talk, number of the new room)

    def existing_room_free(slot, talk):
        if placed_until[slot] is not None and placed_until[slot] > talk.start:
            return False
        return all(end <= talk.start or talk.end <= start for start, end in fixed[slot])

    placements = []
    # sorted() is stable: talks starting together keep the order they came in.
    for talk in sorted(filter(_to_place, talks), key=lambda talk: (talk.start, talk.end)):
        slot = next((s for s in range(len(room_ids)) if existing_room_free(s, talk)), None)
        if slot is not None:
            placed_until[slot] = talk.end
        else:
            if new_room_ends and new_room_ends[0][0] <= talk.start:
                _, number = heapq.heappop(new_room_ends)
            else:
                number = len(new_room_ends)
            heapq.heappush(new_room_ends, (talk.end, number))
            slot = len(room_ids) + number
        placements.append((talk, slot))
    return RoomPlan(placements=placements, existing=len(room_ids), new_rooms=len(new_room_ends))


@dataclass
class RoomAssignmentResult:
    """What ``rooms_assign`` did (or, on a dry run, would do)."""

    event_slug: str
    dry_run: bool
    talks_assigned: int = 0
    talks_kept: int = 0  # already had a room, left in it
    talks_skipped: int = 0  # roomless and left so: breaks, cancelled and unscheduled talks
    rooms_created: list[str] = field(default_factory=list)
    rooms_used: int = 0  # rooms holding a scheduled talk afterwards
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.talks_assigned or self.rooms_created)

    def summary(self):
        created = len(self.rooms_created)
        names = f" ({', '.join(self.rooms_created)})" if created else ""
        assigned = ngettext("%(count)d talk", "%(count)d talks", self.talks_assigned) % {
            "count": self.talks_assigned
        }
        return gettext(
            "Event %(event)s: %(assigned)s assigned to rooms, "
            "%(kept)d kept in the room they had, "
            "%(skipped)d left without a room (breaks, cancelled or unscheduled). "
            "Rooms: %(created)d created%(names)s, %(used)d in use."
        ) % {
            "event": self.event_slug,
            "assigned": assigned,
            "kept": self.talks_kept,
            "skipped": self.talks_skipped,
            "created": created,
            "names": names,
            "used": self.rooms_used,
        }


def _problem_key(problem):
    return (problem.code, frozenset(talk.pk for talk in problem.talks))


def _room_overlaps(event, talks=None):
    return [
        problem for problem in schedule_problems(event, talks) if problem.code == Code.ROOM_OVERLAP
    ]


def _new_rooms(event, rooms, count):
    """``count`` unsaved rooms named "Room N", numbered on from the event's own."""
    numbers = [
        int(match[1])
        for room in rooms
        if (match := _NEW_ROOM_NAME_PATTERN.fullmatch(room.name.strip()))
    ]
    names = {room.name.casefold() for room in rooms}
    slugs = {room.slug for room in rooms}
    number = max(numbers, default=0)
    position = max((room.position for room in rooms), default=0)
    created = []
    while len(created) < count:
        number += 1
        name = NEW_ROOM_NAME.format(number=number)
        slug = slugify(name)
        if name.casefold() in names or slug in slugs:
            continue
        position += 1
        created.append(Room(event=event, name=name, slug=slug, position=position))
    return created


def rooms_assign(*, event, dry_run=False):
    """Put every roomless talk of ``event`` into a room, creating rooms as needed.

    Talks with a room are never moved; roomless ones go into existing rooms
    (by ``position``) where those are free, then into new rooms. The clash
    rules check the outcome: a room overlap that was not there before rolls
    everything back with :class:`RoomAssignmentError`. A dry run does all the
    work and rolls it back, so its counts are exact.
    """
    with transaction.atomic():
        # One assignment per event at a time: two would both create "Room 1".
        event = Event.objects.select_for_update().get(pk=event.pk)
        talks = talks_for_checks(event)
        overlaps_before = _room_overlaps(event, talks)
        rooms = list(event.rooms.order_by("position", "name", "pk"))
        plan = partition_into_rooms(talks, room_ids=[room.pk for room in rooms])

        created = _new_rooms(event, rooms, plan.new_rooms)
        for room in created:
            room.full_clean()
            room.save()
        slots = rooms + created
        for talk, slot in plan.placements:
            talk.room = slots[slot]
            talk.save(update_fields=["room", "updated"])

        # Read back from the database: the rules judge what was saved.
        overlaps_after = _room_overlaps(event)
        known = {_problem_key(problem) for problem in overlaps_before}
        made = [problem for problem in overlaps_after if _problem_key(problem) not in known]
        if made:
            raise RoomAssignmentError(
                gettext(
                    "Assigning rooms would put talks in one room at once; nothing was saved: "
                    "%(clashes)s"
                )
                % {"clashes": " ".join(problem.message for problem in made)}
            )

        placed = {talk.pk for talk, _ in plan.placements}
        result = RoomAssignmentResult(
            event_slug=event.slug,
            dry_run=dry_run,
            talks_assigned=len(plan.placements),
            talks_kept=sum(1 for talk in talks if talk.room_id and talk.pk not in placed),
            talks_skipped=sum(1 for talk in talks if talk.room_id is None),
            rooms_created=[room.name for room in created],
            rooms_used=len({talk.room_id for talk in talks if _takes_time(talk) and talk.room_id}),
            warnings=[
                gettext("A room clash that was there before stays: %(clash)s")
                % {"clash": problem.message}
                for problem in overlaps_before
            ],
        )
        if dry_run:
            transaction.set_rollback(True)
    return result
