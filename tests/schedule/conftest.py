import datetime

import pytest

from tests.factories import EventFactory


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
