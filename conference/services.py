"""Changes to an event that rewrite more than its own row: a new time zone for its talks.

Times are stored as instants, so changing an event's zone alone keeps every
talk's instant and moves what the venue's clock shows (10:00 in Madrid
becomes 09:00 in Lisbon). Usually the zone was simply entered wrong and the
talks should stay at their times on the programme: ``event_change_zone``
does either, in one transaction, after ``zone_change_plan`` has said what
will change, so the organiser can be asked first.

This module knows talks only through the event's ``talks`` relation: the
schedule app builds on this one, not the other way round.
"""

import dataclasses
import datetime
import zoneinfo
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from conference.models import Event
from conference.venue_time import offset_words, venue_instants, venue_local_date
from infrastructure.page_cache import event_pages_changed

KEEP_WALL_CLOCK = "wall_clock"
KEEP_INSTANTS = "instants"
KEEP_CHOICES = [
    (KEEP_WALL_CLOCK, "their wall-clock times"),
    (KEEP_INSTANTS, "their instants"),
]
EXAMPLES = 3  # talks named in a summary before "and N more"


class ZoneChangeError(ValueError):
    """The zone change was refused; ``messages`` say why, naming the talks."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


@dataclass(frozen=True)
class TalkMove:
    """A talk's times before and after the zone change, as instants in UTC."""

    talk: object
    start: datetime.datetime
    end: datetime.datetime
    new_start: datetime.datetime
    new_end: datetime.datetime


@dataclass(frozen=True)
class ZoneChangePlan:
    """What changing ``from_zone`` to ``to_zone`` does to the talks, keeping ``keep``."""

    from_zone: zoneinfo.ZoneInfo
    to_zone: zoneinfo.ZoneInfo
    keep: str
    first_day: datetime.date
    last_day: datetime.date
    moves: tuple[TalkMove, ...] = ()
    refusals: tuple[str, ...] = ()  # talks the change cannot keep as asked
    warnings: tuple[str, ...] = ()  # talks kept, but worth a look
    outside: tuple[TalkMove, ...] = ()  # talks the change takes outside the event's dates
    summary: tuple[str, ...] = ()  # one line per way the talks move, with an example

    @property
    def changes_anything(self):
        """Whether the two ways of changing differ: some talk's clock or instant moves."""
        return bool(self.refusals) or any(
            move.start.astimezone(self.from_zone).utcoffset()
            != move.start.astimezone(self.to_zone).utcoffset()
            or move.end.astimezone(self.from_zone).utcoffset()
            != move.end.astimezone(self.to_zone).utcoffset()
            for move in self.moves
        )

    def outside_words(self):
        """“2 talks fall outside …: “A” (Tue 6 Nov 23:30 WET), “B” (…).”, or ""."""
        if not self.outside:
            return ""
        count = len(self.outside)
        named = ", ".join(
            f"“{move.talk.title}” ({_clock(move.new_start, self.to_zone)})"
            for move in self.outside[:EXAMPLES]
        )
        more = f" and {count - EXAMPLES} more" if count > EXAMPLES else ""
        return (
            f"{_talks(count)} {'falls' if count == 1 else 'fall'} outside the event's dates, "
            f"{_dates_words(self.first_day, self.last_day)} in {self.to_zone.key}: {named}{more}."
        )


def _talks(count):
    return f"{count} talk{'' if count == 1 else 's'}"


def _dates_words(first, last):
    if first == last:
        return f"{first:%-d %b %Y}"
    return f"{first:%-d %b} to {last:%-d %b %Y}"


def _clock(instant, zone):
    """“Wed 7 Nov 10:00 CET”: what the venue's clock in ``zone`` shows at ``instant``."""
    return f"{instant.astimezone(zone):%a %-d %b %H:%M %Z}"


def _shift_words(delta):
    """“an hour later”, “30 minutes earlier”: how far ``delta`` moves a time."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes == 60:
        amount = "an hour"
    elif minutes % 60 == 0:
        amount = f"{minutes // 60} hours"
    elif minutes > 60:
        amount = f"{minutes // 60} h {minutes % 60:02d} min"
    else:
        amount = f"{minutes} minutes"
    return f"{amount} {'later' if delta > datetime.timedelta(0) else 'earlier'}"


def _same_wall_clock(instant, from_zone, to_zone):
    """``(instant, reading)``: when clocks in ``to_zone`` show what ``from_zone``'s did.

    ``reading`` is None for a time ``to_zone`` shows once, "skipped" for one
    it never shows (the instant is None), else which of its two it took:
    the one with the fold it had before (the first, unless the talk was in
    the second of a repeated hour), as a time entered once is read first.
    """
    local = instant.astimezone(from_zone)
    instants = venue_instants(local.replace(tzinfo=None, fold=0), to_zone)
    if not instants:
        return None, "skipped"
    if len(instants) == 1:
        return instants[0].astimezone(datetime.UTC), None
    chosen = instants[local.fold]
    return chosen.astimezone(datetime.UTC), "the second" if local.fold else "the first"


def _is_inside(start, end, zone, first_day, last_day):
    # A talk ending at midnight ends on the day before (as the clash check reads it).
    last = venue_local_date(end - datetime.timedelta(microseconds=1), zone)
    return first_day <= venue_local_date(start, zone) and last <= last_day


def zone_change_plan(*, talks, from_zone, to_zone, keep, first_day, last_day):
    """What moving the scheduled ``talks`` from ``from_zone`` to ``to_zone`` does.

    ``keep`` is ``KEEP_WALL_CLOCK`` (each talk keeps the times the venue's
    clock shows, so its instant moves) or ``KEEP_INSTANTS`` (the instant
    stays, so the clock moves). ``first_day`` and ``last_day`` are the
    event's dates, for the talks the change takes outside them. Nothing is
    saved; ``event_change_zone`` applies the plan.
    """
    from_zone, to_zone = (
        zone if isinstance(zone, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(zone)
        for zone in (from_zone, to_zone)
    )
    moves, refusals, warnings = [], [], []
    for talk in talks:
        if talk.start is None:
            continue
        if keep == KEEP_INSTANTS:
            moves.append(TalkMove(talk, talk.start, talk.end, talk.start, talk.end))
            continue
        new = {}
        for name in ("start", "end"):
            instant = getattr(talk, name)
            new[name], reading = _same_wall_clock(instant, from_zone, to_zone)
            local = instant.astimezone(from_zone)
            verb = "starts" if name == "start" else "ends"
            when = f"{verb} at {local:%H:%M} on {local:%a %-d %b %Y}"
            if reading == "skipped":
                refusals.append(
                    f"“{talk.title}” {when}, a time the clocks in {to_zone.key} skip: "
                    "move the talk first, or keep the talks' instants."
                )
            elif reading is not None:
                warnings.append(
                    f"“{talk.title}” {when}, which {to_zone.key} shows twice: it keeps "
                    f"{reading}, at {offset_words(new[name].astimezone(to_zone))}."
                )
        if None in new.values():
            continue
        if new["end"] <= new["start"]:
            refusals.append(
                f"“{talk.title}” would end before it starts in {to_zone.key}, whose clocks go "
                "back at another time: move the talk first, or keep the talks' instants."
            )
            continue
        moves.append(TalkMove(talk, talk.start, talk.end, new["start"], new["end"]))
    outside = [
        move
        for move in moves
        if _is_inside(move.start, move.end, from_zone, first_day, last_day)
        and not _is_inside(move.new_start, move.new_end, to_zone, first_day, last_day)
    ]
    plan = ZoneChangePlan(
        from_zone=from_zone,
        to_zone=to_zone,
        keep=keep,
        first_day=first_day,
        last_day=last_day,
        moves=tuple(moves),
        refusals=tuple(refusals),
        warnings=tuple(warnings),
        outside=tuple(outside),
    )
    return _with_summary(plan)


def _with_summary(plan):
    """The plan with its summary: one line per way the talks move, with an example."""
    groups = {}
    for move in plan.moves:
        if plan.keep == KEEP_WALL_CLOCK:
            shift = move.new_start - move.start
        else:
            before = move.start.astimezone(plan.from_zone).replace(tzinfo=None)
            shift = move.start.astimezone(plan.to_zone).replace(tzinfo=None) - before
        groups.setdefault(shift, []).append(move)
    lines = []
    for shift, moves in groups.items():
        example = moves[0]
        was = _clock(example.start, plan.from_zone)
        if plan.keep == KEEP_WALL_CLOCK:
            moved = f"{_shift_words(shift)} in UTC" if shift else "the same instant as before"
            now = f"{example.new_start.astimezone(plan.to_zone):%H:%M %Z}"
            lines.append(
                f"{_talks(len(moves))}: {was} stays {now} in {plan.to_zone.key} ({moved}), "
                f"e.g. “{example.talk.title}”."
            )
        else:
            moved = f"{_shift_words(shift)} on the venue's clock" if shift else "the same times"
            now = _clock(example.new_start, plan.to_zone)
            lines.append(
                f"{_talks(len(moves))}: {was} in {plan.from_zone.key} becomes {now} "
                f"in {plan.to_zone.key} ({moved}), e.g. “{example.talk.title}”."
            )
    return dataclasses.replace(plan, summary=tuple(lines))


def event_zone_change_plan(*, event, zone, keep, lock=False):
    """``zone_change_plan`` for ``event``'s talks, from its stored zone to ``zone``.

    The event's dates are those of ``event`` as given (a form may change
    them with the zone); its zone is the one stored, which the instance may
    already have been given the new value over. ``lock`` locks the talks
    until the transaction ends, so that they are still as planned when saved.
    """
    stored = Event.objects.filter(pk=event.pk).values_list("time_zone", flat=True).get()
    talks = event.talks.filter(start__isnull=False).order_by("start", "pk")
    if lock:
        talks = talks.select_for_update()
    return zone_change_plan(
        talks=list(talks.only("title", "start", "end", "event_id", "updated")),
        from_zone=stored,
        to_zone=zone,
        keep=keep,
        first_day=event.start_date,
        last_day=event.end_date,
    )


def _released_copies_keep_wall_clock(event, plan):
    """The releases' frozen talks move as the working ones do: the public schedule shows
    the venue's clock, and a release must not show talks an hour off after a zone change.
    A copy whose time does not exist in the new zone keeps its instant."""
    # Through the event's relation: this app sits below the one that defines talks.
    released = event.talks.model.released.filter(event=event, start__isnull=False)
    copies = zone_change_plan(
        talks=list(released.only("title", "start", "end", "event_id")),
        from_zone=plan.from_zone.key,
        to_zone=plan.to_zone.key,
        keep=KEEP_WALL_CLOCK,
        first_day=event.start_date,
        last_day=event.end_date,
    )
    for move in copies.moves:
        move.talk.start, move.talk.end = move.new_start, move.new_end
    released.model.released.bulk_update(
        [move.talk for move in copies.moves], ["start", "end"], batch_size=500
    )


def event_change_zone(*, event, zone, keep, allow_outside=False):
    """Give ``event`` the time zone ``zone``, its talks keeping ``keep``; one transaction.

    With ``KEEP_WALL_CLOCK`` every scheduled talk is rewritten to the times
    the venue's clock showed before; with ``KEEP_INSTANTS`` they stay as
    they are. Refused with ``ZoneChangeError`` when a talk's time does not
    exist in the new zone, or when the change takes talks outside the
    event's dates and ``allow_outside`` is not set. Returns the plan it
    applied, whose ``summary`` and ``warnings`` the caller reports.
    """
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).values_list("pk").get()
        plan = event_zone_change_plan(event=event, zone=zone, keep=keep, lock=True)
        if plan.refusals:
            raise ZoneChangeError(plan.refusals)
        if plan.outside and not allow_outside:
            raise ZoneChangeError([plan.outside_words()])
        if keep == KEEP_WALL_CLOCK:
            now = timezone.now()
            talks = []
            for move in plan.moves:
                move.talk.start, move.talk.end = move.new_start, move.new_end
                # Moved on: a talk form opened before the change refuses to save over it.
                move.talk.updated = now
                talks.append(move.talk)
            # bulk_update sends no signals: the page cache is told below.
            event.talks.bulk_update(talks, ["start", "end", "updated"], batch_size=500)
            _released_copies_keep_wall_clock(event, plan)
        event.time_zone = plan.to_zone.key
        event.__dict__.pop("tz", None)  # the cached zone of the instance
        event.save(update_fields=["time_zone", "updated"])
        event_pages_changed(event.slug)
    return plan
