"""Factories for the project's models, one place for every test."""

import datetime
import zoneinfo

import factory
from django.contrib.auth import get_user_model

from conference.models import Event, Room, Track
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Conference {n}")
    slug = factory.Sequence(lambda n: f"conference-{n}")
    location = "Barcelona, Spain"
    start_date = datetime.date(2012, 11, 7)
    end_date = datetime.date(2012, 11, 9)
    time_zone = "Europe/Madrid"
    is_published = True


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    slug = factory.Sequence(lambda n: f"room-{n}")
    position = factory.Sequence(lambda n: n)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")
    colour = "#1f77b4"


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")
    affiliation = "Example Org"


def venue_time(event, *args):
    """An aware datetime at the event's venue: ``venue_time(event, 2012, 11, 7, 9, 0)``."""
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(event.time_zone))


class TalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talk
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Talk {n}")
    slug = factory.Sequence(lambda n: f"talk-{n}")
    start = factory.LazyAttribute(lambda talk: venue_time(talk.event, 2012, 11, 7, 9, 0))
    end = factory.LazyAttribute(lambda talk: talk.start + datetime.timedelta(minutes=30))

    @factory.post_generation
    def speakers(talk, create, extracted, **kwargs):
        if create and extracted:
            for position, speaker in enumerate(extracted):
                TalkSpeaker.objects.create(talk=talk, speaker=speaker, position=position)


def scheduled_talk(event, title, start=(9, 0), end=(9, 30), *, day=7, end_day=None, **fields):
    """A talk at the venue's clock in November 2012, slugged after its title.

    ``scheduled_talk(event, "A", (9, 0), (10, 0))`` runs 09:00–10:00 on 7 November;
    ``day`` and ``end_day`` move it (a talk past midnight ends on ``end_day``).
    """
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    return TalkFactory(
        event=event,
        title=title,
        start=venue_time(event, 2012, 11, day, *start),
        end=venue_time(event, 2012, 11, end_day or day, *end),
        **fields,
    )
