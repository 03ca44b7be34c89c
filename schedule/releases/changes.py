"""What changed between two versions of an event's schedule, talk by talk.

A version is a list of talks: a release's frozen copies, or the working
talks that the next release would freeze. Talks are matched by UUID, which
never changes, so a renamed or re-slugged talk is the same talk.
"""

import enum
from dataclasses import dataclass

# What a release freezes and the changelog reports, in the order it reports them.
SCHEDULE_FIELDS = ("start", "end", "room", "title", "speakers", "kind", "track")
# Frozen too, but only worth a line in the changelog: they move nobody.
DETAIL_FIELDS = ("subtitle", "abstract", "language", "do_not_record", "slug")


class ChangeKind(enum.StrEnum):
    NEW = "new"
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"  # gone from the schedule: unpublished or deleted
    MOVED = "moved"  # its time or its room changed
    CHANGED = "changed"  # its title, speakers, kind or track changed
    DETAILS = "details"  # only its description, subtitle, language or slug


# Attendees' and speakers' plans change with these; a new mail is worth it.
NOTIFIED_KINDS = frozenset(
    {ChangeKind.NEW, ChangeKind.CANCELLED, ChangeKind.WITHDRAWN, ChangeKind.MOVED}
)


@dataclass(frozen=True)
class TalkChange:
    kind: ChangeKind
    before: object  # the talk as the older version had it, or None when new
    after: object  # the talk as the newer version has it, or None when withdrawn
    fields: tuple  # which of SCHEDULE_FIELDS and DETAIL_FIELDS differ

    @property
    def talk(self):
        """The talk as it stands after the change (as it last stood, once withdrawn)."""
        return self.after if self.after is not None else self.before

    @property
    def moved_in_time(self):
        return "start" in self.fields or "end" in self.fields

    @property
    def moved_room(self):
        return "room" in self.fields

    @property
    def speakers(self):
        """Everybody the change concerns: the speakers before and after, once each."""
        seen = {}
        for version in (self.after, self.before):
            if version is not None:
                for speaker in speakers_of(version):
                    seen.setdefault(speaker.pk, speaker)
        return list(seen.values())


def speakers_of(talk):
    """The talk's speakers in its order (``talk_speakers`` prefetched with their speakers)."""
    return [link.speaker for link in talk.talk_speakers.all()]


def _value(talk, field):
    if field == "speakers":
        return tuple(link.speaker_id for link in talk.talk_speakers.all())
    if field in ("room", "track"):
        return getattr(talk, f"{field}_id")
    return getattr(talk, field)


def _differing(before, after, fields):
    return tuple(field for field in fields if _value(before, field) != _value(after, field))


def _kind(before, after, fields):
    if before is None:
        return ChangeKind.CANCELLED if after.is_cancelled else ChangeKind.NEW
    if after is None:
        return ChangeKind.WITHDRAWN
    if after.is_cancelled and not before.is_cancelled:
        return ChangeKind.CANCELLED
    if before.is_cancelled and not after.is_cancelled:
        return ChangeKind.NEW
    if {"start", "end", "room"} & set(fields):
        return ChangeKind.MOVED
    if set(fields) & set(SCHEDULE_FIELDS):
        return ChangeKind.CHANGED
    return ChangeKind.DETAILS


def _order(change):
    talk = change.talk
    when = talk.start.timestamp() if talk.start else 0
    return (talk.start is None, when, talk.title.casefold(), str(talk.uuid))


def schedule_changes(before, after):
    """The ``TalkChange`` of each talk that differs between two versions, by time.

    ``before`` and ``after`` are iterables of talks with ``talk_speakers``
    prefetched; ``before`` is empty for a first release.
    """
    old = {talk.uuid: talk for talk in before}
    new = {talk.uuid: talk for talk in after}
    changes = []
    for uuid in old.keys() | new.keys():
        was, now = old.get(uuid), new.get(uuid)
        if was is not None and now is not None:
            fields = _differing(was, now, SCHEDULE_FIELDS + DETAIL_FIELDS)
            if not fields and was.is_cancelled == now.is_cancelled:
                continue
        else:
            fields = ()
        changes.append(TalkChange(_kind(was, now, fields), was, now, fields))
    return sorted(changes, key=_order)


def grouped(changes):
    """``changes`` as ``{kind: [change, ...]}`` in ``ChangeKind`` order, empty kinds left out."""
    groups = {kind: [] for kind in ChangeKind}
    for change in changes:
        groups[change.kind].append(change)
    return {kind: items for kind, items in groups.items() if items}
