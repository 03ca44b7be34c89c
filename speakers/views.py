"""Public pages of speakers: who speaks at an event, and one speaker's page."""

from django.shortcuts import render

from conference.selectors import published_event
from speakers import selectors


def speaker_list(request, event_slug):
    event = published_event(event_slug)
    return render(
        request,
        "speakers/speaker_list.html",
        {"event": event, "speakers": selectors.event_speakers(event), "nav": "speakers"},
    )


def speaker_detail(request, event_slug, speaker_slug):
    event = published_event(event_slug)
    speaker = selectors.speaker_for_page(event, speaker_slug)
    return render(
        request,
        "speakers/speaker_detail.html",
        {"event": event, "speaker": speaker, "nav": "speakers"},
    )
