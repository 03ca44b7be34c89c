"""The schedule laid out for a page: days, rows, columns and what is on now.

The page template only places what this module computes. An event whose
talks have rooms gets a grid per day, rooms as columns and the moments at
which talks start or end as rows, each talk spanning the rows of its
duration and a roomless talk (a break, a plenary) spanning every room. An
event without rooms (the 2012 agenda) gets slots instead: the talks that
start together, side by side.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from schedule.clashes import room_overlaps

HEADER_ROWS = 1  # the row of room names above the grid


@dataclass
class TimetableEntry:
    talk: object
    start: datetime.datetime  # in the event's zone
    end: datetime.datetime
    grid_row: str = ""
    grid_column: str = ""
    is_now: bool = False
    is_next: bool = False

    @property
    def spans_all_rooms(self):
        return self.grid_column.endswith("-1")


@dataclass
class TimeLabel:
    time: datetime.datetime
    grid_row: int


@dataclass
class Slot:
    start: datetime.datetime
    entries: list[TimetableEntry]


@dataclass
class TimetableDay:
    date: datetime.date
    entries: list[TimetableEntry]
    rooms: list = field(default_factory=list)
    time_labels: list[TimeLabel] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    # Talks sharing a room at the same time: the grid cannot show them truthfully.
    unplaced: list[TimetableEntry] = field(default_factory=list)
    is_today: bool = False
    now: datetime.datetime | None = None  # the venue's clock, on the venue's current day

    @property
    def now_entries(self):
        return [entry for entry in self.entries if entry.is_now]

    @property
    def next_entries(self):
        return [entry for entry in self.entries if entry.is_next]


def _mark_now_and_next(entries, now):
    running = [entry for entry in entries if entry.start <= now < entry.end]
    for entry in running:
        entry.is_now = True
    upcoming = [entry.start for entry in entries if entry.start > now]
    if upcoming:
        soonest = min(upcoming)
        for entry in entries:
            entry.is_next = entry.start == soonest


def _lay_out_grid(day, rooms):
    day.rooms = rooms
    column_of = {room.pk: index for index, room in enumerate(rooms, start=2)}
    boundaries = sorted({entry.start for entry in day.entries} | {e.end for e in day.entries})
    row_of = {moment: index for index, moment in enumerate(boundaries, start=1 + HEADER_ROWS)}
    for entry in day.entries:
        entry.grid_row = f"{row_of[entry.start]} / {row_of[entry.end]}"
        room_id = entry.talk.room_id
        entry.grid_column = str(column_of[room_id]) if room_id in column_of else "2 / -1"
    starts = sorted({entry.start for entry in day.entries})
    day.time_labels = [TimeLabel(time=moment, grid_row=row_of[moment]) for moment in starts]


def _lay_out_slots(day):
    day.slots = [
        Slot(start=start, entries=list(entries))
        for start, entries in groupby(day.entries, key=lambda entry: entry.start)
    ]


def build_timetable(event, talks, *, now, use_rooms):
    """Days of ``talks`` (scheduled, sorted by start) as the schedule page shows them.

    ``now`` marks what is on and what comes next, on the venue's current day
    only. ``use_rooms`` chooses the grid over slots for every day alike, so the
    page keeps one shape whatever the filters leave. Talks that the schedule's
    rules find sharing a room at the same time are kept off the grid (it cannot
    show them truthfully) and listed as to be confirmed.
    """
    local_now = now.astimezone(event.tz)
    clashing = set()
    if use_rooms:
        clashing = {talk.pk for problem in room_overlaps(talks, event) for talk in problem.talks}
    entries = [
        TimetableEntry(
            talk=talk, start=event.local_time(talk.start), end=event.local_time(talk.end)
        )
        for talk in talks
    ]
    days = []
    for date, day_entries in groupby(entries, key=lambda entry: entry.start.date()):
        day_entries = list(day_entries)
        day = TimetableDay(
            date=date,
            entries=[entry for entry in day_entries if entry.talk.pk not in clashing],
            unplaced=[entry for entry in day_entries if entry.talk.pk in clashing],
        )
        day.is_today = date == local_now.date()
        if day.is_today:
            day.now = local_now
            _mark_now_and_next(day.entries, local_now)
        if use_rooms:
            rooms = sorted(
                {entry.talk.room for entry in day.entries if entry.talk.room_id},
                key=lambda room: (room.position, room.name),
            )
            _lay_out_grid(day, rooms)
        else:
            _lay_out_slots(day)
        days.append(day)
    return days
