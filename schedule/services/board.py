"""Moving and swapping talks on the schedule board, checked by the clash rules.

Each operation reads the talks as stored, locks them, and saves only if no
one changed them since the organiser's board was drawn (the talk's
``updated`` stamp, optimistic locking) and the new state breaks no clash
rule, unless the organiser saves despite the clash. A refused operation
writes nothing.
"""

import copy
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext

from schedule.clashes import candidate_clashes, talks_for_checks, usual_slot
from schedule.models import Talk

# The length given to an unscheduled talk placed on the board, when the event
# has no usual slot to go by.
DEFAULT_SLOT = datetime.timedelta(minutes=30)
SAVED_FIELDS = ["room", "start", "end", "updated"]


class BoardError(Exception):
    """The operation cannot be done as asked; the message says why."""


class BoardConflict(BoardError):
    """Someone else changed a talk after the organiser's board was drawn."""


@dataclass
class MoveResult:
    """What a move or swap did: the talks as they are now, and the clashes found.

    When ``saved`` is false nothing was written and ``problems`` say why;
    when it is true, ``problems`` are the clashes saved despite the rules.
    """

    talks: tuple
    saved: bool
    problems: list = field(default_factory=list)

    @property
    def forced(self):
        return self.saved and bool(self.problems)


def _describe_place(talk, event):
    if talk.start is None:
        if talk.room_id:
            return gettext("unscheduled, %(room)s") % {"room": talk.room.name}
        return gettext("unscheduled")
    start = event.local_time(talk.start)
    room = talk.room.name if talk.room_id else gettext("no room")
    return f"{room}, {date_format(start, 'D j M H:i')} {start:%Z}"


def _locked(pks):
    """The talks ``pks`` as stored, locked until the transaction ends, by pk."""
    # Lock, then read. Locked in one order, two swaps cannot deadlock. Read
    # apart: when a lock comes after waiting for another transaction, PostgreSQL
    # returns the row's new version but may join it to nothing (its room lost).
    locking = Talk.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    list(locking.values_list("pk", flat=True))
    found = {
        talk.pk: talk for talk in Talk.objects.select_related("event", "room").filter(pk__in=pks)
    }
    missing = [pk for pk in pks if pk not in found]
    if missing:
        raise BoardConflict(
            gettext(
                "A talk on your board no longer exists; someone may have deleted it. "
                "The board now shows the schedule as it is."
            )
        )
    return found


def _check_stamp(talk, seen_updated):
    if talk.updated == seen_updated:
        return
    event = talk.event
    changed = event.local_time(talk.updated)
    raise BoardConflict(
        gettext(
            "Someone else changed “%(title)s” at %(time)s (it is now: %(place)s). "
            "The board now shows their change; make your move again if it still makes sense."
        )
        % {
            "title": talk.title,
            "time": f"{changed:%H:%M %Z}",
            "place": _describe_place(talk, event),
        }
    )


def _length(talk, others):
    if talk.start is not None and talk.end is not None:
        return talk.end.astimezone(datetime.UTC) - talk.start.astimezone(datetime.UTC)
    if talk.planned_minutes:
        return datetime.timedelta(minutes=talk.planned_minutes)
    return usual_slot(others) or DEFAULT_SLOT


def _placed(stored, *, room, start, length):
    """A copy of ``stored`` (from ``talks_for_checks``) in ``room`` at ``start``, unsaved."""
    candidate = copy.copy(stored)
    candidate.room = room
    if start is None:
        candidate.start = candidate.end = None
    else:
        # Arithmetic on instants: wall-clock arithmetic would be wrong across a DST change.
        candidate.start = start.astimezone(datetime.UTC)
        candidate.end = candidate.start + length
    return candidate


def _speakers(stored):
    return [link.speaker for link in stored.talk_speakers.all()]


def _without_repeats(problems):
    """``problems`` once each: a clash between two moved talks is found from both sides."""
    seen, unique = set(), []
    for problem in problems:
        key = (problem.code, frozenset(talk.pk for talk in problem.talks))
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def _save(talk, candidate):
    talk.room, talk.start, talk.end = candidate.room, candidate.start, candidate.end
    talk.save(update_fields=SAVED_FIELDS)


def talk_move(*, talk, room, start, seen_updated, force=False):
    """Put ``talk`` in ``room`` at the aware ``start``, keeping its length.

    ``start`` None unschedules the talk; ``room`` None leaves it without a
    room. ``seen_updated`` is the talk's ``updated`` stamp as the organiser's
    board showed it: if the talk changed since, ``BoardConflict`` is raised.
    A move that would clash is refused (nothing saved) unless ``force``.
    """
    with transaction.atomic():
        current = _locked([talk.pk])[talk.pk]
        _check_stamp(current, seen_updated)
        if room is not None and room.event_id != current.event_id:
            raise BoardError(f"{room.name} is a room of another event.")
        event = current.event
        stored = talks_for_checks(event)
        (before,) = [other for other in stored if other.pk == current.pk]
        candidate = _placed(before, room=room, start=start, length=_length(current, stored))
        problems = [
            problem
            for problem in candidate_clashes(
                candidate, speakers=_speakers(before), others=stored, event=event
            )
            if problem.is_error
        ]
        if problems and not force:
            return MoveResult(talks=(current,), saved=False, problems=problems)
        _save(current, candidate)
    return MoveResult(talks=(current,), saved=True, problems=problems)


def talks_swap(*, first, second, seen_first, seen_second, force=False):
    """Exchange the rooms and starts of two talks, each keeping its own length.

    Both are checked together, each against the other in its new place, and
    saved together or not at all; stamps and ``force`` work as in ``talk_move``.
    """
    if first.pk == second.pk:
        raise BoardError(
            gettext("“%(title)s” cannot be swapped with itself.") % {"title": first.title}
        )
    with transaction.atomic():
        locked = _locked([first.pk, second.pk])
        one, other = locked[first.pk], locked[second.pk]
        _check_stamp(one, seen_first)
        _check_stamp(other, seen_second)
        if one.event_id != other.event_id:
            raise BoardError(
                gettext("“%(first)s” and “%(second)s” are talks of different events.")
                % {"first": one.title, "second": other.title}
            )
        event = one.event
        stored = talks_for_checks(event)
        by_pk = {talk.pk: talk for talk in stored}
        one_after = _placed(
            by_pk[one.pk], room=other.room, start=other.start, length=_length(one, stored)
        )
        other_after = _placed(
            by_pk[other.pk], room=one.room, start=one.start, length=_length(other, stored)
        )
        rest = [talk for talk in stored if talk.pk not in locked]
        problems = []
        for candidate, partner in ((one_after, other_after), (other_after, one_after)):
            problems.extend(
                candidate_clashes(
                    candidate,
                    speakers=_speakers(by_pk[candidate.pk]),
                    others=[*rest, partner],
                    event=event,
                )
            )
        problems = _without_repeats(problem for problem in problems if problem.is_error)
        if problems and not force:
            return MoveResult(talks=(one, other), saved=False, problems=problems)
        _save(one, one_after)
        _save(other, other_after)
    return MoveResult(talks=(one, other), saved=True, problems=problems)
