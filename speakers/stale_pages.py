"""Which events' pages a change to a speaker or their links makes stale: those they speak at.

Registered with the page cache in ``SpeakersConfig.ready()``.
"""

from conference.models import Event
from infrastructure import page_cache
from speakers.models import Speaker, SpeakerLink


def _events_of_speaker(speaker_id):
    # Through the talks' reverse relations: this app does not import the one above it.
    return list(
        Event.objects.filter(talks__talk_speakers__speaker_id=speaker_id)
        .values_list("slug", flat=True)
        .distinct()
    )


def register():
    page_cache.register(Speaker, event_slugs=lambda speaker: _events_of_speaker(speaker.pk))
    page_cache.register(SpeakerLink, event_slugs=lambda link: _events_of_speaker(link.speaker_id))
