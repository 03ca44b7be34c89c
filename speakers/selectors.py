"""Reads of speakers for the public pages, gathered here so their queries can be counted.

A speaker appears at an event only through a visible talk there (published,
not cancelled, of a published event): someone whose only talk was withdrawn
has no page at that event.

The talks are ``schedule``'s, an app above this one: they are reached through
the speakers' reverse relations, never imported.
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404

from speakers.models import Speaker


def visible_talks():
    """Every talk attendees see: in its event's current release, by the talks' own rule."""
    return Speaker._meta.get_field("talks").related_model.released.current().published()


def _in_programme_order(talks):
    """Talks by time, the ones without a slot yet last."""
    return talks.order_by(F("start").asc(nulls_last=True), "title", "pk")


def visible_talks_at(event):
    """The talks attendees see at ``event``: ``visible_talks`` of one event, read by its release."""
    talks = Speaker._meta.get_field("talks").related_model
    return talks.released.current_of(event).published()


def _speaking_at(event):
    """Speakers with at least one visible talk at ``event``, each once."""
    return Speaker.objects.filter(pk__in=visible_talks_at(event).values("speakers"))


def speaker_at_event(event, slug):
    """The speaker with ``slug`` if they have a visible talk at ``event``, or 404 (one query)."""
    return get_object_or_404(_speaking_at(event), slug=slug)


def alphabetical_key(speaker):
    """Sorts names as a reader would: case and accents aside (“Élodie” among the Es)."""
    decomposed = unicodedata.normalize("NFKD", speaker.name.casefold())
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return (folded, speaker.name, speaker.pk)


def event_speakers(event):
    """The speakers of ``event`` in alphabetical order, each with ``event_talks``.

    ``event_talks`` holds the speaker's visible talks at this event in programme
    order. Two queries whatever the number of speakers. The order is computed in
    Python because SQLite's LOWER() folds ASCII only and neither database ignores
    accents without a collation we do not control.
    """
    talks_here = _in_programme_order(visible_talks_at(event))
    speakers = _speaking_at(event).prefetch_related(
        Prefetch("talks", queryset=talks_here, to_attr="event_talks")
    )
    return sorted(speakers, key=alphabetical_key)


def speaker_for_page(event, slug):
    """The speaker with ``slug`` if they speak at ``event``, or 404.

    Loaded with ``event_talks`` (their visible talks at this event, rooms
    included) and ``other_talks`` (their visible talks at other published
    events, newest event first, events included) and their links: four queries.
    """
    talks_here = _in_programme_order(visible_talks_at(event).select_related("room"))
    talks_elsewhere = (
        visible_talks()
        .exclude(event=event)
        .select_related("event")
        .order_by(
            "-event__start_date",
            "event__name",
            F("start").asc(nulls_last=True),
            "title",
            "pk",
        )
    )
    speakers = _speaking_at(event).prefetch_related(
        Prefetch("talks", queryset=talks_here, to_attr="event_talks"),
        Prefetch("talks", queryset=talks_elsewhere, to_attr="other_talks"),
        "links",
    )
    return get_object_or_404(speakers, slug=slug)


@dataclass
class OwnEventTalks:
    """One event's part of a speaker's own profile page."""

    event: object
    talks: list  # each with ``is_visible``: shown to attendees
    has_public_page: bool  # the speaker has a page at this event (a visible talk there)


def speaker_own_talks(speaker):
    """A speaker's talks at every event, by event (newest first), for their own profile page.

    Every talk is listed, drafts and cancelled ones too, each marked whether
    attendees see it. Two queries: the talks with their events and rooms, and
    which of them are visible.
    """
    talks = speaker.talks.select_related("event", "room").order_by(
        "-event__start_date", "event__name", "event_id", F("start").asc(nulls_last=True), "title"
    )
    # What attendees see is the current releases' copies of the talks (same UUIDs).
    visible = set(
        visible_talks().filter(talk_speakers__speaker=speaker).values_list("uuid", flat=True)
    )
    by_event = {}
    for talk in talks:
        talk.is_visible = talk.uuid in visible
        group = by_event.get(talk.event_id)
        if group is None:
            group = by_event[talk.event_id] = OwnEventTalks(talk.event, [], False)
        group.talks.append(talk)
        group.has_public_page = group.has_public_page or talk.is_visible
    return list(by_event.values())
