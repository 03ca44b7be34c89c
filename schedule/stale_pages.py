"""Which events' pages a change to a talk or to who gives it makes stale.

Registered with the page cache in ``ScheduleConfig.ready()``.
"""

from conference.stale_pages import event_slug
from infrastructure import page_cache
from schedule.models import Talk, TalkSpeaker


def _event_of_talk_speaker(talk_speaker):
    event_id = (
        # A release's copies too: their speakers' rows go when a speaker is deleted.
        Talk._base_manager.filter(pk=talk_speaker.talk_id)
        .values_list("event_id", flat=True)
        .first()
    )
    return [event_slug(event_id) if event_id else None]


def register():
    page_cache.register(Talk, event_slugs=lambda talk: [event_slug(talk.event_id)])
    page_cache.register(TalkSpeaker, event_slugs=_event_of_talk_speaker)
