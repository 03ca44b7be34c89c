"""Reads of speakers for the public pages, gathered here so their queries can be counted.

A speaker appears at an event only through a visible talk there (published,
not cancelled, of a published event): someone whose only talk was withdrawn
has no page at that event.
"""

import unicodedata

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404

from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker


def _in_programme_order(talks):
    """Talks by time, the ones without a slot yet last."""
    return talks.order_by(F("start").asc(nulls_last=True), "title", "pk")


def _speaking_at(event):
    """Speakers with at least one visible talk at ``event``, each once."""
    visible = Talk.objects.published().filter(event=event)
    return Speaker.objects.filter(
        pk__in=TalkSpeaker.objects.filter(talk__in=visible).values("speaker_id")
    )


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
    talks_here = _in_programme_order(Talk.objects.published().filter(event=event))
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
    talks_here = _in_programme_order(
        Talk.objects.published().filter(event=event).select_related("room")
    )
    talks_elsewhere = (
        Talk.objects.published()
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


def speaker_own_talks(speaker):
    """All of a speaker's talks at every event, for their own profile page."""
    return (
        Talk.objects.filter(talk_speakers__speaker=speaker)
        .select_related("event", "room")
        .order_by("-event__start_date", F("start").asc(nulls_last=True), "title")
    )
