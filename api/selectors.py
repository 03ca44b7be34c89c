"""What the API reads: the public pages' selectors, or the working schedule for organisers.

Anonymous clients see exactly what the public pages show (the current
release of each event), because they are
read through the pages' selectors (``Event.objects.published()``,
``schedule.selectors.visible_talks``, ``speakers.selectors.event_speakers``):
when the rule of what is public changes there, the API follows. An
organiser's token reads the working schedule instead: every event, and every
talk of it, drafts and cancelled ones too.
"""

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404

from conference.models import Event
from schedule.models import Talk, TalkSpeaker
from schedule.releases.changelog import releases_with_changes
from schedule.selectors import talks_matching, visible_talks
from speakers.models import Speaker
from speakers.selectors import alphabetical_key, event_speakers

# Talks without a time or room last, on every database (their NULLs sort apart otherwise).
TALK_ORDER = (
    F("start").asc(nulls_last=True),
    F("room__position").asc(nulls_last=True),
    F("room__name").asc(nulls_last=True),
    "title",
    "pk",
)


def api_events(*, working):
    """Published events (every event for organisers), soonest first, in a stable order."""
    events = Event.objects.all() if working else Event.objects.published()
    return events.order_by("start_date", "slug", "pk")


def api_event(slug, *, working):
    """The event with ``slug`` the client may read, or 404."""
    return get_object_or_404(api_events(working=working), slug=slug)


def api_talks(
    event,
    *,
    working,
    day=None,
    room=None,
    track=None,
    kind=None,
    speaker=None,
    updated_since=None,
    search="",
):
    """The event's talks the client may read, filtered, in programme order.

    ``day`` is a date of the event's (the venue's day, ``Event.day_bounds``);
    ``room`` and ``track`` are the event's rows; ``speaker`` a speaker's UUID;
    ``search`` is matched as the schedule page matches ``?q=`` (title,
    abstract or a speaker's name, case and accents ignored).
    """
    if working:
        talks = Talk.objects.filter(event=event).select_related("room", "track").with_speakers()
    else:
        talks = visible_talks(event)
    if day is not None:
        starts, ends = event.day_bounds(day)
        talks = talks.filter(start__gte=starts, start__lt=ends)
    if room is not None:
        talks = talks.filter(room=room)
    if track is not None:
        talks = talks.filter(track=track)
    if kind:
        talks = talks.filter(kind=kind)
    if speaker is not None:
        talks = talks.filter(talk_speakers__speaker__uuid=speaker)
    if updated_since is not None:
        talks = talks.filter(updated__gte=updated_since)
    if search:
        # As the schedule page searches its ?q=.
        talks = talks_matching(talks, event, search)
    return talks.order_by(*TALK_ORDER)


def api_talk(event, talk_id, *, working):
    """One talk of the event the client may read, by UUID, or 404."""
    return get_object_or_404(api_talks(event, working=working), uuid=talk_id)


def api_speakers(event, *, working):
    """The event's speakers in alphabetical order, each with ``event_talks`` (theirs here).

    Publicly, the speakers of the event's visible talks (the speakers page's
    list); for organisers, everyone on any talk of the event.
    """
    if not working:
        return event_speakers(event)
    talks_here = Talk.objects.filter(event=event).order_by(*TALK_ORDER)
    speakers = Speaker.objects.filter(
        pk__in=TalkSpeaker.objects.filter(talk__event=event, talk__release__isnull=True).values(
            "speaker"
        )
    ).prefetch_related(Prefetch("talks", queryset=talks_here, to_attr="event_talks"))
    return sorted(speakers, key=alphabetical_key)


def api_releases(event):
    """The event's releases, newest first, with their changes: public, as the changelog is.

    The same for organisers: a release is what attendees were shown.
    """
    return releases_with_changes(event)


def api_release(event, name):
    """The event's release named ``name``, with its changes, or None."""
    return api_releases(event).filter(name=name).first()
