"""The board of one event day, laid out in Python: columns, 15-minute rows and cards.

Rooms are columns and time runs down the side in rows of ``STEP``, over the
day's span of hours: from the hour of its first start to the end of its last
talk, rounded up to the hour (09:00–18:00 on a day without talks). Each card
knows its grid row and column, and talks that overlap in one room share its
width in lanes; every card carries its clash problems as text.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Q
from django.utils.translation import gettext, ngettext

from conference.models import Event, Room
from schedule.clashes import schedule_problems, talks_for_checks, usual_slot
from schedule.models import Talk

STEP = datetime.timedelta(minutes=15)
OPENING, CLOSING = datetime.time(9), datetime.time(18)  # the hours of a day without talks
HEADER_ROWS = 1  # the row of room names


@dataclass
class BoardCard:
    talk: Talk
    track: object
    speakers: list
    start: datetime.datetime | None = None  # in the event's zone
    end: datetime.datetime | None = None
    day: datetime.date | None = None  # the venue's day it starts on
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    grid_row: str = ""
    grid_column: int = 0
    lane: int = 0  # overlapping cards in one column sit side by side,
    lanes: int = 1  # in as many lanes as the overlap needs

    @property
    def stamp(self):
        return self.talk.updated.isoformat()

    @property
    def problems_text(self):
        return " ".join(self.errors + self.warnings)

    @property
    def problems_count(self):
        """The card's problems counted in words, errors first: "1 error, 2 warnings"."""
        counts = []
        if self.errors:
            count = len(self.errors)
            counts.append(ngettext("%(count)d error", "%(count)d errors", count) % {"count": count})
        if self.warnings:
            count = len(self.warnings)
            counts.append(
                ngettext("%(count)d warning", "%(count)d warnings", count) % {"count": count}
            )
        return ", ".join(counts)


@dataclass
class BoardColumn:
    room: Room | None
    name: str
    grid_column: int


@dataclass
class BoardRow:
    moment: datetime.datetime  # in the event's zone
    grid_row: int
    is_later_day: bool  # past midnight, on the next day

    def __post_init__(self):
        # Printed once per cell, so formatted once per row.
        self.is_hour = self.moment.minute == 0
        self.day_value = f"{self.moment:%Y-%m-%d}"
        self.time_value = f"{self.moment:%H:%M}"


@dataclass
class BoardCell:
    row: BoardRow
    column: BoardColumn


@dataclass
class BoardDayLink:
    date: datetime.date
    talk_count: int


@dataclass
class Board:
    event: Event
    day: datetime.date
    days: list[BoardDayLink]
    columns: list[BoardColumn]
    rows: list[BoardRow]
    cards: list[BoardCard]
    unscheduled: list[BoardCard]
    elsewhere: list[BoardCard]  # scheduled outside the event's days
    error_count: int
    warning_count: int

    @property
    def cells(self):
        return [BoardCell(row, column) for row in self.rows for column in self.columns]

    @property
    def rooms(self):
        return [column.room for column in self.columns if column.room is not None]


def _hour_floor(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def _window(event, day, cards):
    """First and last instants of the board: the day's talks, from hour to hour."""
    if not cards:
        opening = datetime.datetime.combine(day, OPENING, tzinfo=event.tz)
        closing = datetime.datetime.combine(day, CLOSING, tzinfo=event.tz)
        return opening.astimezone(datetime.UTC), closing.astimezone(datetime.UTC)
    opening = _hour_floor(event.local_time(min(card.talk.start for card in cards)))
    closing = event.local_time(max(card.talk.end for card in cards))
    if _hour_floor(closing) != closing:
        closing = _hour_floor(closing).astimezone(datetime.UTC) + datetime.timedelta(hours=1)
    return opening.astimezone(datetime.UTC), closing.astimezone(datetime.UTC)


def _share_lanes(cards):
    """Lanes for one column's ``cards`` (by start): clashing cards sit side by side.

    Each card takes the first lane free at its start; the cards of a run of
    overlaps share the column's width between that run's lanes.
    """
    runs, run_end = [], None
    for card in cards:
        start, end = card.talk.start, card.talk.end
        if not runs or start >= run_end:
            runs.append(([], []))  # the run's cards, and when each of its lanes frees up
            run_end = end
        members, lane_ends = runs[-1]
        free = [lane for lane, lane_end in enumerate(lane_ends) if lane_end <= start]
        card.lane = free[0] if free else len(lane_ends)
        if free:
            lane_ends[card.lane] = end
        else:
            lane_ends.append(end)
        members.append(card)
        run_end = max(run_end, end)
    for members, lane_ends in runs:
        for card in members:
            card.lanes = len(lane_ends)


def _place(cards, columns, opening):
    column_of = {column.room.pk if column.room else None: column for column in columns}
    in_column = {}
    # Instants, not wall-clock times: a day with a DST change has 23 or 25 hours.
    for card in sorted(cards, key=lambda card: (card.talk.start, card.talk.pk)):
        first = (card.talk.start - opening) // STEP
        last = max(-((opening - card.talk.end) // STEP), first + 1)  # rounded up
        card.grid_row = f"{first + HEADER_ROWS + 1} / {last + HEADER_ROWS + 1}"
        # A room the board does not know (there is none: triggers keep rooms in
        # their event) would show the card as roomless rather than fail.
        column = column_of.get(card.talk.room_id, column_of[None])
        card.grid_column = column.grid_column
        in_column.setdefault(card.grid_column, []).append(card)
    for column_cards in in_column.values():
        _share_lanes(column_cards)


def _talks_on_the_board(event, day):
    """The talks a board of ``day`` shows or checks its cards against.

    The day's (and any running into it across midnight), the unscheduled
    ones and those outside the event's days: no rule finds a problem between
    a talk of this day and one of another (they never share a moment), so a
    30-room event's other days need not be loaded at all.
    """
    day_start, day_end = event.day_bounds(day)
    event_start, _ = event.day_bounds(event.days[0])
    _, event_end = event.day_bounds(event.days[-1])
    return talks_for_checks(
        event,
        only=Q(start__lt=day_end, end__gt=day_start)
        | Q(start__isnull=True)
        | Q(start__lt=event_start)
        | Q(start__gte=event_end),
    )


def _every_scheduled_talk(event):
    """Each scheduled talk's times and kind, without a model per talk: the day links
    count them and the usual slot (what counts as long) is the whole event's."""
    rows = Talk.objects.filter(event=event, start__isnull=False).values_list(
        "start", "end", "kind", "is_cancelled"
    )
    return [SimpleNamespace(start=s, end=e, kind=k, is_cancelled=c) for s, e, k, c in rows]


def board_for_day(event, day):
    """The board of ``event`` on ``day``, its talks' problems marked, in a few queries."""
    talks = _talks_on_the_board(event, day)
    everything = _every_scheduled_talk(event)
    rooms = list(event.rooms.all())
    tracks = {track.pk: track for track in event.tracks.all()}
    errors, warnings = {}, {}
    for problem in schedule_problems(event, talks, usual=usual_slot(everything)):
        for talk in problem.talks:
            found = errors if problem.is_error else warnings
            found.setdefault(talk.pk, []).append(problem)

    def card_of(talk):
        card = BoardCard(
            talk=talk,
            track=tracks.get(talk.track_id),
            speakers=[link.speaker for link in talk.talk_speakers.all()],
            errors=[problem.message for problem in errors.get(talk.pk, [])],
            warnings=[problem.message for problem in warnings.get(talk.pk, [])],
        )
        if talk.start is not None:
            card.start, card.end = event.local_time(talk.start), event.local_time(talk.end)
            card.day = event.local_date(talk.start)
        return card

    cards = [card_of(talk) for talk in talks]
    columns = [
        BoardColumn(room=room, name=room.name, grid_column=index)
        for index, room in enumerate(rooms, start=2)
    ]
    columns.append(BoardColumn(room=None, name=gettext("No room"), grid_column=len(rooms) + 2))
    today = [card for card in cards if card.day == day]
    opening, closing = _window(event, day, today)
    _place(today, columns, opening)
    rows = []
    moment = opening
    while moment < closing:
        local = event.local_time(moment)
        row = len(rows) + HEADER_ROWS + 1
        is_later_day = event.local_date(moment) != day
        rows.append(BoardRow(moment=local, grid_row=row, is_later_day=is_later_day))
        moment += STEP
    per_day = Counter(event.local_date(talk.start) for talk in everything)
    return Board(
        event=event,
        day=day,
        days=[BoardDayLink(date, per_day[date]) for date in event.days],
        columns=columns,
        rows=rows,
        cards=today,
        unscheduled=[card for card in cards if card.start is None],
        elsewhere=[card for card in cards if card.day and card.day not in event.days],
        error_count=len({problem for card in today for problem in errors.get(card.talk.pk, [])}),
        warning_count=len(
            {problem for card in today for problem in warnings.get(card.talk.pk, [])}
        ),
    )
