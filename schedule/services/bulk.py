"""Edits of many selected talks at once, as the talk admin's actions make them.

Each edit locks the selected talks, changes them in one transaction and
returns a ``BulkEditResult``. Changes of room or time are checked first, as a
whole, with the schedule's clash rules: the edited talks are moved together in
memory and ``schedule_problems`` looks at the outcome; if the edit puts an
edited talk in a new clash (two talks in one room at once, a speaker in two
places at once, a talk outside the event's dates), nothing is saved and the
result lists the problems. A clash the talks were in already (one the
organiser saved despite the rules) is no reason to refuse: the edit did not
make it. A shift may also be made despite the clashes, as the talk form can.

``talks_export_csv`` is the one read: the selected talks as a spreadsheet.
"""

import csv
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from infrastructure.page_cache import event_pages_changed
from schedule.clashes import schedule_problems, talks_for_checks
from schedule.models import Talk

# Spreadsheet programs run a cell starting with one of these as a formula
# (OWASP's list: = + - @, and tab and carriage return, which some programs skip).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = [
    "day",
    "start",
    "end",
    "time zone",
    "room",
    "track",
    "title",
    "speakers",
    "kind",
    "status",
    "url",
]


class BulkEditError(ValueError):
    """The edit makes no sense for these talks (several events, another event's room)."""


@dataclass
class BulkEditResult:
    """What a bulk edit did; when it found ``problems`` it saved nothing, unless ``forced``."""

    done: str  # what happened to each changed talk: "published", "moved to room “Hall”"
    changed: int = 0
    unchanged: int = 0  # already as asked
    skipped: int = 0  # the edit does not apply to them: shifting a talk without times
    problems: list = field(default_factory=list)  # new clashes (schedule.clashes.Problem)
    forced: bool = False  # saved despite the ``problems``

    @property
    def saved(self):
        return self.forced or not self.problems

    def summary(self):
        count = len(self.problems)
        clashes = ngettext("%(count)d clash", "%(count)d clashes", count) % {"count": count}
        if not self.saved:
            return gettext("Nothing was %(done)s: the talks would be in %(clashes)s.") % {
                "done": self.done,
                "clashes": clashes,
            }
        parts = [
            ngettext("%(count)d talk %(done)s", "%(count)d talks %(done)s", self.changed)
            % {"count": self.changed, "done": self.done}
        ]
        if self.problems:
            parts[0] = gettext("%(edit)s, despite %(clashes)s") % {
                "edit": parts[0],
                "clashes": clashes,
            }
        if self.unchanged:
            parts.append(
                ngettext("%(count)d already was", "%(count)d already were", self.unchanged)
                % {"count": self.unchanged}
            )
        if self.skipped:
            parts.append(gettext("%(count)d without times left alone") % {"count": self.skipped})
        return gettext("%(parts)s.") % {"parts": "; ".join(parts)}


def _pks(talks):
    if isinstance(talks, QuerySet):
        return list(talks.values_list("pk", flat=True))
    return [talk.pk for talk in talks]


def _locked(talks):
    """The selected talks as stored now, locked until the transaction ends."""
    return list(
        Talk.objects.select_for_update(of=("self",))
        .filter(pk__in=_pks(talks))
        .select_related("event")
        .order_by("start", "pk")
    )


def event_of_talks(talks):
    """The one event all ``talks`` belong to (``None`` for no talks).

    Raises :class:`BulkEditError` when they belong to several: rooms and
    tracks, and an export's time zone, are each event's own.
    """
    events = {}
    for talk in talks:
        events.setdefault(talk.event_id, talk.event)
    if len(events) > 1:
        names = ", ".join(sorted(event.name for event in events.values()))
        raise BulkEditError(
            gettext(
                "The selected talks belong to %(count)d events (%(names)s); "
                "select talks of one event."
            )
            % {"count": len(events), "names": names}
        )
    return next(iter(events.values()), None)


def _check_belongs(place, event, noun):
    if place is not None and event is not None and place.event_id != event.pk:
        if noun == "room":
            message = gettext("The room “%(place)s” belongs to another event, not %(event)s.")
        else:
            message = gettext("The track “%(place)s” belongs to another event, not %(event)s.")
        raise BulkEditError(message % {"place": place.name, "event": event})


def _clash_key(problem):
    return problem.code, frozenset(talk.pk for talk in problem.talks)


def _clashes_after(event, edited, edit):
    """The new clashes the talks ``edited`` (pks) of ``event`` are in once ``edit`` is made.

    Every edited talk is changed in memory at once, so talks moved together
    are checked against each other's new state, not their old one. A clash is
    new unless the same talks were in one of its kind before the edit.
    """
    talks = talks_for_checks(event)

    def clashes():
        return [
            problem
            for problem in schedule_problems(event, talks)
            if problem.is_error and any(talk.pk in edited for talk in problem.talks)
        ]

    # Counted, not a set: two speakers shared by the same two talks are two clashes.
    accepted = Counter(_clash_key(problem) for problem in clashes())
    for talk in talks:
        if talk.pk in edited:
            edit(talk)
    new = []
    for problem in clashes():
        key = _clash_key(problem)
        if accepted[key]:
            accepted[key] -= 1
        else:
            new.append(problem)
    return new


def _pages_changed(talks):
    # QuerySet.update() sends no signals: tell the page cache directly.
    event_pages_changed(*{talk.event.slug for talk in talks})


def _set_flag(*, talks, name, value, done):
    with transaction.atomic():
        selected = _locked(talks)
        changing = [talk.pk for talk in selected if getattr(talk, name) != value]
        Talk.objects.filter(pk__in=changing).update(**{name: value}, updated=timezone.now())
        _pages_changed(selected)
    return BulkEditResult(done=done, changed=len(changing), unchanged=len(selected) - len(changing))


def talks_publish(*, talks):
    """Show ``talks`` to attendees (of a published event; a cancelled talk stays hidden)."""
    return _set_flag(talks=talks, name="is_published", value=True, done=gettext("published"))


def talks_unpublish(*, talks):
    """Hide ``talks`` from attendees, as drafts."""
    return _set_flag(talks=talks, name="is_published", value=False, done=gettext("unpublished"))


def talks_cancel(*, talks):
    """Cancel ``talks``: they stay in the database, hidden from attendees, taking no room."""
    return _set_flag(talks=talks, name="is_cancelled", value=True, done=gettext("cancelled"))


def talks_set_track(*, talks, track):
    """Put ``talks`` (of one event) in ``track``, or in none for ``None``."""
    with transaction.atomic():
        selected = _locked(talks)
        _check_belongs(track, event_of_talks(selected), "track")
        track_id = track.pk if track is not None else None
        changing = [talk.pk for talk in selected if talk.track_id != track_id]
        Talk.objects.filter(pk__in=changing).update(track=track, updated=timezone.now())
        _pages_changed(selected)
    return BulkEditResult(
        done=gettext("moved to track “%(track)s”") % {"track": track.name}
        if track is not None
        else gettext("left without a track"),
        changed=len(changing),
        unchanged=len(selected) - len(changing),
    )


def talks_set_room(*, talks, room):
    """Put ``talks`` (of one event) in ``room``, or in none for ``None``; refused on a clash."""
    done = (
        gettext("moved to room “%(room)s”") % {"room": room.name}
        if room is not None
        else gettext("left without a room")
    )
    with transaction.atomic():
        selected = _locked(talks)
        event = event_of_talks(selected)
        _check_belongs(room, event, "room")
        room_id = room.pk if room is not None else None
        changing = {talk.pk for talk in selected if talk.room_id != room_id}
        result = BulkEditResult(done=done, unchanged=len(selected) - len(changing))
        if changing:
            result.problems = _clashes_after(
                event, changing, lambda talk: setattr(talk, "room", room)
            )
        if result.problems:
            return result
        Talk.objects.filter(pk__in=changing).update(room=room, updated=timezone.now())
        _pages_changed(selected)
        result.changed = len(changing)
    return result


def talks_shift(*, talks, minutes, despite_clashes=False):
    """Move ``talks`` ``minutes`` later (earlier when negative); all or nothing.

    Refused if the shift makes a new clash, unless ``despite_clashes``: then
    the talks move and the result lists the clashes. Talks without times are
    left alone. The shift is in elapsed time: a talk shifted across a change
    of the clocks keeps its length.
    """
    if minutes == 0:
        raise BulkEditError(
            gettext("A shift of 0 minutes changes nothing; give a number of minutes.")
        )
    delta = datetime.timedelta(minutes=minutes)

    def shift(talk):
        # In UTC, where adding time is elapsed time whatever the zone does.
        talk.start = talk.start.astimezone(datetime.UTC) + delta
        talk.end = talk.end.astimezone(datetime.UTC) + delta

    with transaction.atomic():
        selected = _locked(talks)
        timed = [talk for talk in selected if talk.start is not None]
        result = BulkEditResult(
            done=gettext("shifted by %(minutes)+d minutes") % {"minutes": minutes},
            skipped=len(selected) - len(timed),
        )
        by_event = defaultdict(list)
        for talk in timed:
            by_event[talk.event].append(talk.pk)
        for event, pks in by_event.items():
            result.problems.extend(_clashes_after(event, set(pks), shift))
        result.forced = bool(result.problems) and despite_clashes
        if not result.saved:
            return result
        for talk in timed:
            shift(talk)
            talk.save(update_fields=["start", "end", "updated"])
        result.changed = len(timed)
    return result


def spreadsheet_safe(value):
    """``value`` as text a spreadsheet shows rather than runs: a formula gets a quote."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def talk_status(talk):
    if talk.is_cancelled:
        return "cancelled"
    return "published" if talk.is_published else "draft"


def _csv_row(talk, event, site_url):
    if talk.start is not None:
        start, end = event.local_time(talk.start), event.local_time(talk.end)
        when = [start.date().isoformat(), f"{start:%H:%M}", f"{end:%H:%M}"]
    else:
        when = ["", "", ""]
    path = reverse(
        "schedule:talk_detail", kwargs={"event_slug": event.slug, "talk_slug": talk.slug}
    )
    return [
        *when,
        event.time_zone,
        talk.room.name if talk.room else "",
        talk.track.name if talk.track else "",
        talk.title,
        ", ".join(link.speaker.name for link in talk.talk_speakers.all()),
        talk.get_kind_display(),
        talk_status(talk),
        f"{site_url}{path}",
    ]


def talks_export_csv(*, talks, file, site_url):
    """Write ``talks`` (of one event) to ``file`` as CSV; returns how many rows.

    Times are the venue's, in the event's zone (named in a column); the file
    starts with a byte order mark so spreadsheet programs read it as UTF-8;
    every cell is made ``spreadsheet_safe``. ``site_url`` is the site's scheme
    and host, for the talks' public pages. Rows go by time, then room.
    """
    rows = list(
        Talk.objects.filter(pk__in=_pks(talks))
        .select_related("event", "room", "track")
        .with_speakers()
    )
    event = event_of_talks(rows)
    rows.sort(
        key=lambda talk: (
            talk.start is None,
            talk.start or datetime.datetime.min.replace(tzinfo=datetime.UTC),
            talk.room.position if talk.room else -1,
            talk.title,
            talk.pk,
        )
    )
    file.write("\ufeff")
    writer = csv.writer(file)
    writer.writerow(CSV_HEADER)
    for talk in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in _csv_row(talk, event, site_url)])
    return len(rows)
