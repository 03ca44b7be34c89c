"""Reads of talks for the public pages, gathered here so their queries can be counted."""

import uuid
from collections import defaultdict

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
    if release is None:
        return Talk.released.current().filter(event=event)
    return Talk.released.of(release).filter(event=event)


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
        TalkSpeaker.objects.filter(talk__event=event)
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


def schedule_page_talks(event, *, rooms, tracks, **filters):
    """The schedule page's talks (``schedule_talks`` with its filters), as a list.

    Only the columns the page shows are loaded, not the abstracts or the
    speakers' bios. Each talk's room and track are the instances in
    ``rooms`` and ``tracks`` (the event's, which the page's filters already
    loaded) and its speakers' names come as the list ``talk.speaker_names``:
    no model instance per talk for its room, track, speakers and their
    links, which were most of a 900-talk page's cold time. Reading any other
    column costs a query per talk (the page's query-count tests would notice),
    and ``talk.talk_speakers`` is not prefetched.
    """
    talks = list(
        schedule_talks(event, **filters)
        .select_related(None)
        .prefetch_related(None)
        .only("title", "slug", "kind", "uuid", "start", "end", "is_cancelled", "room", "track")
    )
    _share_related(talks, "room", rooms)
    _share_related(talks, "track", tracks)
    attach_speaker_names(talks)
    return talks


def attach_speaker_names(talks):
    """Give each of ``talks`` its speakers' names in order as ``speaker_names``; one query."""
    names = defaultdict(list)
    speakers = (
        TalkSpeaker.objects.filter(talk_id__in=[talk.pk for talk in talks])
        .order_by("talk_id", "position", "id")
        .values_list("talk_id", "speaker__name")
    )
    for talk_id, name in speakers:
        names[talk_id].append(name)
    for talk in talks:
        talk.speaker_names = names[talk.pk]


def _share_related(talks, field_name, objects):
    """Point each talk's ``field_name`` at its object among ``objects``, as a prefetch would."""
    field = Talk._meta.get_field(field_name)
    by_id = {obj.pk: obj for obj in objects}
    for talk in talks:
        field.set_cached_value(talk, by_id.get(getattr(talk, field.attname)))


def talk_for_page(event, slug, *, release=None):
    """A visible talk of the event, with everything its page shows, or 404."""
    return get_object_or_404(visible_talks(event, release=release), slug=slug)


def talk_neighbours(talk):
    """The talks just before and after ``talk`` in its room (or in the event when roomless)."""
    if talk.start is None:
        return None, None
    # The neighbours come from the same version of the schedule as the talk.
    same_version = Talk.released.of(talk.release_id) if talk.release_id else Talk.objects
    others = same_version.published().scheduled().filter(event_id=talk.event_id)
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
