"""Screenshots of the schedule for people to look at: ``make screenshots``.

Not part of the suite (deselected by the ``screenshots`` marker); the files go
to ``screenshots/``, which git ignores.
"""

import datetime
from pathlib import Path

import pytest

from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)

pytestmark = [
    pytest.mark.screenshots,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OUTPUT = Path(__file__).resolve().parents[2] / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


def event_with_rooms():
    event = EventFactory(slug="devroom-day", name="Devroom Day", time_zone="Europe/Brussels")
    rooms = [RoomFactory(event=event, name=name, position=n) for n, name in enumerate("ABCD")]
    tracks = [
        TrackFactory(event=event, name=name, colour=colour)
        for name, colour in [("Kernel", "#d62728"), ("Cloud", "#1f77b4"), ("Web", "#2ca02c")]
    ]
    number = 0
    for index, room in enumerate(rooms):
        moment = venue_time(event, 2012, 11, 7, 9, 0)
        lunch = venue_time(event, 2012, 11, 7, 12, 0)
        while True:
            length = datetime.timedelta(minutes=[30, 45, 60][(number + index) % 3])
            if moment + length > lunch:
                break
            TalkFactory(
                event=event,
                room=room,
                track=tracks[number % 3],
                title=f"Talk {number}: a title of ordinary length",
                start=moment,
                end=moment + length,
                speakers=[SpeakerFactory(name=f"Speaker {number}")],
            )
            moment += length
            number += 1
    TalkFactory(
        event=event,
        title="Lunch",
        kind="break",
        start=venue_time(event, 2012, 11, 7, 12, 0),
        end=venue_time(event, 2012, 11, 7, 13, 0),
    )
    return event


def test_take_schedule_screenshots(page, kvm_forum):
    grid_event = event_with_rooms()
    OUTPUT.mkdir(exist_ok=True)
    pages = {
        "kvm-forum-2012-schedule": "/kvm-forum-2012/schedule/?day=2012-11-08",
        "rooms-grid-schedule": f"/{grid_event.slug}/schedule/?day=2012-11-07",
        "kvm-forum-2012-talk": "/kvm-forum-2012/talks/virtio-blk-performance-improvement/",
    }
    written = []
    for name, path in pages.items():
        for size_name, size in SIZES.items():
            page.set_viewport_size(size)
            page.goto(path)
            target = OUTPUT / f"{name}-{size_name}.png"
            page.screenshot(path=target, full_page=True)
            written.append(target)

    assert all(path.stat().st_size > 0 for path in written)
