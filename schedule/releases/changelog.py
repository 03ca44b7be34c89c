"""The public changelog of an event's schedule: each release and what it changed.

A release's changes are computed once, when it is made, and stored as
``ReleaseChange`` rows that point at the talk's copies in the release before
and in this one (``release_changes_record``). The changelog page and its feed
read those rows (``event_changelog``) in a fixed number of queries, however
many talks and releases the event has, instead of comparing every pair of
releases on each request.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from schedule.models import Release, ReleaseChange, Talk
from schedule.releases.changes import DETAIL_FIELDS, ChangeKind, grouped
from schedule.selectors import attach_speaker_names

# What each group of the changelog is headed.
GROUP_HEADINGS = {
    ChangeKind.NEW: pgettext_lazy("talks of a release", "New"),
    ChangeKind.CANCELLED: pgettext_lazy("talks of a release", "Cancelled"),
    ChangeKind.WITHDRAWN: _("Withdrawn from the schedule"),
    ChangeKind.MOVED: pgettext_lazy("talks of a release", "Moved"),
    ChangeKind.CHANGED: pgettext_lazy("talks of a release", "Changed"),
    ChangeKind.DETAILS: _("Details updated"),
}
# The changes a line spells out as "old → new", in this order.
COMPARED_FIELDS = (
    ("title", _("Title")),
    ("speakers", _("Speakers")),
    ("kind", _("Kind")),
    ("track", _("Track")),
)
DETAIL_WORDS = {
    "subtitle": _("subtitle"),
    "abstract": _("abstract"),
    "language": _("language"),
    "do_not_record": _("recording"),
    "slug": _("address"),
}


def release_changes_record(*, release, changes, copies):
    """Store ``changes`` (``TalkChange``s, in the changelog's order) as ``release``'s.

    ``copies`` are the talks frozen into ``release``; a change's working talk
    is matched to its copy by UUID. The earlier version of a change is already
    a copy, of the release before.
    """
    copy_by_uuid = {copy.uuid: copy for copy in copies}
    return ReleaseChange.objects.bulk_create(
        ReleaseChange(
            release=release,
            position=position,
            kind=change.kind.value,
            fields=list(change.fields),
            before=change.before,
            after=None if change.after is None else copy_by_uuid[change.after.uuid],
        )
        for position, change in enumerate(changes)
    )


@dataclass
class ChangelogLine:
    """One talk's change as the changelog shows it."""

    kind: str
    before: object  # the copy in the release before, or None
    after: object  # the copy in this release, or None when withdrawn
    fields: tuple
    path: str = ""  # the talk's page, when the current release shows it
    differences: list = field(default_factory=list)  # (label, old, new) of COMPARED_FIELDS
    details: list = field(default_factory=list)  # words for the DETAIL_FIELDS that changed

    @property
    def talk(self):
        return self.after if self.after is not None else self.before

    @property
    def room_changed(self):
        return "room" in self.fields


@dataclass
class ChangelogGroup:
    kind: str
    heading: str
    lines: list


@dataclass
class ChangelogRelease:
    release: Release
    groups: list

    @property
    def anchor(self):
        return f"release-{self.release.number}"

    @property
    def change_count(self):
        return sum(len(group.lines) for group in self.groups)


def _kind_label(kind):
    return Talk.Kind(kind).label if kind in Talk.Kind.values else kind


def _shown(talk, name):
    if name == "speakers":
        return ", ".join(talk.speaker_names) or gettext("no speakers")
    if name == "kind":
        return _kind_label(talk.kind)
    if name == "track":
        return talk.track.name if talk.track else gettext("no track")
    return getattr(talk, name)


def _line(change, paths):
    fields = tuple(change.fields)
    line = ChangelogLine(kind=change.kind, before=change.before, after=change.after, fields=fields)
    if change.after is not None:  # a withdrawn talk has no page to go to
        line.path = paths.get(change.after.uuid, "")
    if change.before is not None and change.after is not None:
        line.differences = [
            (label, _shown(change.before, name), _shown(change.after, name))
            for name, label in COMPARED_FIELDS
            if name in fields
        ]
    line.details = [DETAIL_WORDS[name] for name in DETAIL_FIELDS if name in fields]
    return line


def _current_talk_paths(event):
    """The page of each talk the current release shows, by UUID (cancelled ones have none)."""
    talks = Talk.released.current_of(event).published()
    return {
        uuid: reverse("schedule:talk_detail", args=[event.slug, slug])
        for uuid, slug in talks.values_list("uuid", "slug")
    }


def releases_with_changes(event):
    """The releases of ``event``, newest first, each with its stored ``changes`` in order.

    A queryset, so a reader can take a page of it: two queries for a page of
    releases however many talks they changed (the releases, then their changes
    with both copies and their rooms). Only the copies' times, rooms and titles
    are meant to be read from it: their abstracts are left unloaded.
    """
    changes = (
        ReleaseChange.objects.select_related("before__room", "after__room")
        .defer("before__abstract", "after__abstract")
        .order_by("position")
    )
    return (
        Release.objects.filter(event=event)
        .order_by("-number")
        .prefetch_related(Prefetch("changes", queryset=changes))
    )


def event_changelog(event):
    """Every release of ``event``, newest first, each with its changes grouped by kind.

    Four queries whatever the number of talks and releases: the releases,
    their changes with both copies (rooms and tracks joined), the copies'
    speakers, and the pages of the current release's talks.
    """
    releases = list(Release.objects.filter(event=event).order_by("-number"))
    changes = list(
        ReleaseChange.objects.filter(release__event=event)
        .select_related("before__room", "before__track", "after__room", "after__track")
        .defer("before__abstract", "after__abstract")
        .order_by("release_id", "position")
    )
    attach_speaker_names(
        [talk for change in changes for talk in (change.before, change.after) if talk]
    )
    paths = _current_talk_paths(event)
    by_release = defaultdict(list)
    for change in changes:
        by_release[change.release_id].append(_line(change, paths))
    return [
        ChangelogRelease(
            release=release,
            groups=[
                ChangelogGroup(kind=kind.value, heading=GROUP_HEADINGS[kind], lines=lines)
                for kind, lines in grouped(by_release[release.pk]).items()
            ],
        )
        for release in releases
    ]
