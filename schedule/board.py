"""The schedule board: an admin page per event and day to move talks around.

Rooms are columns and time runs down the side in 15-minute rows, every empty
cell a place to drop a talk. Organisers move a talk by dragging it
(``static/js/board.js``) or with the small form on its card, and swap two by
dropping one onto the other. Every change is a POST that the services in
``schedule.services.board`` check against the clash rules, then a redirect
back to the board, which is always drawn from the database.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import partial, wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from conference.models import Event, Room
from conference.venue_time import NonexistentTimeError, describe_zone, venue_datetime
from schedule.clashes import schedule_problems, talks_for_checks
from schedule.models import Talk
from schedule.services.board import BoardError, talk_move, talks_swap

STEP = datetime.timedelta(minutes=15)
OPENING, CLOSING = datetime.time(8), datetime.time(20)  # the least a board day shows
HEADER_ROWS = 1  # the row of room names
PERMISSION = "schedule.change_talk"
# What the page's forms post, and what a refusal carries back to offer it again with force.
MOVE_FIELDS = ["talk", "room", "day", "start", "seen_updated"]
SWAP_FIELDS = ["first", "second", "seen_first", "seen_second"]


# Forms ---------------------------------------------------------------------


class StampField(forms.CharField):
    """A talk's ``updated`` stamp as the board printed it (ISO 8601, with its offset)."""

    default_error_messages = {
        "required": "The board sent no version of the talk; reload the board and try again.",
        "invalid": "The board sent an unreadable version of the talk; reload the board.",
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            stamp = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if stamp.tzinfo is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return stamp


def _talk_field(**kwargs):
    return forms.ModelChoiceField(
        queryset=Talk.objects.none(),
        error_messages={
            "required": "Choose a talk.",
            "invalid_choice": "That talk is not on this event's board any more; "
            "someone may have deleted it.",
        },
        **kwargs,
    )


class BoardMoveForm(forms.Form):
    """Where to put a talk: a room (or none) and a wall-clock start (or none: unscheduled)."""

    talk = _talk_field()
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(),
        required=False,
        empty_label="No room",
        error_messages={"invalid_choice": "That room is not one of this event's rooms."},
    )
    day = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    start = forms.TimeField(required=False, input_formats=["%H:%M", "%H:%M:%S"])
    seen_updated = StampField()
    force = forms.BooleanField(required=False, label="Save despite the clash")

    def __init__(self, data, *, event):
        super().__init__(data)
        self.event = event
        self.fields["talk"].queryset = Talk.objects.filter(event=event)
        self.fields["room"].queryset = Room.objects.filter(event=event)

    def clean(self):
        cleaned_data = super().clean()
        day, start = cleaned_data.get("day"), cleaned_data.get("start")
        cleaned_data["start_at"] = None
        if start is not None and day is None and not self.has_error("day"):
            self.add_error("day", "Give the day of the new start.")
        elif start is not None and day is not None:
            try:
                cleaned_data["start_at"] = venue_datetime(
                    datetime.datetime.combine(day, start), self.event.tz
                )
            except NonexistentTimeError as error:
                self.add_error("start", ValidationError(str(error), code="nonexistent_time"))
        return cleaned_data


class BoardSwapForm(forms.Form):
    first = _talk_field()
    second = _talk_field()
    seen_first = StampField()
    seen_second = StampField()
    force = forms.BooleanField(required=False, label="Save despite the clash")

    def __init__(self, data, *, event):
        super().__init__(data)
        self.event = event
        for name in ("first", "second"):
            self.fields[name].queryset = Talk.objects.filter(event=event)


def _errors_text(form):
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


# Layout --------------------------------------------------------------------


@dataclass
class BoardCard:
    talk: Talk
    track: object
    speakers: list
    start: datetime.datetime | None = None  # in the event's zone
    end: datetime.datetime | None = None
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
    """First and last instants of the board: 08:00–20:00, widened to fit every card."""
    opening = datetime.datetime.combine(day, OPENING, tzinfo=event.tz)
    closing = datetime.datetime.combine(day, CLOSING, tzinfo=event.tz)
    if cards:
        first = event.local_time(min(card.talk.start for card in cards))
        opening = min(opening, _hour_floor(first))
        last = event.local_time(max(card.talk.end for card in cards))
        if _hour_floor(last) != last:
            last = _hour_floor(last).astimezone(datetime.UTC) + datetime.timedelta(hours=1)
        closing = max(closing, last)
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


def board_for_day(event, day):
    """The board of ``event`` on ``day``, its talks' problems marked, in a few queries."""
    talks = talks_for_checks(event)
    rooms = list(event.rooms.all())
    tracks = {track.pk: track for track in event.tracks.all()}
    errors, warnings = {}, {}
    for problem in schedule_problems(event, talks):
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
        return card

    cards = [card_of(talk) for talk in talks]
    columns = [
        BoardColumn(room=room, name=room.name, grid_column=index)
        for index, room in enumerate(rooms, start=2)
    ]
    columns.append(BoardColumn(room=None, name="No room", grid_column=len(rooms) + 2))
    today = [card for card in cards if card.start and card.start.date() == day]
    opening, closing = _window(event, day, today)
    _place(today, columns, opening)
    rows = []
    moment = opening
    while moment < closing:
        local = event.local_time(moment)
        row = len(rows) + HEADER_ROWS + 1
        rows.append(BoardRow(moment=local, grid_row=row, is_later_day=local.date() != day))
        moment += STEP
    per_day = Counter(card.start.date() for card in cards if card.start)
    return Board(
        event=event,
        day=day,
        days=[BoardDayLink(date, per_day[date]) for date in event.days],
        columns=columns,
        rows=rows,
        cards=today,
        unscheduled=[card for card in cards if card.start is None],
        elsewhere=[card for card in cards if card.start and card.start.date() not in event.days],
        error_count=len({problem for card in today for problem in errors.get(card.talk.pk, [])}),
        warning_count=len(
            {problem for card in today for problem in warnings.get(card.talk.pk, [])}
        ),
    )


# Views ---------------------------------------------------------------------


def _needs_permission(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def _event_day(event, value):
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if day in event.days else None


def _describe(talk, event):
    if talk.start is None:
        return "the unscheduled talks"
    start, end = event.local_time(talk.start), event.local_time(talk.end)
    room = talk.room.name if talk.room_id else "no room"
    return f"{room}, {start:%a %-d %b %H:%M}–{end:%H:%M %Z}"


def _clash_text(problems):
    return " ".join(problem.message for problem in problems)


def _board_url(admin_site, event, day, query=None, anchor=""):
    url = reverse(f"{admin_site.name}:schedule_board_day", args=[event.pk, day.isoformat()])
    return url + (f"?{urlencode(query)}" if query else "") + anchor


def _retry(params, event, admin_site):
    """The refused move or swap that ``params`` describe, to offer again with force."""
    if params.get("retry") == "move":
        form = BoardMoveForm(params, event=event)
        if not form.is_valid():
            return None
        data = form.cleaned_data
        title, start = data["talk"].title, data["start_at"]
        where = "no room" if data["room"] is None else data["room"].name
        if start is None:
            description = f"Unschedule “{title}” ({where})"
        else:
            description = f"Move “{title}” to {where}, {start:%a %-d %b %H:%M %Z}"
        names, action = MOVE_FIELDS, "schedule_board_move"
    elif params.get("retry") == "swap":
        form = BoardSwapForm(params, event=event)
        if not form.is_valid():
            return None
        data = form.cleaned_data
        description = f"Swap “{data['first'].title}” and “{data['second'].title}”"
        names, action = SWAP_FIELDS, "schedule_board_swap"
    else:
        return None
    return {
        "description": description,
        "url": reverse(f"{admin_site.name}:{action}", args=[event.pk]),
        "fields": [(name, params.get(name, "")) for name in names],
    }


def _report(request, result, *, done, refused):
    """Tell the organiser what a move or swap did; True when it saved."""
    if not result.saved:
        messages.error(request, f"{refused}: {_clash_text(result.problems)}")
    elif result.forced:
        messages.warning(request, f"{done} Saved despite the clash: {_clash_text(result.problems)}")
    else:
        messages.success(request, done)
    return result.saved


def board_start(request, event_id, *, admin_site):
    event = get_object_or_404(Event, pk=event_id)
    return redirect(_board_url(admin_site, event, event.start_date))


def board_day(request, event_id, day, *, admin_site):
    event = get_object_or_404(Event, pk=event_id)
    day = _event_day(event, day)
    if day is None:
        raise Http404("The event does not run on that day.")
    board = board_for_day(event, day)
    context = {
        **admin_site.each_context(request),
        "title": f"Schedule board: {event.name}",
        "zone": describe_zone(event.tz, datetime.datetime.combine(day, OPENING, tzinfo=event.tz)),
        "subtitle": f"{day:%A %-d %B %Y}",
        "event": event,
        "board": board,
        "day_urls": [(link, _board_url(admin_site, event, link.date)) for link in board.days],
        "move_url": reverse(f"{admin_site.name}:schedule_board_move", args=[event.pk]),
        "swap_url": reverse(f"{admin_site.name}:schedule_board_swap", args=[event.pk]),
        "talks_url": reverse(f"{admin_site.name}:schedule_talk_changelist"),
        "retry": _retry(request.GET, event, admin_site),
    }
    return TemplateResponse(request, "admin/schedule/board.html", context)


def board_move(request, event_id, *, admin_site):
    event = get_object_or_404(Event, pk=event_id)
    back = _event_day(event, request.POST.get("board_day")) or event.start_date
    form = BoardMoveForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, f"The talk was not moved. {_errors_text(form)}")
        return redirect(_board_url(admin_site, event, back))
    data = form.cleaned_data
    talk = data["talk"]
    try:
        result = talk_move(
            talk=talk,
            room=data["room"],
            start=data["start_at"],
            seen_updated=data["seen_updated"],
            force=data["force"],
        )
    except BoardError as error:
        messages.error(request, str(error))
        return redirect(_board_url(admin_site, event, back, anchor=f"#talk-{talk.pk}"))
    (moved,) = result.talks
    if not _report(
        request,
        result,
        done=f"Moved “{moved.title}” to {_describe(moved, event)}.",
        refused=f"“{talk.title}” was not moved",
    ):
        query = {"retry": "move", **{name: request.POST.get(name, "") for name in MOVE_FIELDS}}
        return redirect(_board_url(admin_site, event, back, query, "#board-retry"))
    return redirect(_board_url(admin_site, event, back, anchor=f"#talk-{moved.pk}"))


def board_swap(request, event_id, *, admin_site):
    event = get_object_or_404(Event, pk=event_id)
    back = _event_day(event, request.POST.get("board_day")) or event.start_date
    form = BoardSwapForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, f"The talks were not swapped. {_errors_text(form)}")
        return redirect(_board_url(admin_site, event, back))
    data = form.cleaned_data
    try:
        result = talks_swap(
            first=data["first"],
            second=data["second"],
            seen_first=data["seen_first"],
            seen_second=data["seen_second"],
            force=data["force"],
        )
    except BoardError as error:
        messages.error(request, str(error))
        return redirect(_board_url(admin_site, event, back))
    first, second = result.talks
    if not _report(
        request,
        result,
        done=f"Swapped “{first.title}” ({_describe(first, event)}) "
        f"and “{second.title}” ({_describe(second, event)}).",
        refused=f"“{first.title}” and “{second.title}” were not swapped",
    ):
        query = {"retry": "swap", **{name: request.POST.get(name, "") for name in SWAP_FIELDS}}
        return redirect(_board_url(admin_site, event, back, query, "#board-retry"))
    return redirect(_board_url(admin_site, event, back, anchor=f"#talk-{first.pk}"))


def board_urls(admin_site):
    """URL patterns of the board, wrapped in the admin's permission checks."""

    def view(function, *, post=False):
        function = _needs_permission(partial(function, admin_site=admin_site))
        return admin_site.admin_view(require_POST(function) if post else function)

    return [
        path("board/<int:event_id>/", view(board_start), name="schedule_board"),
        path("board/<int:event_id>/move/", view(board_move, post=True), name="schedule_board_move"),
        path("board/<int:event_id>/swap/", view(board_swap, post=True), name="schedule_board_swap"),
        path("board/<int:event_id>/<str:day>/", view(board_day), name="schedule_board_day"),
    ]
