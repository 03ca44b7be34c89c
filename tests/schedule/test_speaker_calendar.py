"""A speaker's own calendar, /<event>/speakers/<speaker>/talks.ics, linked from their page."""

import icalendar
import pytest

from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TalkFactory, venue_time


@pytest.fixture
def duoconf(db):
    """DuoConf: Ada gives two talks (one of them cancelled) and shares a panel; Bob gives one."""
    event = EventFactory(slug="duoconf", name="DuoConf", time_zone="Europe/Berlin")
    hall = RoomFactory(event=event, name="Hall")
    ada = SpeakerFactory(name="Ada Lovelace", slug="ada")
    bob = SpeakerFactory(name="Bob Babbage", slug="bob")
    TalkFactory(event=event, title="Engines", slug="engines", room=hall, speakers=[ada])
    TalkFactory(
        event=event,
        title="Panel",
        slug="panel",
        room=hall,
        start=venue_time(event, 2012, 11, 7, 11, 0),
        end=venue_time(event, 2012, 11, 7, 12, 0),
        speakers=[bob, ada],
    )
    TalkFactory(
        event=event,
        title="Notes",
        slug="notes",
        room=hall,
        is_cancelled=True,
        start=venue_time(event, 2012, 11, 7, 14, 0),
        end=venue_time(event, 2012, 11, 7, 15, 0),
        speakers=[ada],
    )
    TalkFactory(event=event, title="Draft", slug="draft", is_published=False, speakers=[ada])
    TalkFactory(event=event, title="Looms", slug="looms", speakers=[bob])
    return event


def events_of(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}, calendar


def test_a_speakers_calendar_holds_their_talks_and_marks_the_cancelled_one(client, duoconf):
    response = client.get("/duoconf/speakers/ada/talks.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="duoconf-ada.ics"' in response["Content-Disposition"]
    events, calendar = events_of(response)
    assert set(events) == {"Engines", "Panel", "Notes"}  # not the draft, not Bob's own
    assert str(events["Notes"]["status"]) == "CANCELLED"
    assert str(calendar["x-wr-calname"]) == "Ada Lovelace at DuoConf"
    assert events["Panel"].decoded("dtstart").hour == 11
    assert str(events["Panel"]["url"]).endswith("/duoconf/talks/panel/")


def test_the_speaker_page_links_their_calendar(client, duoconf):
    content = client.get("/duoconf/speakers/ada/").content.decode()

    assert 'href="/duoconf/speakers/ada/talks.ics"' in content
    assert "Add Ada Lovelace’s talks to your calendar (.ics)" in content


def test_someone_not_speaking_at_the_event_has_no_calendar_there(client, duoconf):
    other = EventFactory(slug="other")
    TalkFactory(event=other, speakers=[SpeakerFactory(name="Carol", slug="carol")])

    assert client.get("/duoconf/speakers/carol/talks.ics").status_code == 404
    assert client.get("/duoconf/speakers/nobody/talks.ics").status_code == 404


def test_a_speakers_calendar_costs_the_same_queries_for_one_talk_or_many(
    client, duoconf, django_assert_max_num_queries
):
    from speakers.models import Speaker

    ada = Speaker.objects.get(slug="ada")
    for number in range(20):
        TalkFactory(event=duoconf, title=f"Extra {number}", speakers=[ada])
    with django_assert_max_num_queries(8):
        events, _ = events_of(client.get("/duoconf/speakers/ada/talks.ics"))
    assert len(events) == 23
