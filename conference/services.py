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
from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from conference.models import Event
from conference.venue_time import offset_words, venue_instants, venue_local_date
from infrastructure.page_cache import event_pages_changed

KEEP_WALL_CLOCK = "wall_clock"
KEEP_INSTANTS = "instants"
KEEP_CHOICES = [
    (KEEP_WALL_CLOCK, _("their wall-clock times")),
    (KEEP_INSTANTS, _("their instants")),
]
EXAMPLES = 3  # talks named in a summary before "and N more"
# Which of a repeated hour's two instants a talk keeps, in its warning.
READINGS = {"the first": _("the first"), "the second": _("the second")}


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
        if count > EXAMPLES:
            named = gettext("%(named)s and %(count)s more") % {
                "named": named,
                "count": count - EXAMPLES,
            }
        return ngettext(
            "%(count)s talk falls outside the event's dates, %(dates)s in %(zone)s: %(talks)s.",
            "%(count)s talks fall outside the event's dates, %(dates)s in %(zone)s: %(talks)s.",
            count,
        ) % {
            "count": count,
            "dates": _dates_words(self.first_day, self.last_day),
            "zone": self.to_zone.key,
            "talks": named,
        }


def _talks(count):
    return ngettext("%(count)s talk", "%(count)s talks", count) % {"count": count}


def _dates_words(first, last):
    # Day and month names in the reader's language (Django's formats), not the C locale's.
    if first == last:
        return dateformat.format(first, "j M Y")
    return gettext("%(first)s to %(last)s") % {
        "first": dateformat.format(first, "j M"),
        "last": dateformat.format(last, "j M Y"),
    }


def _clock(instant, zone):
    """“Wed 7 Nov 10:00 CET”: what the venue's clock in ``zone`` shows at ``instant``."""
    local = instant.astimezone(zone)
    return f"{dateformat.format(local, 'D j M H:i')} {local:%Z}"


def _shift_words(delta):
    """“an hour later”, “30 minutes earlier”: how far ``delta`` moves a time."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes == 60:
        amount = gettext("an hour")
    elif minutes % 60 == 0:
        hours = minutes // 60
        amount = ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    elif minutes > 60:
        amount = gettext("%(hours)s h %(minutes)s min") % {
            "hours": minutes // 60,
            "minutes": f"{minutes % 60:02d}",
        }
    else:
        amount = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    if delta > datetime.timedelta(0):
        return gettext("%(amount)s later") % {"amount": amount}
    return gettext("%(amount)s earlier") % {"amount": amount}


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
            at = {"time": f"{local:%H:%M}", "day": dateformat.format(local, "D j M Y")}
            if name == "start":
                when = gettext("starts at %(time)s on %(day)s") % at
            else:
                when = gettext("ends at %(time)s on %(day)s") % at
            if reading == "skipped":
                refusals.append(
                    gettext(
                        "“%(title)s” %(when)s, a time the clocks in %(zone)s skip: "
                        "move the talk first, or keep the talks' instants."
                    )
                    % {"title": talk.title, "when": when, "zone": to_zone.key}
                )
            elif reading is not None:
                warnings.append(
                    gettext(
                        "“%(title)s” %(when)s, which %(zone)s shows twice: it keeps "
                        "%(reading)s, at %(offset)s."
                    )
                    % {
                        "title": talk.title,
                        "when": when,
                        "zone": to_zone.key,
                        "reading": READINGS[reading],
                        "offset": offset_words(new[name].astimezone(to_zone)),
                    }
                )
        if None in new.values():
            continue
        if new["end"] <= new["start"]:
            refusals.append(
                gettext(
                    "“%(title)s” would end before it starts in %(zone)s, whose clocks go "
                    "back at another time: move the talk first, or keep the talks' instants."
                )
                % {"title": talk.title, "zone": to_zone.key}
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
        words = {
            "talks": _talks(len(moves)),
            "was": was,
            "from_zone": plan.from_zone.key,
            "zone": plan.to_zone.key,
            "title": example.talk.title,
        }
        if plan.keep == KEEP_WALL_CLOCK:
            if shift:
                moved = gettext("%(shift)s in UTC") % {"shift": _shift_words(shift)}
            else:
                moved = gettext("the same instant as before")
            now = f"{example.new_start.astimezone(plan.to_zone):%H:%M %Z}"
            lines.append(
                gettext(
                    "%(talks)s: %(was)s stays %(now)s in %(zone)s (%(moved)s), e.g. “%(title)s”."
                )
                % {**words, "now": now, "moved": moved}
            )
        else:
            if shift:
                moved = gettext("%(shift)s on the venue's clock") % {"shift": _shift_words(shift)}
            else:
                moved = gettext("the same times")
            now = _clock(example.new_start, plan.to_zone)
            lines.append(
                gettext(
                    "%(talks)s: %(was)s in %(from_zone)s becomes %(now)s in %(zone)s "
                    "(%(moved)s), e.g. “%(title)s”."
                )
                % {**words, "now": now, "moved": moved}
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
