"""Reads of talks for the public pages, gathered here so their queries can be counted."""

import datetime
import uuid

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from conference.venue_time import venue_datetime
from schedule.models import Talk, TalkSpeaker


def _with_speakers(queryset):
    return queryset.select_related("room", "track").prefetch_related(
        Prefetch(
            "talk_speakers",
            queryset=TalkSpeaker.objects.select_related("speaker").order_by("position", "id"),
        )
    )


def visible_talks(event):
    """The event's talks attendees may see, with rooms, tracks and speakers loaded."""
    return _with_speakers(Talk.objects.published().filter(event=event))


def parse_talk_ids(value):
    """The talk UUIDs in a ``talks=`` parameter (comma-separated); junk is ignored."""
    ids = []
    for part in (value or "").split(","):
        try:
            ids.append(uuid.UUID(part.strip()))
        except ValueError:
            continue
    return ids


def day_bounds(event, day):
    """The instants at which ``day`` begins and ends at the venue."""
    midnight = datetime.datetime.combine(day, datetime.time())
    return (
        venue_datetime(midnight, event.tz),
        venue_datetime(midnight + datetime.timedelta(days=1), event.tz),
    )


def calendar_talks(event, *, talk_ids=None):
    """Scheduled talks for the event's calendar: the visible ones and the cancelled ones."""
    talks = _with_speakers(
        Talk.objects.filter(event=event, is_published=True, event__is_published=True)
    ).filter(start__isnull=False)
    if talk_ids is not None:
        talks = talks.filter(uuid__in=talk_ids)
    return talks.order_by("start", "room__position", "room__name", "title")


def schedule_talks(
    event, *, day=None, room=None, track=None, query="", talk_ids=None, page_fields_only=False
):
    """Scheduled visible talks of ``event``, filtered as the schedule page asks, by time.

    ``page_fields_only`` loads only the columns the schedule page shows, not
    the abstracts or the speakers' bios and photos, and hands each talk's
    speakers over as the list ``talk.speaker_links`` (no queryset per talk):
    a large event's page loads several times faster. Reading any other
    column then costs a query per talk (the page's query-count test would
    notice), and ``talk.talk_speakers`` is not prefetched.
    """
    talks = visible_talks(event).filter(start__isnull=False)
    if page_fields_only:
        speaker_names = TalkSpeaker.objects.select_related("speaker").only("talk", "speaker__name")
        talks = (
            talks.only(
                "title",
                "slug",
                "kind",
                "uuid",
                "start",
                "end",
                "is_cancelled",  # read by the room clash check
                "room__name",
                "room__position",
                "track__name",
                "track__colour",
            )
            .prefetch_related(None)
            .prefetch_related(
                Prefetch(
                    "talk_speakers",
                    queryset=speaker_names.order_by("position", "id"),
                    to_attr="speaker_links",
                )
            )
        )
    if day is not None:
        starts, ends = day_bounds(event, day)
        talks = talks.filter(start__gte=starts, start__lt=ends)
    if room is not None:
        talks = talks.filter(room=room)
    if track is not None:
        talks = talks.filter(track=track)
    if talk_ids is not None:
        talks = talks.filter(uuid__in=talk_ids)
    if query:
        matching = Talk.objects.filter(
            Q(title__icontains=query)
            | Q(abstract__icontains=query)
            | Q(speakers__name__icontains=query),
            event=event,
        ).values("pk")
        talks = talks.filter(pk__in=matching)
    return talks.order_by("start", "room__position", "room__name", "title")


def talk_for_page(event, slug):
    """A visible talk of the event, with everything its page shows, or 404."""
    return get_object_or_404(visible_talks(event), slug=slug)


def talk_neighbours(talk):
    """The talks just before and after ``talk`` in its room (or in the event when roomless)."""
    if talk.start is None:
        return None, None
    others = Talk.objects.published().filter(event_id=talk.event_id, start__isnull=False)
    others = others.filter(room=talk.room) if talk.room_id else others.filter(room__isnull=True)
    others = others.exclude(pk=talk.pk).only("slug", "title", "start", "event_id")
    previous = others.filter(start__lt=talk.start).order_by("-start", "-pk").first()
    following = others.filter(start__gte=talk.start).order_by("start", "pk").first()
    return previous, following
