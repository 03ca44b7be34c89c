"""Events with many releases, for the changelog's and the feed's query pins."""

import datetime

from schedule.models import Talk
from schedule.releases.service import release_schedule
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)


def build_releases(talk_count, release_count):
    """An event of ``talk_count`` talks released ``release_count`` times, each moving them all."""
    event = EventFactory(slug="big")
    rooms = [RoomFactory(event=event) for _ in range(3)]
    track = TrackFactory(event=event)
    speakers = [SpeakerFactory() for _ in range(10)]
    talks = [
        TalkFactory(
            event=event,
            room=rooms[number % 3],
            track=track,
            start=venue_time(event, 2012, 11, 7, 9, 0) + datetime.timedelta(hours=number // 3),
            end=venue_time(event, 2012, 11, 7, 9, 30) + datetime.timedelta(hours=number // 3),
            speakers=[speakers[number % 10], speakers[(number + 1) % 10]],
        )
        for number in range(talk_count)
    ]
    release_schedule(event, allow_errors=True)
    for _ in range(release_count - 1):
        for talk in talks:
            talk.start += datetime.timedelta(minutes=5)
            talk.end += datetime.timedelta(minutes=5)
        Talk.objects.bulk_update(talks, ["start", "end"])
        release_schedule(event, allow_errors=True)
    return event
