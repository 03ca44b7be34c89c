"""Reads of events for the public pages."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conference.models import Event


def published_events():
    """Published events, each with its number of visible talks, ordered for the home page.

    Running events come first, then upcoming ones (soonest first), then past
    ones (latest first), so the event an attendee most likely wants is on top.
    """
    events = list(
        Event.objects.published().annotate(
            talk_count=Count(
                "talks",
                filter=Q(
                    talks__release__is_current=True,
                    talks__is_published=True,
                    talks__is_cancelled=False,
                ),
            )
        )
    )

    def order(event):
        today = event.local_date(timezone.now())
        if event.start_date <= today <= event.end_date:
            return (0, 0)
        if event.start_date > today:
            return (1, (event.start_date - today).days)
        return (2, (today - event.end_date).days)

    return sorted(events, key=order)


def published_event(slug):
    """The published event with this slug, or 404."""
    return get_object_or_404(Event.objects.published(), slug=slug)


@dataclass
class OnNow:
    """What an event has on at a moment of its venue's day, and what comes next that day."""

    now: list  # talks on at that moment, with their rooms
    next: list  # the talks that start next that day, with their rooms
    changes_at: object  # when either list changes: a talk starts or ends, or the day does


def _released_talks(event):
    """The event's talks as its current release shows them, scheduled and published.

    Through the event's own relation: the events app sits below the one that
    defines talks, and reads them only by the relations they add.
    """
    released = event.talks.model.released
    return (
        released.current_of(event)
        .published()
        .scheduled()
        .select_related("room")
        .only("title", "slug", "start", "end", "room__name", "room__position", "event_id")
        .order_by("start", "room__position", "room__name", "title")
    )


def on_now(event, *, now):
    """What ``event`` has on at ``now``, or None when ``now`` is not one of its days.

    One query: the talks of the venue's day that have not ended.
    """
    today = event.local_date(now)
    if today not in event.days:
        return None
    _, day_end = event.day_bounds(today)
    talks = list(_released_talks(event).filter(end__gt=now, start__lt=day_end))
    running = [talk for talk in talks if talk.start <= now]
    upcoming = [talk for talk in talks if talk.start > now]
    soonest = min((talk.start for talk in upcoming), default=None)
    following = [talk for talk in upcoming if talk.start == soonest]
    changes_at = min([day_end, *(talk.end for talk in running), *([soonest] if soonest else [])])
    return OnNow(now=running, next=following, changes_at=changes_at)


BEFORE, RUNNING, AFTER = "before", "running", "after"


@dataclass
class NowLane:
    """One room on the now page: its talk on now and the next one (or its first or last)."""

    room: object  # None: the talks without a room (breaks, plenaries), in every room at once
    current: object = None
    next: object = None  # before the event: the room's first talk of the first day
    last: object = None  # after the event: the room's last talk of the last day


@dataclass
class NowBoard:
    """What the now page shows of an event at a moment, at its venue.

    While the event runs (``RUNNING``: the venue's date is one of its days)
    each room has its talk on now and its next one that day; before it
    (``BEFORE``), the first talks of its first day; after it (``AFTER``),
    the last talks of its last day. An event without rooms has no lanes: its
    parallel talks are side by side in ``now`` and ``next`` (or ``last``),
    as the schedule shows them.
    """

    phase: str
    day: object  # the venue's date shown
    clock: object  # the moment asked about, at the venue
    lanes: list = field(default_factory=list)
    now: list = field(default_factory=list)
    next: list = field(default_factory=list)
    last: list = field(default_factory=list)
    following_day: object = None  # running, the event's next day, if it has one
    changes_at: object = None  # when what it shows changes; None: never by itself

    @property
    def has_rooms(self):
        return bool(self.lanes)

    @property
    def is_empty(self):
        lanes = any(lane.current or lane.next or lane.last for lane in self.lanes)
        return not (lanes or self.now or self.next or self.last)


def now_board(event, *, now):
    """The now page of ``event`` at ``now``: ``NowBoard``.

    Two queries while the event runs (its rooms, the day's talks not ended),
    three before or after it (and the day of its first or last talk).
    """
    days = event.days
    today = event.local_date(now)
    rooms = list(event.rooms.all())
    board_changes_at = None
    if today in days:
        phase, day = RUNNING, today
    else:
        # The day of its first talk, or of its last: the first or last of its
        # days may have none (an arrival day, a day of workshops elsewhere).
        phase = BEFORE if today < event.start_date else AFTER
        first, last = (
            _released_talks(event)
            .order_by()
            .aggregate(first=Min("start"), last=Max("start"))
            .values()
        )
        moment = first if phase == BEFORE else last
        day = event.local_date(moment) if moment else days[0 if phase == BEFORE else -1]
        if phase == BEFORE:
            board_changes_at = event.day_bounds(days[0])[0]  # the event begins
    day_start, day_end = event.day_bounds(day)
    # While it runs, what has not ended (a talk begun before midnight is still on).
    shown = Q(end__gt=now) if phase == RUNNING else Q(start__gte=day_start)
    talks = list(_released_talks(event).filter(shown, start__lt=day_end))
    board = NowBoard(phase=phase, day=day, clock=event.local_time(now))
    if phase == RUNNING:
        later = [other for other in days if other > day]
        board.following_day = later[0] if later else None
        ends_or_starts = [talk.start if talk.start > now else talk.end for talk in talks]
        board.changes_at = min([day_end, *ends_or_starts])
    else:
        board.changes_at = board_changes_at
    groups = [None, *rooms] if rooms else [None]
    by_room = {room.pk if room else None: [] for room in groups}
    for talk in talks:
        by_room.setdefault(talk.room_id if rooms else None, []).append(talk)
    if rooms:
        board.lanes = [
            _lane(room, by_room[room.pk if room else None], phase=phase, now=now)
            for room in groups
            if room is not None or by_room[None]
        ]
    else:
        _fill_slots(board, by_room[None], now=now)
    return board


def _lane(room, talks, *, phase, now):
    """A room's lane from its talks of the day, by start."""
    if phase == BEFORE:
        return NowLane(room=room, next=talks[0] if talks else None)
    if phase == AFTER:
        return NowLane(room=room, last=talks[-1] if talks else None)
    running = [talk for talk in talks if talk.start <= now]
    upcoming = [talk for talk in talks if talk.start > now]
    return NowLane(
        room=room,
        # Two at once in one room is a clash the schedule warns of: the later one shows.
        current=running[-1] if running else None,
        next=upcoming[0] if upcoming else None,
    )


def _fill_slots(board, talks, *, now):
    """Without rooms, the talks side by side: those on now and the next ones to start."""
    if board.phase == BEFORE:
        board.next = [talk for talk in talks if talks and talk.start == talks[0].start]
    elif board.phase == AFTER:
        latest = max((talk.start for talk in talks), default=None)
        board.last = [talk for talk in talks if talk.start == latest]
    else:
        board.now = [talk for talk in talks if talk.start <= now]
        soonest = min((talk.start for talk in talks if talk.start > now), default=None)
        board.next = [talk for talk in talks if talk.start == soonest]
