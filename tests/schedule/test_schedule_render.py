"""The schedule page's markup, pinned: its cards are made in bulk, so an edit must show here."""

import datetime
import re
import uuid

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import timezone

from conference.models import Event
from schedule.services.generate import event_generate
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)

TALK_UUID = uuid.UUID("0b7c5f0e-3a52-4d59-9c1e-2f4f1d1e6a10")
BREAK_UUID = uuid.UUID("5d3e9a44-1b0c-4f7e-8a7e-6c2b9f0d4e21")


def cards(content):
    return re.findall(r'<article class="talk-card.*?</article>', content, flags=re.DOTALL)


@pytest.fixture
def rendered_event(db):
    event = EventFactory(slug="renderconf", time_zone="Europe/Berlin")
    hall = RoomFactory(event=event, name="Hall & Annex", position=0)
    kernel = TrackFactory(event=event, name="Kernel", colour="#d62728")
    TalkFactory(
        event=event,
        uuid=TALK_UUID,
        title="Schedulers <and> you",
        slug="schedulers-and-you",
        room=hall,
        track=kernel,
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 9, 45),
        speakers=[SpeakerFactory(name="Ada Lovelace"), SpeakerFactory(name="Grace O'Hopper")],
    )
    return event


def test_card_of_a_talk_with_speakers_room_and_track_is_exactly_this(client, rendered_event):
    content = client.get("/renderconf/schedule/").content.decode()

    assert cards(content) == [
        '<article class="talk-card has-track" id="talk-schedulers-and-you"'
        f' data-talk="{TALK_UUID}"'
        ' style="grid-row: 2 / 3; grid-column: 2; --track-colour: #d62728;">\n'
        '<div class="talk-card-head"><span class="talk-time">'
        '<time datetime="2012-11-07T09:00:00+01:00" data-time data-day="2012-11-07">09:00</time>–'
        '<time datetime="2012-11-07T09:45:00+01:00" data-time data-day="2012-11-07">09:45</time>'
        "</span>\n"
        f'<button type="button" class="star-button d-print-none" data-star="{TALK_UUID}"'
        ' aria-pressed="false" aria-label="Star “Schedulers &lt;and&gt; you”"'
        ' title="Add to my schedule" data-text-add="Add to my schedule"'
        ' data-text-remove="Remove from my schedule" hidden><span aria-hidden="true">☆</span>'
        "</button></div>\n"
        '<h3 class="talk-title"><a href="/renderconf/talks/schedulers-and-you/">'
        "Schedulers &lt;and&gt; you</a></h3>\n"
        '<p class="talk-speakers">Ada Lovelace, Grace O&#x27;Hopper</p>\n'
        '<p class="talk-place"><span class="talk-room">Hall &amp; Annex</span>'
        '<span class="talk-track"><span class="track-swatch" aria-hidden="true"></span>Kernel'
        "</span></p>\n"
        "</article>"
    ]


# 10:00 UTC is 11:00 in Berlin: the break at noon is next.
@time_machine.travel(datetime.datetime(2012, 11, 7, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_card_of_the_next_break_without_room_is_exactly_this(client, db):
    event = EventFactory(slug="breakconf", time_zone="Europe/Berlin")
    TalkFactory(
        event=event,
        uuid=BREAK_UUID,
        title="Lunch",
        slug="lunch",
        kind="break",
        start=venue_time(event, 2012, 11, 7, 12, 0),
        end=venue_time(event, 2012, 11, 7, 13, 0),
    )

    content = client.get("/breakconf/schedule/").content.decode()

    assert cards(content) == [
        f'<article class="talk-card is-next is-break" id="talk-lunch" data-talk="{BREAK_UUID}">\n'
        '<div class="talk-card-head"><span class="talk-time">'
        '<time datetime="2012-11-07T12:00:00+01:00" data-time data-day="2012-11-07">12:00</time>–'
        '<time datetime="2012-11-07T13:00:00+01:00" data-time data-day="2012-11-07">13:00</time>'
        "</span>\n"
        '<span class="badge text-bg-primary">Next</span>'
        '<span class="badge text-bg-light border">Break</span>'
        f'<button type="button" class="star-button d-print-none" data-star="{BREAK_UUID}"'
        ' aria-pressed="false" aria-label="Star “Lunch”"'
        ' title="Add to my schedule" data-text-add="Add to my schedule"'
        ' data-text-remove="Remove from my schedule" hidden><span aria-hidden="true">☆</span>'
        "</button></div>\n"
        '<h3 class="talk-title"><a href="/breakconf/talks/lunch/">Lunch</a></h3>\n'
        "</article>"
    ]


def test_card_shows_the_star_button_and_times_of_the_talk_page(client, rendered_event):
    # The cards inline these two shared pieces for speed; they must not drift apart.
    talk = rendered_event.talks.get()
    with timezone.override(rendered_event.tz):
        star = render_to_string("schedule/includes/star_button.html", {"talk": talk})
        times = render_to_string(
            "schedule/includes/talk_time.html", {"start": talk.start, "end": talk.end}
        )

    (card,) = cards(client.get("/renderconf/schedule/").content.decode())

    assert star.strip() in card
    assert f'<span class="talk-time">{times.strip()}</span>' in card


def test_generated_event_page_has_every_card_and_a_label_per_row(
    client, db, django_assert_num_queries
):
    # 09:00, then 15 minutes after each 30- or 45-minute row, an hour for lunch after the second.
    event_generate(slug="tiny", days=1, rooms=3, slots=4, seed=0)
    event = Event.objects.get(slug="tiny")

    # The event, its release, rooms, tracks, talks, their speakers, the call's times (navigation).
    with django_assert_num_queries(7):
        content = client.get("/tiny/schedule/").content.decode()

    assert len(cards(content)) == 12 == event.talks.count()
    assert re.findall(
        r'<div class="timetable-time" style="grid-row: (\d+);" id="([^"]+)">'
        r'<time datetime="([^"]+)" data-time data-day="([^"]+)">([^<]+)</time></div>',
        content,
    ) == [
        ("2", "at-2030-05-06-0900", "2030-05-06T09:00:00+02:00", "2030-05-06", "09:00"),
        ("4", "at-2030-05-06-1000", "2030-05-06T10:00:00+02:00", "2030-05-06", "10:00"),
        ("6", "at-2030-05-06-1130", "2030-05-06T11:30:00+02:00", "2030-05-06", "11:30"),
        ("8", "at-2030-05-06-1230", "2030-05-06T12:30:00+02:00", "2030-05-06", "12:30"),
    ]
