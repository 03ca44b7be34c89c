"""Tests of the iCalendar files: the event's calendar, the favourites calendar and a talk's."""

import datetime
import re
from pathlib import Path

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

import schedule
from conference.models import Event
from schedule.formats.agenda.importer import agenda_import
from schedule.formats.ical.exporter import calendar_for_talks, talk_location, talk_uid
from schedule.models import Talk
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)

AGENDA = Path(schedule.__file__).parent / "data" / "kvm-forum-2012-agenda.txt"
UTC = datetime.UTC


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def fetch_calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents_by_summary(calendar):
    return {str(vevent["SUMMARY"]): vevent for vevent in calendar.walk("VEVENT")}


def start_and_end_in_utc(vevent):
    return (
        vevent.decoded("DTSTART").astimezone(UTC),
        vevent.decoded("DTEND").astimezone(UTC),
    )


@pytest.fixture
def forum(db):
    """The 2012 KVM Forum, imported from its agenda."""
    agenda_import(path=AGENDA, event_slug="kvm-forum-2012", zone="Europe/Madrid")
    return Event.objects.get(slug="kvm-forum-2012")


@pytest.fixture
def small_conf(db):
    return EventFactory(name="Small Conf", slug="small-conf", location="Barcelona, Spain")


def test_schedule_ics_has_calendar_properties_and_an_attachment_name(client, forum, settings):
    settings.SITE_NAME = "KVM Forum Site"

    response = client.get("/kvm-forum-2012/schedule.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kvm-forum-2012.ics"'
    assert str(calendar["PRODID"]) == "-//KVM Forum Site//Schedule//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == forum.name
    assert str(calendar["NAME"]) == forum.name
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Madrid"


def test_calendar_prodid_without_site_name_says_conference(small_conf, settings):
    settings.SITE_NAME = ""

    body = calendar_for_talks(event=small_conf, talks=[], base_url="http://testserver/", name="x")

    assert str(icalendar.Calendar.from_ical(body)["PRODID"]) == "-//Conference//Schedule//EN"


def test_schedule_ics_2012_has_every_talk_of_the_agenda(client, forum):
    calendar = fetch_calendar(client, "/kvm-forum-2012/schedule.ics")

    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 34
    assert sorted(str(vevent["SUMMARY"]) for vevent in vevents) == sorted(
        forum.talks.values_list("title", flat=True)
    )


@pytest.mark.parametrize(
    ("title", "start", "end"),
    [
        ("Keynote Address", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 15)),
        ("OpenStack: KVM for the Masses", utc(2012, 11, 9, 9, 30), utc(2012, 11, 9, 10, 0)),
    ],
)
def test_schedule_ics_2012_talk_times_are_right_in_utc(client, forum, title, start, end):
    calendar = fetch_calendar(client, "/kvm-forum-2012/schedule.ics")

    vevent = vevents_by_summary(calendar)[title]

    assert start_and_end_in_utc(vevent) == (start, end)


def test_schedule_ics_2012_times_are_venue_clock_with_tzid(client, forum):
    response = client.get("/kvm-forum-2012/schedule.ics")
    calendar = icalendar.Calendar.from_ical(response.content)

    keynote = vevents_by_summary(calendar)["Keynote Address"]

    assert keynote["DTSTART"].params["TZID"] == "Europe/Madrid"
    assert keynote["DTEND"].params["TZID"] == "Europe/Madrid"
    assert b"DTSTART;TZID=Europe/Madrid:20121107T090000\r\n" in response.content
    assert b"DTEND;TZID=Europe/Madrid:20121107T091500\r\n" in response.content
    assert [str(vtimezone["TZID"]) for vtimezone in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]
    assert calendar.get_missing_tzids() == set()


@pytest.mark.parametrize(
    ("moment", "offset"),
    [
        (datetime.datetime(2012, 11, 7, 9, 0), datetime.timedelta(hours=1)),
        (datetime.datetime(2012, 11, 9, 18, 0), datetime.timedelta(hours=1)),
        (datetime.datetime(2012, 10, 28, 1, 59), datetime.timedelta(hours=2)),
        (datetime.datetime(2012, 10, 28, 3, 0), datetime.timedelta(hours=1)),
        (datetime.datetime(2012, 7, 1, 12, 0), datetime.timedelta(hours=2)),
        (datetime.datetime(2012, 1, 1, 0, 0), datetime.timedelta(hours=1)),
    ],
)
def test_schedule_ics_2012_vtimezone_has_madrid_clock_changes(client, forum, moment, offset):
    calendar = fetch_calendar(client, "/kvm-forum-2012/schedule.ics")
    (vtimezone,) = calendar.walk("VTIMEZONE")

    # Built from the VTIMEZONE's own rules, not by looking the name up.
    zone = vtimezone.to_tz(lookup_tzid=False)

    assert moment.replace(tzinfo=zone).utcoffset() == offset


def test_schedule_ics_2012_vtimezone_rules_are_the_2012_ones(client, forum):
    calendar = fetch_calendar(client, "/kvm-forum-2012/schedule.ics")
    (vtimezone,) = calendar.walk("VTIMEZONE")

    rules = [
        (
            rule.name,
            rule.decoded("DTSTART"),
            str(rule["TZNAME"]),
            rule["TZOFFSETFROM"].to_ical(),
            rule["TZOFFSETTO"].to_ical(),
        )
        for rule in vtimezone.subcomponents
    ]

    assert rules == [
        ("STANDARD", datetime.datetime(2012, 1, 1, 0, 0), "CET", "+0100", "+0100"),
        ("DAYLIGHT", datetime.datetime(2012, 3, 25, 3, 0), "CEST", "+0100", "+0200"),
        ("STANDARD", datetime.datetime(2012, 10, 28, 3, 0), "CET", "+0200", "+0100"),
    ]


def test_schedule_ics_2012_uids_are_unique_stable_and_the_talks_uuids(client, forum):
    first = fetch_calendar(client, "/kvm-forum-2012/schedule.ics")
    second = fetch_calendar(client, "/kvm-forum-2012/schedule.ics")

    first_uids = [str(vevent["UID"]) for vevent in first.walk("VEVENT")]
    second_uids = [str(vevent["UID"]) for vevent in second.walk("VEVENT")]
    expected = {
        talk.title: str(talk.uuid) for talk in Talk.objects.filter(event=forum).order_by("pk")
    }
    assert len(set(first_uids)) == 34
    assert first_uids == second_uids
    assert {str(v["SUMMARY"]): str(v["UID"]) for v in first.walk("VEVENT")} == expected


def test_talk_uid_depends_only_on_the_uuid(small_conf):
    talk = TalkFactory(event=small_conf, title="Before", slug="before")
    before = talk_uid(talk)

    talk.title, talk.slug = "After", "after"
    talk.start += datetime.timedelta(days=1)
    talk.end += datetime.timedelta(days=1)
    talk.save()

    assert talk_uid(talk) == before == str(talk.uuid)


def test_schedule_ics_2012_exports_are_identical_bytes(client, forum):
    first = client.get("/kvm-forum-2012/schedule.ics").content
    second = client.get("/kvm-forum-2012/schedule.ics").content

    assert first == second


def test_schedule_ics_with_talks_keeps_only_the_favourites(client, forum):
    keynote = Talk.objects.get(event=forum, title="Keynote Address")
    openstack = Talk.objects.get(event=forum, title="OpenStack: KVM for the Masses")

    calendar = fetch_calendar(
        client, f"/kvm-forum-2012/schedule.ics?talks={keynote.uuid},{openstack.uuid},garbage"
    )

    assert [(str(v["SUMMARY"]), str(v["UID"])) for v in calendar.walk("VEVENT")] == [
        ("Keynote Address", str(keynote.uuid)),
        ("OpenStack: KVM for the Masses", str(openstack.uuid)),
    ]
    assert str(calendar["X-WR-CALNAME"]) == f"{forum.name}: my schedule"


def test_schedule_ics_with_only_garbage_talks_is_a_valid_empty_calendar(client, forum):
    calendar = fetch_calendar(client, "/kvm-forum-2012/schedule.ics?talks=garbage,,")

    assert calendar.walk("VEVENT") == []
    assert [str(vtimezone["TZID"]) for vtimezone in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]


def test_schedule_ics_with_talks_ignores_talks_of_other_events(client, forum):
    keynote = Talk.objects.get(event=forum, title="Keynote Address")
    elsewhere = TalkFactory(title="Another Event's Talk")

    calendar = fetch_calendar(
        client, f"/kvm-forum-2012/schedule.ics?talks={keynote.uuid},{elsewhere.uuid}"
    )

    assert [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")] == ["Keynote Address"]


def test_talk_ics_2012_holds_the_one_talk(client, forum):
    response = client.get("/kvm-forum-2012/talks/keynote-address.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    talk = Talk.objects.get(event=forum, slug="keynote-address")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="kvm-forum-2012-keynote-address.ics"'
    )
    assert str(calendar["X-WR-CALNAME"]) == "Keynote Address"
    assert str(vevent["SUMMARY"]) == "Keynote Address"
    assert str(vevent["LOCATION"]) == "Barcelona, Spain"
    assert str(vevent["URL"]) == "http://testserver/kvm-forum-2012/talks/keynote-address/"
    assert str(vevent["UID"]) == str(talk.uuid)
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert "CATEGORIES" not in vevent
    assert start_and_end_in_utc(vevent) == (utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 15))


def test_talk_ics_2012_description_is_plain_text_with_speakers_and_url(client, forum):
    calendar = fetch_calendar(
        client, "/kvm-forum-2012/talks/virtio-blk-performance-improvement.ics"
    )

    (vevent,) = calendar.walk("VEVENT")
    description = str(vevent["DESCRIPTION"])
    speakers, abstract, url = description.split("\n\n")
    assert speakers == "Speakers: Asias He"
    assert abstract.startswith(
        "A very short overview of storage choices in KVM IDE, AHCI, SCSI, virito-scsi, "
    )
    assert re.search(r"<[a-zA-Z/]", description) is None
    assert url == "http://testserver/kvm-forum-2012/talks/virtio-blk-performance-improvement/"


def test_talk_ics_description_lists_speakers_in_their_order(client, small_conf):
    TalkFactory(
        event=small_conf,
        slug="pair",
        abstract="**Bold** words & <em>more</em>.",
        speakers=[SpeakerFactory(name="Zoë Zed"), SpeakerFactory(name="Adam Ant")],
    )

    calendar = fetch_calendar(client, "/small-conf/talks/pair.ics")

    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["DESCRIPTION"]) == (
        "Speakers: Zoë Zed, Adam Ant\n\n"
        "Bold words & more.\n\n"
        "http://testserver/small-conf/talks/pair/"
    )


def test_talk_ics_description_without_speakers_or_abstract_is_the_url(client, small_conf):
    TalkFactory(event=small_conf, slug="bare", abstract="")

    calendar = fetch_calendar(client, "/small-conf/talks/bare.ics")

    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["DESCRIPTION"]) == "http://testserver/small-conf/talks/bare/"


def test_talk_ics_hostile_text_round_trips_exactly(client, small_conf):
    title = "<script>alert(1)</script>; DROP, TABLE\nEND:VEVENT"
    room = RoomFactory(event=small_conf, name="Hall; A, B\nBEGIN:VALARM")
    TalkFactory(event=small_conf, slug="hostile", title=title, room=room)

    response = client.get("/small-conf/talks/hostile.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == title
    assert str(vevent["LOCATION"]) == "Hall; A, B\nBEGIN:VALARM, Barcelona, Spain"
    assert calendar.walk("VALARM") == []
    escaped = b"<script>alert(1)</script>\\; DROP\\, TABLE\\nEND:VEVENT\r\n"
    assert b"\r\nSUMMARY:" + escaped in response.content
    # The calendar's name is the title too, escaped as text (icalendar's parser
    # does not know NAME and X-WR-CALNAME are text, so they are checked as written).
    assert b"\r\nNAME:" + escaped in response.content
    assert b"\r\nX-WR-CALNAME:" + escaped in response.content
    assert response.content.split(b"\r\n").count(b"END:VEVENT") == 1


@pytest.mark.parametrize(
    ("room_name", "location", "expected"),
    [
        ("Auditorium", "Barcelona, Spain", "Auditorium, Barcelona, Spain"),
        (None, "Barcelona, Spain", "Barcelona, Spain"),
        ("Auditorium", "", "Auditorium"),
        (None, "", ""),
    ],
)
def test_talk_location_joins_room_and_event_location(db, room_name, location, expected):
    event = EventFactory(location=location)
    room = RoomFactory(event=event, name=room_name) if room_name else None
    talk = TalkFactory(event=event, room=room)

    assert talk_location(talk, event=event) == expected


def test_talk_ics_location_is_room_and_event_location(client, small_conf):
    room = RoomFactory(event=small_conf, name="Auditorium")
    TalkFactory(event=small_conf, slug="in-room", room=room)

    calendar = fetch_calendar(client, "/small-conf/talks/in-room.ics")

    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["LOCATION"]) == "Auditorium, Barcelona, Spain"


def test_talk_ics_without_any_location_has_no_location(client, db):
    EventFactory(slug="nowhere", location="")
    TalkFactory(event=Event.objects.get(slug="nowhere"), slug="talk")

    calendar = fetch_calendar(client, "/nowhere/talks/talk.ics")

    (vevent,) = calendar.walk("VEVENT")
    assert "LOCATION" not in vevent


def test_talk_ics_has_track_as_category_and_update_time_as_stamps(client, small_conf):
    track = TrackFactory(event=small_conf, name="Storage, Block & Files")
    talk = TalkFactory(event=small_conf, slug="tracked", track=track)
    talk.refresh_from_db()
    updated = talk.updated.astimezone(UTC).replace(microsecond=0)

    calendar = fetch_calendar(client, "/small-conf/talks/tracked.ics")

    (vevent,) = calendar.walk("VEVENT")
    assert vevent["CATEGORIES"].cats == ["Storage, Block & Files"]
    assert vevent.decoded("DTSTAMP") == updated
    assert vevent.decoded("LAST-MODIFIED") == updated


def test_talk_ics_of_unscheduled_talk_is_not_found(client, small_conf):
    TalkFactory(event=small_conf, slug="someday", start=None, end=None)

    response = client.get("/small-conf/talks/someday.ics")

    assert response.status_code == 404


def test_schedule_ics_marks_cancelled_talks_and_leaves_out_drafts(client, small_conf):
    TalkFactory(event=small_conf, title="Shown")
    TalkFactory(event=small_conf, title="Cancelled", is_cancelled=True)
    TalkFactory(event=small_conf, title="Draft", is_published=False)
    TalkFactory(event=small_conf, title="Unscheduled", start=None, end=None)

    calendar = fetch_calendar(client, "/small-conf/schedule.ics")

    assert sorted((str(v["SUMMARY"]), str(v["STATUS"])) for v in calendar.walk("VEVENT")) == [
        ("Cancelled", "CANCELLED"),
        ("Shown", "CONFIRMED"),
    ]


@pytest.mark.parametrize(
    ("event_published", "talk_published", "talk_cancelled"),
    [
        (True, True, True),
        (True, False, False),
        (False, True, False),
    ],
    ids=["cancelled-talk", "unpublished-talk", "unpublished-event"],
)
def test_talk_ics_of_hidden_talk_is_not_found(
    client, db, event_published, talk_published, talk_cancelled
):
    event = EventFactory(slug="hidden", is_published=event_published)
    TalkFactory(event=event, slug="talk", is_published=talk_published, is_cancelled=talk_cancelled)

    response = client.get("/hidden/talks/talk.ics")

    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_schedule_ics_favourites_of_unpublished_talk_are_empty(client, small_conf):
    talk = TalkFactory(event=small_conf, is_published=False)

    calendar = fetch_calendar(client, f"/small-conf/schedule.ics?talks={talk.uuid}")

    assert calendar.walk("VEVENT") == []


def test_schedule_ics_favourite_that_was_cancelled_says_so(client, small_conf):
    talk = TalkFactory(event=small_conf, is_cancelled=True)

    calendar = fetch_calendar(client, f"/small-conf/schedule.ics?talks={talk.uuid}")

    assert [str(v["STATUS"]) for v in calendar.walk("VEVENT")] == ["CANCELLED"]


@pytest.mark.parametrize("query", ["", "?talks={uuid}"], ids=["all", "favourites"])
def test_schedule_ics_of_unpublished_event_is_not_found(client, db, query):
    event = EventFactory(slug="secret", is_published=False)
    talk = TalkFactory(event=event)

    response = client.get("/secret/schedule.ics" + query.format(uuid=talk.uuid))

    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_talk_ics_non_ascii_lines_are_folded_within_75_octets(client, small_conf):
    title = "Andreas Färber 🎉 QOM Vadis? Taking Objects to CPU and Beyond — ñandú 🐧 " * 3
    TalkFactory(event=small_conf, slug="long", title=title, abstract="Ünïcödé 🎉 " * 40)

    response = client.get("/small-conf/talks/long.ics")

    lines = response.content.split(b"\r\n")
    assert lines[-1] == b""
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # each folded line is whole characters
    (vevent,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == title
    assert any(line.startswith(b" ") for line in lines)


def test_schedule_ics_2012_lines_are_folded_within_75_octets(client, forum):
    content = client.get("/kvm-forum-2012/schedule.ics").content

    lines = content.split(b"\r\n")
    assert lines[-1] == b""
    assert b"\n" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    assert b"SUMMARY:QOM Vadis? Taking Objects to CPU and Beyond\r\n" in content
    assert "Speakers: Andreas Färber".encode() in content.replace(b"\r\n ", b"")


@pytest.mark.parametrize(
    ("zone", "when", "utc_start", "tzid"),
    [
        ("Europe/Madrid", (2013, 7, 3, 9, 0), utc(2013, 7, 3, 7, 0), "Europe/Madrid"),
        ("America/New_York", (2013, 3, 11, 9, 0), utc(2013, 3, 11, 13, 0), "America/New_York"),
        ("Australia/Sydney", (2013, 1, 2, 23, 30), utc(2013, 1, 2, 12, 30), "Australia/Sydney"),
        ("UTC", (2013, 7, 3, 9, 0), utc(2013, 7, 3, 9, 0), None),
    ],
)
def test_calendar_for_talks_writes_times_in_the_event_zone(db, zone, when, utc_start, tzid):
    event = EventFactory(
        time_zone=zone, start_date=datetime.date(2013, 1, 1), end_date=datetime.date(2013, 12, 31)
    )
    talk = TalkFactory(event=event, start=venue_time(event, *when))

    body = calendar_for_talks(
        event=event, talks=[talk], base_url="http://testserver/", name=event.name
    )

    calendar = icalendar.Calendar.from_ical(body)
    (vevent,) = calendar.walk("VEVENT")
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert vevent.decoded("DTSTART").astimezone(UTC) == utc_start
    assert vevent["DTSTART"].params.get("TZID") == tzid
    assert str(vtimezone["TZID"]) == zone
    own_rules = vtimezone.to_tz(lookup_tzid=False)
    assert datetime.datetime(*when, tzinfo=own_rules).astimezone(UTC) == utc_start


def test_calendar_for_talks_vtimezone_spans_years_of_talks_outside_event_dates(small_conf):
    start = venue_time(small_conf, 2013, 6, 1, 9, 0)
    talk = TalkFactory(event=small_conf, start=start, end=start + datetime.timedelta(hours=1))

    body = calendar_for_talks(
        event=small_conf, talks=[talk], base_url="http://testserver/", name="x"
    )

    (vtimezone,) = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    own_rules = vtimezone.to_tz(lookup_tzid=False)
    summer_2013 = datetime.datetime(2013, 6, 1, 9, 0, tzinfo=own_rules)
    assert summer_2013.utcoffset() == datetime.timedelta(hours=2)
    assert str(vtimezone["COMMENT"]) == "This timezone only works from 2012-01-01 to 2014-01-01."


@pytest.mark.parametrize("size", [1, 5])
def test_schedule_ics_query_count_is_the_same_for_any_size(
    client, small_conf, django_assert_num_queries, size
):
    track = TrackFactory(event=small_conf)
    room = RoomFactory(event=small_conf)
    for _ in range(size):
        TalkFactory(
            event=small_conf,
            room=room,
            track=track,
            speakers=[SpeakerFactory(), SpeakerFactory()],
        )

    # The event, the talks with rooms and tracks, their speakers.
    with django_assert_num_queries(3):
        calendar = fetch_calendar(client, "/small-conf/schedule.ics")

    assert len(calendar.walk("VEVENT")) == size


def test_schedule_ics_2012_parses_with_the_strict_ical_library(client, forum):
    text = client.get("/kvm-forum-2012/schedule.ics").content.decode("utf-8")

    calendar = IcsCalendarStream.calendar_from_ics(text)

    assert len(calendar.events) == 34
    keynote = next(e for e in calendar.events if e.summary == "Keynote Address")
    assert keynote.dtstart.astimezone(UTC) == utc(2012, 11, 7, 8, 0)
    assert keynote.end.astimezone(UTC) == utc(2012, 11, 7, 8, 15)
    assert [timezone.tz_id for timezone in calendar.timezones] == ["Europe/Madrid"]


# Talks at the end of summer time, when the venue's clocks show an hour (half
# an hour on Lord Howe) twice: (zone, start, end) as instants.
REPEATED_HOUR_TALKS = [
    # 00:30 at -05, the second 00:30, to 01:30.
    ("America/Havana", utc(2024, 11, 3, 5, 30), utc(2024, 11, 3, 6, 30)),
    # 23:30 at -04 to 00:30 at -05: two hours on one hour of the clock.
    ("America/Havana", utc(2024, 11, 3, 3, 30), utc(2024, 11, 3, 5, 30)),
    # The first 00:30 (-04) to the second (-05): one hour between equal clocks.
    ("America/Havana", utc(2024, 11, 3, 4, 30), utc(2024, 11, 3, 5, 30)),
    # 23:00 at -03 to 23:30 at -04 on 5 April, which Santiago lives twice.
    ("America/Santiago", utc(2025, 4, 6, 2, 0), utc(2025, 4, 6, 3, 30)),
    ("Europe/Madrid", utc(2024, 10, 27, 1, 0), utc(2024, 10, 27, 2, 0)),
    # 01:30 at +10:30, the second 01:30, to 02:30.
    ("Australia/Lord_Howe", utc(2025, 4, 5, 15, 0), utc(2025, 4, 5, 16, 0)),
]
REPEATED_HOUR_IDS = [
    "havana-second-0030",
    "havana-2h-over-1h-of-clock",
    "havana-0030-to-0030",
    "santiago",
    "madrid",
    "lord-howe",
]


def repeated_hour_calendar(zone, start, end):
    event = EventFactory(
        time_zone=zone, start_date=start.date(), end_date=start.date() + datetime.timedelta(1)
    )
    TalkFactory(event=event, title="Repeated hour", start=start, end=end)
    TalkFactory(event=event, title="Noon", start=start + datetime.timedelta(hours=12))
    return calendar_for_talks(
        event=event, talks=event.talks.order_by("start"), base_url="http://testserver/", name="x"
    )


@pytest.mark.parametrize(("zone", "start", "end"), REPEATED_HOUR_TALKS, ids=REPEATED_HOUR_IDS)
def test_talk_in_the_repeated_hour_reads_back_at_its_instants_with_icalendar(db, zone, start, end):
    calendar = icalendar.Calendar.from_ical(repeated_hour_calendar(zone, start, end))

    vevent = vevents_by_summary(calendar)["Repeated hour"]

    assert start_and_end_in_utc(vevent) == (start, end)
    assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == end - start


@pytest.mark.parametrize(("zone", "start", "end"), REPEATED_HOUR_TALKS, ids=REPEATED_HOUR_IDS)
def test_talk_in_the_repeated_hour_reads_back_at_its_instants_with_ical(db, zone, start, end):
    text = repeated_hour_calendar(zone, start, end).decode("utf-8")

    calendar = IcsCalendarStream.calendar_from_ics(text)

    talk = next(e for e in calendar.events if e.summary == "Repeated hour")
    assert (talk.dtstart.astimezone(UTC), talk.end.astimezone(UTC)) == (start, end)


@pytest.mark.parametrize(("zone", "start", "end"), REPEATED_HOUR_TALKS, ids=REPEATED_HOUR_IDS)
def test_only_talks_in_the_repeated_hour_are_written_in_utc(db, zone, start, end):
    body = repeated_hour_calendar(zone, start, end)

    events = vevents_by_summary(icalendar.Calendar.from_ical(body))

    # Every reader takes a UTC time as the same instant; the venue's clock stays elsewhere.
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z\r\n".encode() in body
    assert f"DTEND:{end:%Y%m%dT%H%M%S}Z\r\n".encode() in body
    assert events["Noon"]["DTSTART"].params["TZID"] == zone
