"""Reads of talks for the public pages, gathered here so their queries can be counted."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q
from django.shortcuts import get_object_or_404

from schedule.models import Release, Talk, TalkSpeaker
from schedule.search import Folded, folded_query

# Pass as ``release`` to read the working schedule, as organisers preview it.
WORKING = "working"


def schedule_version(event, release=None):
    """The talks of one version of ``event``'s schedule, unfiltered.

    ``release=None`` is what attendees see: the frozen copies of the event's
    current release. A ``Release`` of the event gives that past release;
    ``WORKING`` the talks organisers are editing.
    """
    if release == WORKING:
        return Talk.objects.filter(event=event)
    # By the release alone, not also by the event (a release is one event's): given
    # both, SQLite without fresh statistics reads by the (event, start) index, every
    # copy of every release of the day, and a page slows with each release made.
    if release is None:
        return Talk.released.current_of(event)
    if release.event_id != event.pk:
        return Talk.released.none()
    return Talk.released.of(release)


def visible_talks(event, *, release=None):
    """The event's talks attendees may see, with rooms, tracks and speakers loaded."""
    talks = schedule_version(event, release).published()
    return talks.select_related("room", "track").with_speakers()


def parse_talk_ids(value):
    """The talk UUIDs in a ``talks=`` parameter (comma-separated); junk is ignored."""
    ids = []
    for part in (value or "").split(","):
        try:
            ids.append(uuid.UUID(part.strip()))
        except ValueError:
            continue
    return ids


def calendar_talks(event, *, talk_ids=None, release=None):
    """Scheduled talks for the event's calendar: the visible ones and the cancelled ones."""
    talks = (
        schedule_version(event, release)
        .filter(is_published=True, event__is_published=True)
        .scheduled()
        .select_related("room", "track")
        .with_speakers()
    )
    if talk_ids is not None:
        talks = talks.filter(uuid__in=talk_ids)
    return talks.order_by("start", "room__position", "room__name", "title")


def speaker_calendar_talks(event, speaker):
    """``calendar_talks`` of ``event`` that ``speaker`` gives, cancelled ones included."""
    return calendar_talks(event).filter(talk_speakers__speaker=speaker)


def talks_matching(talks, event, query):
    """``talks`` of ``event`` whose title, abstract or a speaker's name holds ``query``.

    Case and accents are ignored alike on both databases (``schedule.search``).
    Speakers are matched in a subquery of their own, not through a join ORed
    with the talk's columns: that join repeats each talk once per speaker, and
    without fresh statistics PostgreSQL ran it again for every talk (seconds
    for 900 talks). This subquery does not depend on the outer row, so it runs
    once and the talks are filtered in one scan.
    """
    words = folded_query(query)
    by_speaker = (
        # The speakers of these talks only, not of every release's copies of them.
        TalkSpeaker.objects.filter(talk__in=talks.values("pk"))
        .alias(folded_name=Folded("speaker__name"))
        .filter(folded_name__contains=words)
        .values("talk_id")
    )
    return talks.alias(folded_title=Folded("title"), folded_abstract=Folded("abstract")).filter(
        Q(folded_title__contains=words) | Q(folded_abstract__contains=words) | Q(pk__in=by_speaker)
    )


def schedule_talks(
    event, *, day=None, room=None, track=None, query="", talk_ids=None, release=None
):
    """Scheduled visible talks of ``event``, filtered as the schedule page asks, by time."""
    talks = visible_talks(event, release=release).scheduled()
    if day is not None:
        starts, ends = event.day_bounds(day)
        talks = talks.filter(start__gte=starts, start__lt=ends)
    if room is not None:
        talks = talks.filter(room=room)
    if track is not None:
        talks = talks.filter(track=track)
    if talk_ids is not None:
        talks = talks.filter(uuid__in=talk_ids)
    if query:
        talks = talks_matching(talks, event, query)
    return talks.order_by("start", "room__position", "room__name", "title")


@dataclass(slots=True)
class PageTalk:
    """A talk as the schedule page and the embeddable schedule show it.

    Not a model instance: a 100-room day has 1,300 talks, and each instance
    brought its state and caches (four objects for the garbage collector to
    walk, and most of the time it took to read them). Only these columns are
    read; any other is an AttributeError, not a query per talk.
    """

    pk: int
    title: str
    slug: str
    kind: str
    uuid: str  # as the page prints it
    start: datetime.datetime
    end: datetime.datetime
    is_cancelled: bool
    room_id: int | None
    track_id: int | None
    room: object = None  # the event's Room, or None
    track: object = None  # the event's Track, or None
    speaker_names: tuple[str, ...] = ()
    content: tuple = ()  # what the card shows, as read: equal for equal cards

    def get_kind_display(self):
        return str(_KIND_LABELS.get(self.kind, self.kind))


# Lazy: each label is translated when it is printed.
_KIND_LABELS = dict(Talk.Kind.choices)
_PAGE_TALK_COLUMNS = (
    "pk",
    "title",
    "slug",
    "kind",
    "uuid",
    "start",
    "end",
    "is_cancelled",
    "room_id",
    "track_id",
)


def _raw_rows(queryset):
    """The rows of ``queryset`` (a ``values_list``) as the database driver gives them.

    Without Django's converters, which made a new aware datetime and UUID per
    row: a third of a 900-talk page's read. The callers convert each distinct
    value once (``_utc``, ``_uuid_text``).
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that no row can pass (``pk__in=[]``)
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _utc(value):
    # SQLite gives the stored UTC time without its zone; PostgreSQL gives it aware.
    return value.replace(tzinfo=datetime.UTC) if value.tzinfo is None else value


def _uuid_text(value):
    # SQLite gives the 32 hex digits (as Django stores them); PostgreSQL a UUID.
    if isinstance(value, uuid.UUID) or len(value) != 32:
        return str(uuid.UUID(str(value)))
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}".lower()


def schedule_page_talks(event, *, rooms, tracks, **filters):
    """The schedule page's talks (``schedule_talks`` with its filters), as ``PageTalk`` rows.

    Only the columns the page shows are loaded, not the abstracts or the
    speakers' bios. Each talk's room and track are the instances in
    ``rooms`` and ``tracks`` (the event's, which the page's filters already
    loaded) and its speakers' names come as the tuple ``talk.speaker_names``:
    no model instance per talk, room, track, speaker or link, which were
    most of a 900-talk page's cold time. Each talk's ``content`` is what its
    card shows, as the database gives it (``schedule.day_sections`` keys the
    rendered days by it).
    """
    talks = schedule_talks(event, **filters).select_related(None).prefetch_related(None)
    rows = _raw_rows(talks.values_list(*_PAGE_TALK_COLUMNS))
    rooms_by_id = {room.pk: room for room in rooms}
    tracks_by_id = {track.pk: track for track in tracks}
    # The same talks in a subquery, not a parameter per talk.
    names = speaker_names_by_talk(talks.values("pk")) if rows else {}
    times = {}
    page_talks = []
    for row in rows:
        pk, title, slug, kind, talk_uuid, start, end, is_cancelled, room_id, track_id = row
        if start not in times:
            times[start] = _utc(start)
        if end not in times:
            times[end] = _utc(end)
        speaker_names = tuple(names.get(pk, ()))
        page_talks.append(
            PageTalk(
                pk,
                title,
                slug,
                kind,
                _uuid_text(talk_uuid),
                times[start],
                times[end],
                bool(is_cancelled),
                room_id,
                track_id,
                rooms_by_id.get(room_id),
                tracks_by_id.get(track_id),
                speaker_names,
                # Not the id: a release's copy of an unchanged talk shows what the last one did.
                (row[1:], speaker_names),
            )
        )
    return page_talks


def speaker_names_by_talk(talk_ids):
    """Each talk's speakers' names in order, by talk id; one query.

    ``talk_ids``: the ids, or a query of them.
    """
    names = defaultdict(list)
    speakers = (
        TalkSpeaker.objects.filter(talk_id__in=talk_ids)
        .order_by("talk_id", "position", "id")
        .values_list("talk_id", "speaker__name")
    )
    for talk_id, name in _raw_rows(speakers):
        names[talk_id].append(name)
    return names


def attach_speaker_names(talks):
    """Give each of ``talks`` its speakers' names in order as ``speaker_names``; one query."""
    names = speaker_names_by_talk([talk.pk for talk in talks])
    for talk in talks:
        talk.speaker_names = names[talk.pk]


def talk_for_page(event, slug, *, release=None):
    """A visible talk of the event, with everything its page shows, or 404."""
    return get_object_or_404(visible_talks(event, release=release), slug=slug)


def talk_neighbours(talk):
    """The talks just before and after ``talk`` in its room (or in the event when roomless)."""
    if talk.start is None:
        return None, None
    # The neighbours come from the same version of the schedule as the talk.
    if talk.release_id:  # a release is one event's: filtered by both, SQLite takes the wrong index
        others = Talk.released.of(talk.release_id)
    else:
        others = Talk.objects.filter(event_id=talk.event_id)
    others = others.published().scheduled()
    others = others.filter(room=talk.room) if talk.room_id else others.filter(room__isnull=True)
    others = others.exclude(pk=talk.pk).only("slug", "title", "start", "event_id")
    previous = others.filter(start__lt=talk.start).order_by("-start", "-pk").first()
    following = others.filter(start__gte=talk.start).order_by("start", "pk").first()
    return previous, following


def release_named(event, name):
    """The release of ``event`` called ``name``, or 404."""
    return get_object_or_404(Release, event=event, name=name)


def current_release(event):
    """The release attendees see of ``event`` (its latest), or None before the first."""
    return event.releases.filter(is_current=True).first()
