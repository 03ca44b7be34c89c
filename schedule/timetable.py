"""The schedule laid out for a page: days, rows, columns and what is on now.

The page template only places what this module computes. An event whose
talks have rooms gets a grid per day, rooms as columns and the moments at
which talks start or end as rows, each talk spanning the rows of its
duration and a roomless talk (a break, a plenary) spanning every room. An
event without rooms (the 2012 agenda) gets slots instead: the talks that
start together, side by side.

A page shows hundreds of talks, so each entry also carries its ``card``:
the strings its card prints (times, ISO datetimes, speakers' names, the
talk's address, CSS classes and style), made and HTML-escaped once here.
The cards' markup is joined here too (``card_html``), from those escaped
strings: a template loop over 900 cards was half the cold page's time.
"""

import datetime
import html
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby

from django.urls import reverse
from django.utils.safestring import SafeString

from schedule.clashes import room_overlaps
from schedule.models import Talk

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
    url: str = ""  # the talk's page

    @property
    def spans_all_rooms(self):
        return self.grid_column.endswith("-1")

    @cached_property
    def card(self):
        """What the talk's card prints, as HTML-escaped strings.

        Made on first use, once the layout is done, so that callers that
        never show cards never read the talk's speakers, room or track.
        """
        talk, room, track = self.talk, self.talk.room, self.talk.track
        # "2030-05-06T09:00:00+02:00": the day and the clock are slices of it.
        start, end = self.start.isoformat(), self.end.isoformat()
        classes = ["talk-card"]
        if self.is_now:
            classes.append("is-now")
        elif self.is_next:
            classes.append("is-next")
        if talk.kind == Talk.Kind.BREAK:
            classes.append("is-break")
        style = []
        if self.grid_row:
            style.append(f"grid-row: {self.grid_row}; grid-column: {self.grid_column};")
        if track:
            classes.append("has-track")
            style.append(f"--track-colour: {track.colour};")
        # Text from people and importers is escaped, once here rather than at each
        # use; the ISO times, clocks, uuid and CSS classes are made here and need not be.
        return {
            "slug": _escaped(talk.slug),
            "uuid": str(talk.uuid),
            "classes": " ".join(classes),
            "style": _escaped(" ".join(style)),
            "start_iso": start,
            "end_iso": end,
            "day_iso": start[:10],
            "start_clock": start[11:16],
            "end_clock": end[11:16],
            "is_now": self.is_now,
            "is_next": self.is_next,
            "kind": "" if talk.kind == Talk.Kind.TALK else _escaped(talk.get_kind_display()),
            "title": _escaped(talk.title),
            "url": _escaped(self.url),
            "speakers": _escaped(", ".join(_speaker_names(talk))),
            "room": _escaped(room.name) if room else "",
            "track": _escaped(track.name) if track else "",
        }


# The markup of one card. Its star button and times are those of
# templates/schedule/includes/star_button.html and talk_time.html, which the
# talk page uses (tests/schedule/test_schedule_render.py keeps them alike).
# Line breaks stand only where CSS makes them invisible.
_CARD_START = (
    '<article class="{classes}" id="talk-{slug}" data-talk="{uuid}"{style}>\n'
    '<div class="talk-card-head"><span class="talk-time">'
    '<time datetime="{start_iso}" data-time data-day="{day_iso}">{start_clock}</time>–'
    '<time datetime="{end_iso}" data-time data-day="{day_iso}">{end_clock}</time></span>\n'
    "{badges}"
    '<button type="button" class="star-button d-print-none" data-star="{uuid}"'
    ' aria-pressed="false" aria-label="Star “{title}”" title="Add to my schedule" hidden>'
    '<span aria-hidden="true">☆</span></button></div>\n'
    '<h3 class="talk-title"><a href="{url}">{title}</a></h3>\n'
)
_NOW_BADGE = '<span class="badge text-bg-success">Now</span>'
_NEXT_BADGE = '<span class="badge text-bg-primary">Next</span>'


def card_html(card):
    """One card's markup from the escaped strings of ``TimetableEntry.card``."""
    badges = _NOW_BADGE if card["is_now"] else _NEXT_BADGE if card["is_next"] else ""
    if card["kind"]:
        badges += f'<span class="badge text-bg-light border">{card["kind"]}</span>'
    style = f' style="{card["style"]}"' if card["style"] else ""
    parts = [_CARD_START.format_map({**card, "style": style, "badges": badges})]
    if card["speakers"]:
        parts.append(f'<p class="talk-speakers">{card["speakers"]}</p>\n')
    if card["room"] or card["track"]:
        parts.append('<p class="talk-place">')
        if card["room"]:
            parts.append(f'<span class="talk-room">{card["room"]}</span>')
        if card["track"]:
            parts.append(
                '<span class="talk-track"><span class="track-swatch" aria-hidden="true"></span>'
                f"{card['track']}</span>"
            )
        parts.append("</p>\n")
    parts.append("</article>\n")
    return "".join(parts)


def cards_html(entries):
    """The cards of ``entries``, as markup ready for the page (every text in it escaped)."""
    return SafeString("".join(card_html(entry.card) for entry in entries))


def _escaped(text):
    """``text`` HTML-escaped as django.utils.html.escape does it, marked safe."""
    return SafeString(html.escape(text))


def _speaker_names(talk):
    # The schedule page's selector hands the names over as ``speaker_names``.
    names = getattr(talk, "speaker_names", None)
    if names is None:
        names = [link.speaker.name for link in talk.talk_speakers.all()]
    return names


class _Moment:
    """A venue time as a ``<time>`` element prints it, and as the page's anchor for it."""

    @property
    def anchor(self):
        """The id of its heading: ``at-2012-11-07-0900`` (the second 02:30 of a night
        the clocks go back gets ``-2``), the target of the day's "jump to" links."""
        repeat = "-2" if self._moment.fold else ""
        return f"at-{self._moment:%Y-%m-%d-%H%M}{repeat}"

    @property
    def iso(self):
        return self._moment.isoformat()

    @property
    def day_iso(self):
        return self._moment.date().isoformat()

    @property
    def clock(self):
        return f"{self._moment:%H:%M}"


@dataclass
class TimeLabel(_Moment):
    time: datetime.datetime
    grid_row: int
    entries: list[TimetableEntry] = field(default_factory=list)  # the talks starting then

    @property
    def _moment(self):
        return self.time

    @property
    def cards_html(self):
        return cards_html(self.entries)


@dataclass
class Slot(_Moment):
    start: datetime.datetime
    entries: list[TimetableEntry]
    is_break: bool = False  # breaks have rows of their own, across the list
    gap_before: datetime.timedelta | None = None  # time with nothing on before it
    heads_time: bool = True  # False for talks that start with a break, after its row

    @property
    def _moment(self):
        return self.start

    @property
    def gap_words(self):
        """``gap_before`` as the list says it: "30 min break", "1 h 15 min break"."""
        if not self.gap_before:
            return ""
        hours, minutes = divmod(int(self.gap_before.total_seconds() // 60), 60)
        parts = ([f"{hours} h"] if hours else []) + ([f"{minutes} min"] if minutes else [])
        return f"{' '.join(parts) or 'Less than a minute'} break"

    @property
    def cards_html(self):
        return cards_html(self.entries)


@dataclass
class TimetableDay:
    date: datetime.date
    entries: list[TimetableEntry]
    rooms: list = field(default_factory=list)
    time_labels: list[TimeLabel] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    # Talks sharing a room at the same time: the grid cannot show them truthfully.
    unplaced: list[TimetableEntry] = field(default_factory=list)
    # Rooms as columns, the same for every day of the page: a day whose talks all
    # clash has nothing on its grid and still lists them as to be confirmed.
    is_grid: bool = False
    is_today: bool = False
    now: datetime.datetime | None = None  # the venue's clock, on the venue's current day
    now_anchor: str = ""  # the heading of what is on now, else of what comes next

    @property
    def now_entries(self):
        return [entry for entry in self.entries if entry.is_now]

    @property
    def next_entries(self):
        return [entry for entry in self.entries if entry.is_next]

    @property
    def cards_html(self):
        return cards_html(self.entries)

    @property
    def first_start(self):
        """When the day's first talk starts, placed or to be confirmed."""
        return min((entry.start for entry in self.entries + self.unplaced), default=None)

    @property
    def unplaced_cards(self):
        return [entry.card for entry in self.unplaced]

    @property
    def headings(self):
        """The day's time headings: the grid's labels or the list's slots (one per time)."""
        if self.is_grid:
            return self.time_labels
        return [slot for slot in self.slots if slot.heads_time]

    @property
    def hour_jumps(self):
        """``(hour, anchor)`` of the first heading in each hour: "09", "at-2012-11-07-0900"."""
        jumps = []
        for heading in self.headings:
            hour = heading.clock[:2]
            if not jumps or jumps[-1][0] != hour:
                jumps.append((hour, heading.anchor))
        return jumps


def _instant(moment):
    """``moment`` in UTC. Venue times of one zone compare, hash and subtract as wall
    clocks, which would take the two 00:30s of the hour the clocks repeat for one."""
    return moment.astimezone(datetime.UTC)


def _mark_now_and_next(entries, now):
    now = _instant(now)
    running = [entry for entry in entries if _instant(entry.start) <= now < _instant(entry.end)]
    for entry in running:
        entry.is_now = True
    upcoming = [_instant(entry.start) for entry in entries if _instant(entry.start) > now]
    if upcoming:
        soonest = min(upcoming)
        for entry in entries:
            entry.is_next = _instant(entry.start) == soonest


def _lay_out_grid(day, rooms):
    day.rooms = rooms
    column_of = {room.pk: index for index, room in enumerate(rooms, start=2)}
    starts = {_instant(entry.start): entry.start for entry in day.entries}
    boundaries = sorted(set(starts) | {_instant(entry.end) for entry in day.entries})
    row_of = {moment: index for index, moment in enumerate(boundaries, start=1 + HEADER_ROWS)}
    for entry in day.entries:
        entry.grid_row = f"{row_of[_instant(entry.start)]} / {row_of[_instant(entry.end)]}"
        room_id = entry.talk.room_id
        entry.grid_column = str(column_of[room_id]) if room_id in column_of else "2 / -1"
    by_start = defaultdict(list)
    for entry in day.entries:
        by_start[_instant(entry.start)].append(entry)
    # Each label heads the cards that start then: a heading of the phone's list.
    day.time_labels = [
        TimeLabel(time=starts[moment], grid_row=row_of[moment], entries=by_start[moment])
        for moment in sorted(starts)
    ]


def _lay_out_slots(day):
    slots = []
    for _, group in groupby(day.entries, key=lambda e: _instant(e.start)):
        group = list(group)
        breaks = [entry for entry in group if entry.talk.kind == Talk.Kind.BREAK]
        others = [entry for entry in group if entry.talk.kind != Talk.Kind.BREAK]
        if breaks:
            slots.append(Slot(start=group[0].start, entries=breaks, is_break=True))
        if others:
            slots.append(Slot(start=group[0].start, entries=others, heads_time=not breaks))
    # A time between slots with nothing on is shown as a break of its length.
    latest_end = None
    for slot in slots:
        if latest_end is not None and _instant(slot.start) > latest_end:
            slot.gap_before = _instant(slot.start) - latest_end
        ends = [_instant(entry.end) for entry in slot.entries]
        latest_end = max([*ends, *([latest_end] if latest_end else [])])
    day.slots = slots


def _mark_now_anchor(day):
    marked = day.now_entries or day.next_entries
    if marked:
        moment = min(_instant(entry.start) for entry in marked)
        day.now_anchor = next(
            heading.anchor for heading in day.headings if _instant(heading._moment) == moment
        )


def _talk_url_maker(event):
    """Talk page addresses from one ``reverse()``: the address around a stand-in slug."""
    stand_in = "talk-slug"
    sample = reverse("schedule:talk_detail", args=[event.slug, stand_in])
    before, _, after = sample.rpartition(stand_in)
    # Talk slugs are URL-safe as they are (the URL pattern accepts only [-a-zA-Z0-9_]).
    return lambda slug: f"{before}{slug}{after}"


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
    talk_url = _talk_url_maker(event)
    entries = [
        TimetableEntry(
            talk=talk,
            start=event.local_time(talk.start),
            end=event.local_time(talk.end),
            url=talk_url(talk.slug),
        )
        for talk in talks
    ]
    days = []
    today = event.local_date(now)
    for date, day_entries in groupby(entries, key=lambda entry: event.local_date(entry.start)):
        day_entries = list(day_entries)
        day = TimetableDay(
            date=date,
            entries=[entry for entry in day_entries if entry.talk.pk not in clashing],
            unplaced=[entry for entry in day_entries if entry.talk.pk in clashing],
            is_grid=use_rooms,
        )
        day.is_today = date == today
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
        if day.is_today:
            _mark_now_anchor(day)
        days.append(day)
    return days
