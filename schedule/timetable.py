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
strings: a template loop over 900 cards was half the cold page's time. The
words every card repeats are translated once per page (``card_texts``), and
the strings of a time once per distinct time, not once per card.
"""

import contextlib
import datetime
import html
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from schedule.clashes import room_overlaps
from schedule.models import Talk

HEADER_ROWS = 1  # the row of room names above the grid


@dataclass(slots=True)  # one per talk: no __dict__ per entry for the collector to walk
class TimetableEntry:
    talk: object
    start: datetime.datetime  # in the event's zone
    end: datetime.datetime
    grid_row: str = ""
    grid_column: str = ""
    is_now: bool = False
    is_next: bool = False
    url: str = ""  # the talk's page
    # Their ``isoformat()``, made once per distinct time of the page by ``build_timetable``.
    start_iso: str = ""
    end_iso: str = ""

    @property
    def spans_all_rooms(self):
        return self.grid_column.endswith("-1")

    @property
    def card(self):
        """What the talk's card prints, as HTML-escaped strings.

        Made at each use (a page uses it once), once the layout is done, so
        that callers that never show cards never read the talk's speakers,
        room or track, and no page keeps a dictionary per talk.
        """
        talk, room, track = self.talk, self.talk.room, self.talk.track
        # "2030-05-06T09:00:00+02:00": the day and the clock are slices of it.
        start, end = self.start_iso or self.start.isoformat(), self.end_iso or self.end.isoformat()
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
        # Plain strings, not SafeStrings: a page's thousands of those each cost the
        # garbage collector an object to track; ``safe_card`` marks them for templates.
        return {
            "slug": html.escape(talk.slug),
            "uuid": str(talk.uuid),
            "classes": " ".join(classes),
            "style": html.escape(" ".join(style)),
            "start_iso": start,
            "end_iso": end,
            "day_iso": start[:10],
            "start_clock": start[11:16],
            "end_clock": end[11:16],
            "is_now": self.is_now,
            "is_next": self.is_next,
            "kind": "" if talk.kind == Talk.Kind.TALK else html.escape(talk.get_kind_display()),
            "title": html.escape(talk.title),
            "url": html.escape(self.url),
            "speakers": html.escape(", ".join(_speaker_names(talk))),
            "room": html.escape(room.name) if room else "",
            "track": html.escape(track.name) if track else "",
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
    ' aria-pressed="false" aria-label="{star_label}" title="{add_text}"'
    ' data-text-add="{add_text}" data-text-remove="{remove_text}" hidden>'
    '<span aria-hidden="true">☆</span></button></div>\n'
    '<h3 class="talk-title"><a href="{url}">{title}</a></h3>\n'
)
_NOW_BADGE = '<span class="badge text-bg-success">{}</span>'
_NEXT_BADGE = '<span class="badge text-bg-primary">{}</span>'


def card_texts():
    """The translated words of every card, escaped: made once per page, not per card
    (a gettext call per card and word was a fifth of a 1,300-card page's time)."""
    return {
        "now_badge": _NOW_BADGE.format(html.escape(gettext("Now"))),
        "next_badge": _NEXT_BADGE.format(html.escape(gettext("Next"))),
        "star_label": html.escape(gettext("Star “%(title)s”")),
        "add_text": html.escape(gettext("Add to my schedule")),
        "remove_text": html.escape(gettext("Remove from my schedule")),
    }


def card_html(card, texts):
    """One card's markup from the escaped strings of ``TimetableEntry.card``
    and the words of ``card_texts``."""
    badges = ""
    if card["is_now"]:
        badges = texts["now_badge"]
    elif card["is_next"]:
        badges = texts["next_badge"]
    if card["kind"]:
        badges += f'<span class="badge text-bg-light border">{card["kind"]}</span>'
    style = f' style="{card["style"]}"' if card["style"] else ""
    parts = [
        _CARD_START.format_map(
            {
                **card,
                "star_label": texts["star_label"] % {"title": card["title"]},
                "add_text": texts["add_text"],
                "remove_text": texts["remove_text"],
                "style": style,
                "badges": badges,
            }
        )
    ]
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


# The cards this process made last, under what they show: a key that names a
# card's content never goes stale, and a day laid out again after an edit
# makes again only the cards that changed.
MADE_CARDS_KEPT = 20_000
_made_cards = {}


def forget_made_cards():
    """Empty this process's cards (tests that render from scratch)."""
    _made_cards.clear()


def _card_key(entry, language):
    """What ``entry``'s card shows, as a key; None for a talk that does not say (no ``content``)."""
    talk = entry.talk
    content = getattr(talk, "content", None)
    if not content:
        return None
    room, track = talk.room, talk.track
    return (
        language,
        content,
        room.name if room else None,
        (track.name, track.colour) if track else None,
        entry.grid_row,
        entry.grid_column,
        entry.is_now,
        entry.is_next,
        entry.url,
        entry.start_iso,
        entry.end_iso,
    )


def _made_card(entry, texts, language):
    key = _card_key(entry, language)
    if key is None:
        return card_html(entry.card, texts)
    markup = _made_cards.get(key)
    if markup is None:
        markup = _made_cards[key] = card_html(entry.card, texts)
        if len(_made_cards) > MADE_CARDS_KEPT:
            with contextlib.suppress(KeyError, RuntimeError, StopIteration):
                del _made_cards[next(iter(_made_cards))]  # the oldest
    return markup


def cards_html(entries):
    """The cards of ``entries``, as markup ready for the page (every text in it escaped)."""
    texts, language = card_texts(), get_language()
    return SafeString("".join(_made_card(entry, texts, language) for entry in entries))


def safe_card(card):
    """``card`` for a template: its strings, escaped already, marked safe."""
    return {
        name: SafeString(value) if isinstance(value, str) else value for name, value in card.items()
    }


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
        if hours and minutes:
            text = gettext("%(hours)d h %(minutes)d min break")
        elif hours:
            text = gettext("%(hours)d h break")
        elif minutes:
            text = gettext("%(minutes)d min break")
        else:
            text = gettext("Less than a minute break")
        return text % {"hours": hours, "minutes": minutes}

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
        return [safe_card(entry.card) for entry in self.unplaced]

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


def _once_per_instant(function):
    """``function`` of an aware datetime, called once per instant (for one page).

    Keyed by the instant in UTC: two wall clocks of one zone hash and compare
    alike across the hour the clocks repeat (see ``_instant``).
    """
    results = {}

    def once(moment):
        instant = _instant(moment)
        try:
            return results[instant]
        except KeyError:
            results[instant] = result = function(moment)
            return result

    return once


@dataclass
class DayTalks:
    """One venue day's talks of a page (sorted by start), before they are laid out."""

    date: datetime.date
    talks: list
    # The page's talks that share a room at the same time: kept off the grid.
    clashing: set

    def is_clashing(self, talk):
        return talk.pk in self.clashing


def talks_by_day(event, talks, *, use_rooms):
    """``talks`` (scheduled, sorted by start) by the venue's day they start on.

    Talks that the schedule's rules find sharing a room at the same time are
    found among all of them, so a clash across midnight is found too.
    """
    clashing = set()
    if use_rooms:
        clashing = {talk.pk for problem in room_overlaps(talks, event) for talk in problem.talks}
    local_date = _once_per_instant(event.local_date)
    return [
        DayTalks(date, list(day_talks), clashing)
        for date, day_talks in groupby(talks, key=lambda talk: local_date(talk.start))
    ]


class DayLayout:
    """Lays out days of one page: what every day shares (the clock, the addresses) made once."""

    def __init__(self, event, *, now, use_rooms):
        self.event = event
        self.use_rooms = use_rooms
        self.today = event.local_date(now)
        self.local_now = now.astimezone(event.tz)
        self.talk_url = _talk_url_maker(event)
        # A page's talks share a few dozen times: each is converted and printed once.
        self.local_time = _once_per_instant(event.local_time)
        self.isoformat = _once_per_instant(lambda moment: self.local_time(moment).isoformat())

    def day(self, day_talks):
        """The ``TimetableDay`` of one ``DayTalks``."""
        local_time, isoformat = self.local_time, self.isoformat
        entries = [
            TimetableEntry(
                talk=talk,
                start=local_time(talk.start),
                end=local_time(talk.end),
                url=self.talk_url(talk.slug),
                start_iso=isoformat(talk.start),
                end_iso=isoformat(talk.end),
            )
            for talk in day_talks.talks
        ]
        clashing = day_talks.clashing
        day = TimetableDay(
            date=day_talks.date,
            entries=[entry for entry in entries if entry.talk.pk not in clashing],
            unplaced=[entry for entry in entries if entry.talk.pk in clashing],
            is_grid=self.use_rooms,
        )
        day.is_today = day.date == self.today
        if day.is_today:
            day.now = self.local_now
            _mark_now_and_next(day.entries, self.local_now)
        if self.use_rooms:
            rooms = sorted(
                {entry.talk.room for entry in day.entries if entry.talk.room_id},
                key=lambda room: (room.position, room.name),
            )
            _lay_out_grid(day, rooms)
        else:
            _lay_out_slots(day)
        if day.is_today:
            _mark_now_anchor(day)
        return day


def build_timetable(event, talks, *, now, use_rooms):
    """Days of ``talks`` (scheduled, sorted by start) as the schedule page shows them.

    ``now`` marks what is on and what comes next, on the venue's current day
    only. ``use_rooms`` chooses the grid over slots for every day alike, so the
    page keeps one shape whatever the filters leave. Talks that the schedule's
    rules find sharing a room at the same time are kept off the grid (it cannot
    show them truthfully) and listed as to be confirmed.
    """
    layout = DayLayout(event, now=now, use_rooms=use_rooms)
    return [layout.day(day) for day in talks_by_day(event, talks, use_rooms=use_rooms)]
