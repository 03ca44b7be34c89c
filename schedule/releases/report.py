"""A release plan as organisers read it before releasing: in the command and on the admin page.

Each change is one line: the talk's title and what happened to it. Times are
the venue's clock with the zone's abbreviation (the report names the zone in
full once); a move shows the old and the new time and room.
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from conference.venue_time import describe_zone
from schedule.releases.changes import ChangeKind, grouped, speakers_of
from schedule.releases.service import nothing_changed_message

HEADINGS = {
    ChangeKind.NEW: pgettext_lazy("talks of a release", "New"),
    ChangeKind.CANCELLED: pgettext_lazy("talks of a release", "Cancelled"),
    ChangeKind.WITHDRAWN: pgettext_lazy("talks of a release", "Withdrawn"),
    ChangeKind.MOVED: pgettext_lazy("talks of a release", "Moved"),
    ChangeKind.CHANGED: pgettext_lazy("talks of a release", "Changed"),
    ChangeKind.DETAILS: _("Details only"),
}
FIELD_WORDS = {
    "subtitle": _("subtitle"),
    "abstract": _("abstract"),
    "language": _("language"),
    "do_not_record": _("do-not-record"),
    "slug": _("slug"),
}
# Said in the line of a change; the time and room are its slot.
SLOT_FIELDS = {"start", "end", "room"}


@dataclass(frozen=True)
class ChangeLine:
    change: object  # the TalkChange
    title: str
    text: str


@dataclass(frozen=True)
class ChangeGroup:
    kind: ChangeKind
    heading: str
    lines: list


@dataclass
class PlanReport:
    plan: object
    zone: str  # "Europe/Madrid (CET, UTC+01:00)"
    groups: list

    @property
    def event(self):
        return self.plan.event

    @property
    def since(self):
        """``since release “1”``, or ``the first release`` when there is none yet."""
        previous = self.plan.previous
        if previous:
            return gettext("since release “%(name)s”") % {"name": previous.name}
        return gettext("in the first release")

    @property
    def change_count(self):
        return len(self.plan.changes)

    @property
    def speaker_count(self):
        return len(self.plan.speakers_to_tell)

    @property
    def nothing_changed(self):
        return nothing_changed_message(self.plan) if not self.plan.changes else ""


def plural(number, thing, things=None):
    """``1 change``, ``3 changes``."""
    return f"{number:,} {thing if number == 1 else things or thing + 's'}"


def slot_words(talk, event):
    """``Wed 7 Nov 09:00–09:30 CET, Hall``: when and where, at the venue's clock."""
    room = talk.room.name if talk.room_id else gettext("no room")
    if talk.start is None:
        return gettext("unscheduled, %(room)s") % {"room": room}
    start, end = event.local_time(talk.start), event.local_time(talk.end)
    day_and_time = "D j M H:i"
    if start.utcoffset() != end.utcoffset():
        # The clocks change during the talk: each time with its own zone.
        when = f"{date_format(start, day_and_time)} {start:%Z}–{end:%H:%M %Z}"
    elif start.date() != end.date():
        when = f"{date_format(start, day_and_time)}–{date_format(end, day_and_time)} {start:%Z}"
    else:
        when = f"{date_format(start, day_and_time)}–{end:%H:%M} {start:%Z}"
    return f"{when}, {room}"


def _names(talk):
    return ", ".join(speaker.name for speaker in speakers_of(talk)) or gettext("no speakers")


def _field_change(field, before, after, track_names):
    if field == "title":
        return gettext("title was “%(title)s”") % {"title": before.title}
    if field == "speakers":
        return gettext("speakers %(old)s → %(new)s") % {
            "old": _names(before),
            "new": _names(after),
        }
    if field == "kind":
        return gettext("kind %(old)s → %(new)s") % {
            "old": before.get_kind_display(),
            "new": after.get_kind_display(),
        }
    if field == "track":
        none = gettext("none")
        old, new = (track_names.get(talk.track_id, none) for talk in (before, after))
        return gettext("track %(old)s → %(new)s") % {"old": old, "new": new}
    return str(FIELD_WORDS.get(field, field))


def _text(change, event, track_names):
    talk = change.talk
    if change.kind in (ChangeKind.NEW, ChangeKind.CANCELLED):
        return gettext("%(slot)s; by %(speakers)s") % {
            "slot": slot_words(talk, event),
            "speakers": _names(talk),
        }
    if change.kind == ChangeKind.WITHDRAWN:
        return gettext("was %(slot)s") % {"slot": slot_words(talk, event)}
    told = [
        _field_change(field, change.before, change.after, track_names)
        for field in change.fields
        if field not in SLOT_FIELDS
    ]
    if change.kind == ChangeKind.MOVED:
        moved = f"{slot_words(change.before, event)} → {slot_words(change.after, event)}"
        also = [gettext("also %(change)s") % {"change": words} for words in told]
        return "; ".join([moved, *also])
    return "; ".join(told)


def plan_report(plan):
    """The plan's changes as ``ChangeGroup`` lines, in ``ChangeKind`` order, and its zone."""
    event = plan.event
    track_names = dict(event.tracks.values_list("pk", "name"))
    first_start = next((change.talk.start for change in plan.changes if change.talk.start), None)
    groups = [
        ChangeGroup(
            kind=kind,
            heading=HEADINGS[kind],
            lines=[
                ChangeLine(
                    change=change, title=change.talk.title, text=_text(change, event, track_names)
                )
                for change in changes
            ],
        )
        for kind, changes in grouped(plan.changes).items()
    ]
    return PlanReport(plan=plan, zone=describe_zone(event.tz, first_start), groups=groups)
