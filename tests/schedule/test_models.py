import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from schedule.models import Talk, TalkSpeaker
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)


def test_talk_ending_at_its_start_is_refused_by_the_database(event):
    start = venue_time(event, 2012, 11, 7, 9, 0)

    with pytest.raises(IntegrityError), transaction.atomic():
        TalkFactory(event=event, start=start, end=start)

    assert Talk.objects.count() == 0


def test_talk_with_start_but_no_end_is_refused_by_the_database(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        TalkFactory(event=event, end=None)


def test_talk_without_times_is_allowed_unscheduled(event):
    talk = TalkFactory(event=event, start=None, end=None)

    talk.full_clean()

    assert talk.duration is None


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ((9, 0), (9, 0), "end", "The talk must end after it starts."),
        ((9, 0), (8, 0), "end", "The talk must end after it starts."),
        ((9, 0), None, "end", "Give both start and end, or neither."),
        (None, (9, 0), "start", "Give both start and end, or neither."),
    ],
)
def test_talk_time_validation_names_the_field(event, start, end, field, message):
    talk = TalkFactory.build(
        event=event,
        start=start and venue_time(event, 2012, 11, 7, *start),
        end=end and venue_time(event, 2012, 11, 7, *end),
    )

    with pytest.raises(ValidationError) as error:
        talk.full_clean()

    assert error.value.message_dict[field] == [message]


def test_talk_across_midnight_is_valid(event):
    talk = TalkFactory(
        event=event,
        start=venue_time(event, 2012, 11, 7, 23, 30),
        end=venue_time(event, 2012, 11, 8, 0, 30),
    )

    talk.full_clean()

    assert talk.duration == datetime.timedelta(hours=1)


def test_talk_in_a_room_of_another_event_fails_validation(event):
    other_room = RoomFactory(event=EventFactory())
    talk = TalkFactory.build(event=event, room=other_room)

    with pytest.raises(ValidationError) as error:
        talk.full_clean()

    assert error.value.message_dict["room"] == ["This room belongs to another event."]


def test_talk_in_a_room_of_another_event_is_never_saved(event):
    other_room = RoomFactory(event=EventFactory())

    with pytest.raises(IntegrityError), transaction.atomic():
        TalkFactory(event=event, room=other_room)

    assert Talk.objects.count() == 0


def test_talk_moved_to_a_room_of_another_event_is_never_saved(event):
    talk = TalkFactory(event=event, room=RoomFactory(event=event))
    other_room = RoomFactory(event=EventFactory())

    with pytest.raises(IntegrityError), transaction.atomic():
        Talk.objects.filter(pk=talk.pk).update(room=other_room)

    talk.refresh_from_db()
    assert talk.room.event == event


def test_talk_with_a_track_of_another_event_is_never_saved(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        TalkFactory(event=event, track=TrackFactory(event=EventFactory()))


def test_room_moved_to_another_event_while_its_talks_stay_is_refused(event):
    room = RoomFactory(event=event)
    TalkFactory(event=event, room=room)
    room.event = EventFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        room.save()


def test_room_without_talks_may_move_to_another_event(event):
    room = RoomFactory(event=event)
    other = EventFactory()
    room.event = other

    room.save()

    room.refresh_from_db()
    assert room.event == other


def test_external_id_is_unique_per_event_when_set(event):
    TalkFactory(event=event, external_id="abc")
    TalkFactory(event=EventFactory(), external_id="abc")
    TalkFactory(event=event, external_id="")
    TalkFactory(event=event, external_id="")

    with pytest.raises(IntegrityError), transaction.atomic():
        TalkFactory(event=event, external_id="abc")


def test_talk_slug_is_unique_per_event(event):
    TalkFactory(event=event, slug="intro")
    TalkFactory(event=EventFactory(), slug="intro")

    with pytest.raises(IntegrityError), transaction.atomic():
        TalkFactory(event=event, slug="intro")


def test_published_talks_exclude_drafts_cancellations_and_draft_events(event):
    shown = TalkFactory(event=event, title="Shown")
    TalkFactory(event=event, is_published=False)
    TalkFactory(event=event, is_cancelled=True)
    TalkFactory(event=EventFactory(is_published=False))

    assert list(Talk.objects.published()) == [shown]


def test_speakers_keep_the_order_given(event):
    first, second, third = (
        SpeakerFactory(name="Zoe"),
        SpeakerFactory(name="Adam"),
        SpeakerFactory(name="Maria"),
    )

    talk = TalkFactory(event=event, speakers=[first, second, third])

    assert [link.speaker.name for link in talk.talk_speakers.all()] == ["Zoe", "Adam", "Maria"]


def test_scheduled_talks_leave_out_the_ones_without_a_time(event):
    timed = TalkFactory(event=event, title="Timed")
    TalkFactory(event=event, title="Waiting", start=None, end=None)

    assert list(Talk.objects.scheduled()) == [timed]


@pytest.mark.parametrize("talk_count", [1, 5])
def test_with_speakers_loads_each_talks_speakers_in_order_in_two_queries(
    event, django_assert_num_queries, talk_count
):
    for number in range(talk_count):
        TalkFactory(
            event=event,
            title=f"Talk {number}",
            speakers=[SpeakerFactory(name=f"Zoe {number}"), SpeakerFactory(name=f"Adam {number}")],
        )
    # Reordered after the fact: the order is the positions', not the links' creation.
    TalkSpeaker.objects.update(position=1 - F("position"))

    with django_assert_num_queries(2):
        talks = list(Talk.objects.order_by("title").with_speakers())
        speakers = [[link.speaker.name for link in talk.talk_speakers.all()] for talk in talks]

    assert speakers == [[f"Adam {n}", f"Zoe {n}"] for n in range(talk_count)]


def test_a_speaker_is_listed_once_per_talk(event):
    speaker = SpeakerFactory()
    talk = TalkFactory(event=event, speakers=[speaker])

    with pytest.raises(IntegrityError), transaction.atomic():
        talk.talk_speakers.create(speaker=speaker, position=1)


@pytest.mark.django_db
def test_a_speaker_can_speak_at_many_events():
    speaker = SpeakerFactory()
    TalkFactory(event=EventFactory(), speakers=[speaker])
    TalkFactory(event=EventFactory(), speakers=[speaker])

    assert speaker.talks.values("event").distinct().count() == 2
