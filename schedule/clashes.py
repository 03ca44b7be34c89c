"""The schedule's rules: what may never be saved, what needs a second thought, what to look at.

One place for the rules, used by the talk form, the schedule board, the
importers, the public timetable and ``manage.py check_schedule``. Every check
is a pure function over one list of talks (loaded once, with rooms and
speakers), and its findings are data: a ``Problem`` names its kind, a message
for people and the talks involved.

- Errors (clashes): two talks in one room at once, a speaker in two places at
  once, a talk outside the event's dates. Saving one takes an explicit
  "save despite the clash".
- Warnings: a roomless talk while others run in parallel, a talk much longer
  than the usual slot, a speaker without a bio, a published talk without a
  speaker (breaks aside).

Intervals are half-open: a talk ending at 10:00 and one starting at 10:00 do
not clash. Cancelled and unscheduled talks take no room and no speaker's time.
"""

import datetime
import enum
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from schedule.models import Talk

# A talk longer than this many times the event's usual slot is worth a look.
LONG_TALK_FACTOR = 2
KINDS_WITHOUT_SPEAKERS = {Talk.Kind.BREAK}
KINDS_OF_ANY_LENGTH = {Talk.Kind.BREAK, Talk.Kind.WORKSHOP}


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(enum.StrEnum):
    ROOM_OVERLAP = "room-overlap"
    SPEAKER_OVERLAP = "speaker-overlap"
    OUTSIDE_EVENT = "outside-event"
    NO_ROOM_IN_PARALLEL = "no-room-in-parallel"
    LONG_TALK = "long-talk"
    SPEAKER_WITHOUT_BIO = "speaker-without-bio"
    NO_SPEAKER = "no-speaker"


SEVERITY = {
    Code.ROOM_OVERLAP: Severity.ERROR,
    Code.SPEAKER_OVERLAP: Severity.ERROR,
    Code.OUTSIDE_EVENT: Severity.ERROR,
    Code.NO_ROOM_IN_PARALLEL: Severity.WARNING,
    Code.LONG_TALK: Severity.WARNING,
    Code.SPEAKER_WITHOUT_BIO: Severity.WARNING,
    Code.NO_SPEAKER: Severity.WARNING,
}


@dataclass(frozen=True)
class Problem:
    code: Code
    message: str
    talks: tuple  # the talks involved, the one the message is about first

    @property
    def severity(self):
        return SEVERITY[self.code]

    @property
    def is_error(self):
        return self.severity == Severity.ERROR

    def involves(self, talk):
        return any(other.pk == talk.pk for other in self.talks)


def talks_for_checks(event, *, only=None):
    """All talks of ``event`` (or those ``only``, a ``Q``, selects) with what the rules
    read: rooms and ordered speakers."""
    talks = Talk.objects.filter(event=event)
    if only is not None:
        talks = talks.filter(only)
    return list(talks.select_related("room", "event").with_speakers().order_by("start", "pk"))


def _speakers(talk):
    # A candidate state (see ``candidate_clashes``) brings its own, unsaved list.
    if hasattr(talk, "_clash_speakers"):
        return talk._clash_speakers
    return [link.speaker for link in talk.talk_speakers.all()]


def _overlap(first, second):
    return first.start < second.end and second.start < first.end


def _takes_time(talk):
    return talk.start is not None and talk.end is not None and not talk.is_cancelled


def _when(talk, event):
    start, end = event.local_time(talk.start), event.local_time(talk.end)
    return f"{date_format(start, 'D d M H:i')}–{end:%H:%M}"


def _overlapping_pairs(talks):
    """Pairs of overlapping talks, found by a sweep over start times.

    Time grows with the talks and the pairs found, never with the square of
    the talks: the scan from each talk stops at the first that starts after it
    ends (and indexes, as a slice would copy the rest of the list each time).
    """
    ordered = sorted(talks, key=lambda talk: talk.start)
    for index, talk in enumerate(ordered):
        for later_index in range(index + 1, len(ordered)):
            later = ordered[later_index]
            if later.start >= talk.end:
                break
            yield talk, later


def room_overlaps(talks, event):
    by_room = defaultdict(list)
    for talk in talks:
        if _takes_time(talk) and talk.room_id:
            by_room[talk.room_id].append(talk)
    for room_talks in by_room.values():
        for first, second in _overlapping_pairs(room_talks):
            yield Problem(
                Code.ROOM_OVERLAP,
                gettext("“%(title)s” is in %(room)s at the same time as “%(other)s” (%(when)s).")
                % {
                    "title": second.title,
                    "room": second.room.name,
                    "other": first.title,
                    "when": _when(first, event),
                },
                (second, first),
            )


def speaker_overlaps(talks, event):
    by_speaker = defaultdict(list)
    speakers = {}
    for talk in talks:
        if _takes_time(talk):
            for speaker in _speakers(talk):
                by_speaker[speaker.pk].append(talk)
                speakers[speaker.pk] = speaker
    for speaker_id, speaker_talks in by_speaker.items():
        for first, second in _overlapping_pairs(speaker_talks):
            yield Problem(
                Code.SPEAKER_OVERLAP,
                gettext(
                    "%(speaker)s speaks in “%(title)s” while speaking in “%(other)s” (%(when)s)."
                )
                % {
                    "speaker": speakers[speaker_id].name,
                    "title": second.title,
                    "other": first.title,
                    "when": _when(first, event),
                },
                (second, first),
            )


def outside_event(talks, event):
    for talk in talks:
        if not _takes_time(talk):
            continue
        first_day = event.local_date(talk.start)
        # A talk ending at midnight ends on the day before.
        last_day = event.local_date(talk.end - datetime.timedelta(microseconds=1))
        if first_day < event.start_date or last_day > event.end_date:
            yield Problem(
                Code.OUTSIDE_EVENT,
                gettext(
                    "“%(title)s” (%(when)s) is outside the event's dates, "
                    "%(first_day)s to %(last_day)s in %(zone)s."
                )
                % {
                    "title": talk.title,
                    "when": _when(talk, event),
                    "first_day": date_format(event.start_date, "d M"),
                    "last_day": date_format(event.end_date, "d M Y"),
                    "zone": event.time_zone,
                },
                (talk,),
            )


def roomless_in_parallel(talks, event):
    # The overlapping pairs, found once, rather than every talk compared with every
    # roomless one: a file without rooms made that the square of its talks.
    timed = [
        talk for talk in talks if _takes_time(talk) and talk.kind not in KINDS_WITHOUT_SPEAKERS
    ]
    order = {id(talk): index for index, talk in enumerate(timed)}
    parallel_to = defaultdict(list)
    for first, second in _overlapping_pairs(timed):
        if first.pk == second.pk:
            continue
        for talk, other in ((first, second), (second, first)):
            if not talk.room_id:
                parallel_to[id(talk)].append(other)
    for talk in timed:
        if talk.room_id:
            continue
        parallel = sorted(parallel_to[id(talk)], key=lambda other: order[id(other)])
        if parallel:
            yield Problem(
                Code.NO_ROOM_IN_PARALLEL,
                ngettext(
                    "“%(title)s” has no room while %(count)d other talk runs at the same time.",
                    "“%(title)s” has no room while %(count)d other talks run at the same time.",
                    len(parallel),
                )
                % {"title": talk.title, "count": len(parallel)},
                (talk, *parallel),
            )


def usual_slot(talks):
    """The most common length of the event's talks (the longer one on a tie)."""
    lengths = Counter(
        talk.end - talk.start
        for talk in talks
        if _takes_time(talk) and talk.kind not in KINDS_OF_ANY_LENGTH
    )
    if not lengths:
        return None
    return max(lengths.items(), key=lambda item: (item[1], item[0]))[0]


def long_talks(talks, event, *, usual=None):
    usual = usual or usual_slot(talks)
    if usual is None:
        return
    for talk in talks:
        if not _takes_time(talk) or talk.kind in KINDS_OF_ANY_LENGTH:
            continue
        length = talk.end - talk.start
        if length > usual * LONG_TALK_FACTOR:
            yield Problem(
                Code.LONG_TALK,
                gettext("“%(title)s” runs %(minutes)d minutes; the usual slot is %(usual)d.")
                % {
                    "title": talk.title,
                    "minutes": int(length.total_seconds() // 60),
                    "usual": int(usual.total_seconds() // 60),
                },
                (talk,),
            )


def speakers_without_bio(talks, event):
    talks_of = defaultdict(list)
    speakers = {}
    for talk in talks:
        if talk.is_cancelled:
            continue
        for speaker in _speakers(talk):
            if not speaker.bio.strip():
                talks_of[speaker.pk].append(talk)
                speakers[speaker.pk] = speaker
    for speaker_id, speaker_talks in talks_of.items():
        yield Problem(
            Code.SPEAKER_WITHOUT_BIO,
            gettext("%(speaker)s has no bio.") % {"speaker": speakers[speaker_id].name},
            tuple(speaker_talks),
        )


def published_without_speaker(talks, event):
    for talk in talks:
        if (
            talk.is_published
            and not talk.is_cancelled
            and talk.kind not in KINDS_WITHOUT_SPEAKERS
            and not _speakers(talk)
        ):
            yield Problem(
                Code.NO_SPEAKER,
                gettext("“%(title)s” is published without a speaker.") % {"title": talk.title},
                (talk,),
            )


CLASH_RULES = (room_overlaps, speaker_overlaps, outside_event)
# Each rule finds problems of one code: run in the order of their codes, they give the
# errors in the order schedule_problems sorts them, without sorting.
_CLASH_RULES_IN_ORDER = (outside_event, room_overlaps, speaker_overlaps)
WARNING_RULES = (roomless_in_parallel, long_talks, speakers_without_bio, published_without_speaker)


def schedule_problems(event, talks=None, *, usual=None):
    """Every error, then every warning, of ``event`` (``talks`` from ``talks_for_checks``).

    ``usual`` is the event's usual slot when ``talks`` are only some of its
    talks (``usual_slot`` of them all): what counts as long is the event's.
    """
    talks = talks_for_checks(event) if talks is None else talks
    problems = []
    for rule in CLASH_RULES + WARNING_RULES:
        found = rule(talks, event, usual=usual) if rule is long_talks else rule(talks, event)
        problems.extend(found)
    return sorted(problems, key=lambda problem: (not problem.is_error, problem.code))


def schedule_clashes(event, talks=None):
    """The errors of :func:`schedule_problems`, in its order, found one at a time.

    A caller that reports the first few reads no further: a schedule whose
    talks all overlap has a number of clashes that is the square of its talks.
    """
    talks = talks_for_checks(event) if talks is None else talks
    for rule in _CLASH_RULES_IN_ORDER:
        yield from rule(talks, event)


def candidate_clashes(candidate, *, speakers, others, event):
    """The clashes ``candidate`` would have if saved as it is, with ``speakers``.

    ``candidate`` is an unsaved state of a talk (new room or times); ``others``
    are the event's other talks as stored. Only problems involving the
    candidate are returned.
    """
    others = [talk for talk in others if talk.pk != candidate.pk or candidate.pk is None]
    candidate._clash_speakers = list(speakers)
    talks = [*others, candidate]
    try:
        problems = []
        for rule in CLASH_RULES:
            problems.extend(rule(talks, event))
    finally:
        del candidate._clash_speakers
    return [problem for problem in problems if any(talk is candidate for talk in problem.talks)]
