import pytest
from rest_framework.test import APIClient

from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def conf(db):
    """Conf 2012 in Madrid (7–9 Nov): a keynote, a talk in Hall B, a draft and a cancelled talk."""
    event = EventFactory(slug="conf", name="Conf 2012")
    hall_a = RoomFactory(event=event, name="Hall A", slug="hall-a", position=1)
    hall_b = RoomFactory(event=event, name="Hall B", slug="hall-b", position=2)
    kernel = TrackFactory(event=event, name="Kernel", slug="kernel")
    ada = SpeakerFactory(name="Ada Lovelace", slug="ada", email="ada@example.org")
    noel = SpeakerFactory(name="Noël Färber", slug="noel", email="noel@example.org")
    TalkFactory(
        event=event,
        title="Opening keynote",
        slug="keynote",
        kind="keynote",
        room=hall_a,
        abstract="Why **memory** matters <script>alert(1)</script>",
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 10, 0),
        speakers=[ada],
    )
    TalkFactory(
        event=event,
        title="Schedulers",
        slug="schedulers",
        room=hall_b,
        track=kernel,
        do_not_record=True,
        start=venue_time(event, 2012, 11, 8, 11, 0),
        end=venue_time(event, 2012, 11, 8, 11, 45),
        speakers=[noel, ada],
    )
    TalkFactory(event=event, title="Draft", slug="draft", is_published=False, speakers=[noel])
    TalkFactory(event=event, title="Withdrawn", slug="withdrawn", is_cancelled=True)
    return event
