import datetime

import pytest

from conference.models import Event, Room, Track
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker
from tests.factories import EventFactory

# Every table an import writes, its speakers' history too.
IMPORTED_MODELS = (Event, Room, Track, Talk, TalkSpeaker, Speaker, Speaker.history.model)


@pytest.fixture
def database_rows(db):
    """``database_rows()``: every row an import could write, per model, with every value.

    Two calls are equal only when no import wrote anything in between, not
    even a timestamp.
    """

    def rows():
        return {
            model._meta.label: list(model.objects.order_by("pk").values_list())
            for model in IMPORTED_MODELS
        }

    return rows


@pytest.fixture
def event(db):
    """KVM Forum: 7 and 8 November 2012 in Madrid (CET, UTC+01:00)."""
    return EventFactory(
        name="KVM Forum",
        slug="kvm",
        start_date=datetime.date(2012, 11, 7),
        end_date=datetime.date(2012, 11, 8),
        time_zone="Europe/Madrid",
    )
