import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from conference.models import Event
from tests.factories import EventFactory, RoomFactory, TrackFactory


@pytest.mark.django_db
def test_event_ending_before_it_starts_is_refused_by_the_database():
    event = EventFactory.build(
        start_date=datetime.date(2012, 11, 9), end_date=datetime.date(2012, 11, 7)
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()

    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_event_ending_before_it_starts_fails_validation_with_a_message():
    event = EventFactory.build(
        start_date=datetime.date(2012, 11, 9), end_date=datetime.date(2012, 11, 7)
    )

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.messages == ["The event cannot end before it starts."]


@pytest.mark.django_db
def test_event_description_over_the_markdown_cap_fails_validation_with_a_message():
    event = EventFactory.build(description="x" * 123_456)

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict == {
        "description": ["At most 50,000 characters of Markdown (this has 123,456)."]
    }


@pytest.mark.django_db
def test_one_day_event_is_valid_and_has_one_day():
    event = EventFactory(start_date=datetime.date(2012, 11, 7), end_date=datetime.date(2012, 11, 7))

    event.full_clean()

    assert event.days == [datetime.date(2012, 11, 7)]


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Europe/Barcelona", "CEST", "Mars/Olympus", "../etc/passwd"])
def test_event_with_unknown_time_zone_fails_validation(zone):
    event = EventFactory.build(time_zone=zone)

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert "time_zone" in error.value.message_dict


@pytest.mark.django_db
def test_event_days_span_start_to_end_inclusive():
    event = EventFactory()

    assert event.days == [
        datetime.date(2012, 11, 7),
        datetime.date(2012, 11, 8),
        datetime.date(2012, 11, 9),
    ]
    assert str(event.tz) == "Europe/Madrid"


@pytest.mark.django_db
def test_room_slug_is_unique_within_an_event_only():
    first, second = EventFactory(), EventFactory()
    RoomFactory(event=first, slug="main")
    RoomFactory(event=second, slug="main")

    with pytest.raises(IntegrityError), transaction.atomic():
        RoomFactory(event=first, slug="main")


@pytest.mark.django_db
@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#gggggg", "1f77b4"])
def test_track_colour_must_be_a_hex_colour(colour):
    track = TrackFactory.build(event=EventFactory(), colour=colour)

    with pytest.raises(ValidationError) as error:
        track.full_clean()
    assert "colour" in error.value.message_dict

    # PostgreSQL refuses an over-long value before it reaches the check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        track.save()


@pytest.mark.django_db
def test_published_events_exclude_drafts():
    visible = EventFactory(is_published=True)
    EventFactory(is_published=False)

    assert list(Event.objects.published()) == [visible]
