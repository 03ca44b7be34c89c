"""Tests of schedule.xml and schedule.json: schema validity, the readers' pitfalls, HTTP caching."""

import datetime
import json
import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from django.utils.http import http_date

from schedule.formats.frab.exporter import (
    export_acronym,
    export_slug,
    render_schedule_json,
    render_schedule_xml,
    room_guid,
    schedule_export_data,
)
from schedule.formats.frab.exporter.data import ROOM_GUID_NAMESPACE, hours_minutes
from schedule.formats.frab.rooms import roomless_room_guid
from schedule.models import Talk
from speakers.models import Speaker
from tests.auto_release import release_pending
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)

SCHEMAS = Path(__file__).parents[2] / "data" / "voc-schedule"
UTC = datetime.UTC
BASE_URL = "http://testserver/"
FORMATS = ["xml", "json"]
EVENTS = ["kvm_forum", "rooms_event"]

SLUG_PATTERN = re.compile(r"[a-z0-9_]{4,}-[a-z0-9\-_]{4,}")
JSON_SLUG_PATTERN = re.compile(r"[a-z0-9_-]+[a-z0-9]")
ACRONYM_PATTERN = re.compile(r"[a-z0-9_]{4,}")
DURATION_PATTERN = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
# Every child an <event> may have in the XSD; anything else breaks a reader.
XSD_EVENT_CHILDREN = {
    "room",
    "title",
    "subtitle",
    "type",
    "date",
    "start",
    "duration",
    "abstract",
    "slug",
    "track",
    "logo",
    "persons",
    "language",
    "description",
    "recording",
    "links",
    "attachments",
    "video_download_url",
    "url",
    "feedback_url",
    "origin_url",
}
# The talk fields both formats carry as plain text.
TEXT_FIELDS = [
    "date",
    "start",
    "duration",
    "room",
    "slug",
    "url",
    "title",
    "subtitle",
    "type",
    "language",
    "abstract",
    "description",
]
HOSTILE_TITLE = '<script>alert("x")</script> & </title><title>Owned'
HOSTILE_NAME = "\"quotes\" & <tags> 'too'"


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture(scope="module")
def xsd():
    return xmlschema.XMLSchema(SCHEMAS / "schedule.xml.xsd")


@pytest.fixture(scope="module")
def json_schema():
    return json.loads((SCHEMAS / "schedule.schema.json").read_text())


@pytest.fixture(scope="module")
def format_checker():
    """Draft 6's format checks plus ``date`` and ``uuid``.

    jsonschema registers those two for later drafts only, so Draft 6's own
    checker would let a malformed date or guid through; the schema uses both.
    """
    return jsonschema.FormatChecker(
        formats=[*jsonschema.Draft6Validator.FORMAT_CHECKER.checkers, "date", "uuid"]
    )


@pytest.fixture(scope="module")
def json_validator(json_schema, format_checker):
    return jsonschema.Draft6Validator(json_schema, format_checker=format_checker)


@pytest.fixture
def rooms_event(db):
    """Two days, three rooms (listed out of creation order), four talks per room a day."""
    event = EventFactory(
        name="Rooms Conf 2024",
        slug="rooms-conf-2024",
        location="Madrid, Spain",
        start_date=datetime.date(2024, 5, 14),
        end_date=datetime.date(2024, 5, 15),
        time_zone="Europe/Madrid",
    )
    rooms = [
        RoomFactory(event=event, name="Hall C", slug="hall-c", position=2),
        RoomFactory(event=event, name="Hall A", slug="hall-a", position=0),
        RoomFactory(event=event, name="Hall B", slug="hall-b", position=1),
    ]
    tracks = [
        TrackFactory(event=event, name="Kernel", slug="kernel", colour="#1F77B4", position=0),
        TrackFactory(event=event, name="Cloud", slug="cloud", colour="#ff7f0e", position=1),
    ]
    number = 0
    for day in (14, 15):
        for room in rooms:
            for hour in (9, 10, 11, 12):
                number += 1
                speakers = [SpeakerFactory(name=f"Person {number}")]
                if number % 3 == 0:
                    speakers.append(SpeakerFactory(name=f"Second person {number}"))
                TalkFactory(
                    event=event,
                    title=f"Talk number {number}",
                    slug=f"talk-number-{number}",
                    abstract=f"**Bold** words about topic {number}.",
                    room=room,
                    track=tracks[number % 3] if number % 3 < 2 else None,
                    start=venue_time(event, 2024, 5, day, hour, 0),
                    end=venue_time(event, 2024, 5, day, hour, 45),
                    do_not_record=number == 5,
                    speakers=speakers,
                )
    return event


def export_url(event, fmt):
    return f"/{event.slug}/schedule.{fmt}"


def fetch(client, event, fmt, **headers):
    response = client.get(export_url(event, fmt), headers=headers)
    assert response.status_code == 200
    return response


def fetch_xml(client, event):
    body = fetch(client, event, "xml").content
    return body, ET.fromstring(body)


def fetch_json(client, event):
    return json.loads(fetch(client, event, "json").content)


def xml_events(root):
    return root.findall("./day/room/event")


def json_events(document):
    return [
        talk
        for day in document["schedule"]["conference"]["days"]
        for talks in day["rooms"].values()
        for talk in talks
    ]


def event_room_names(event):
    return [room.name for room in event.rooms.all()] or [event.location]


def xml_talk(root, title):
    (event,) = [event for event in xml_events(root) if event.findtext("title") == title]
    return event


def json_talk(document, title):
    (talk,) = [talk for talk in json_events(document) if talk["title"] == title]
    return talk


# The validators themselves


def test_json_format_checker_checks_every_format_the_schema_uses(format_checker):
    # date-time needs rfc3339-validator, uri needs rfc3986-validator: without
    # them jsonschema silently skips the check.
    assert {"date", "date-time", "uri", "uuid"} <= set(format_checker.checkers)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schedule", "base_url"), "not a uri"),
        (("schedule", "conference", "days", 0, "date"), "2012-13-45"),
        (("schedule", "conference", "days", 0, "day_start"), "2012-11-07 00:00"),
        (("schedule", "conference", "rooms", 0, "guid"), "not-a-uuid"),
    ],
)
def test_json_validator_refuses_malformed_formats(client, kvm_forum, json_validator, path, value):
    document = fetch_json(client, kvm_forum)
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    assert not json_validator.is_valid(document)


def test_xsd_refuses_an_element_it_does_not_know(client, kvm_forum, xsd):
    _, root = fetch_xml(client, kvm_forum)
    ET.SubElement(xml_events(root)[0], "do_not_stream").text = "false"

    assert not xsd.is_valid(ET.tostring(root, encoding="unicode"))


# Validity


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_schedule_xml_is_valid_against_the_xsd(client, xsd, request, event_fixture):
    event = request.getfixturevalue(event_fixture)

    body, _ = fetch_xml(client, event)

    assert [error.reason for error in xsd.iter_errors(body.decode())] == []


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_schedule_json_is_valid_against_the_json_schema(
    client, json_validator, request, event_fixture
):
    event = request.getfixturevalue(event_fixture)

    document = fetch_json(client, event)

    assert [error.message for error in json_validator.iter_errors(document)] == []


# The readers' pitfalls


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_schedule_xml_has_only_the_xsd_elements_and_text_only_links(client, request, event_fixture):
    event = request.getfixturevalue(event_fixture)

    _, root = fetch_xml(client, event)

    events = xml_events(root)
    assert events
    for element in events:
        children = {child.tag for child in element}
        assert children <= XSD_EVENT_CHILDREN
        assert not children & {"do_not_stream", "answers", "end", "code"}
        assert [list(link) for link in element.iter("link")] == [[]] * len(element.find("links"))
        assert [list(person) for person in element.iter("person")] == [[]] * len(
            element.find("persons")
        )
        assert {child.tag for child in element.find("recording")} == {"license", "optout"}
        for link in element.iter("link"):
            assert link.get("href").startswith("http://testserver/")
        assert element.findtext("url").startswith("http://testserver/")


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_schedule_xml_opens_schedule_and_conference_within_the_first_kilobyte(
    client, request, event_fixture
):
    event = request.getfixturevalue(event_fixture)

    body, _ = fetch_xml(client, event)

    assert b"<schedule>" in body[:1024]
    assert b"<conference>" in body[:1024]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("event_fixture", EVENTS)
def test_export_slugs_ids_and_guids_are_unique_and_well_formed(client, request, event_fixture, fmt):
    event = request.getfixturevalue(event_fixture)
    talks = list(Talk.objects.published().filter(event=event))

    if fmt == "xml":
        _, root = fetch_xml(client, event)
        rows = [(int(e.get("id")), e.get("guid"), e.findtext("slug")) for e in xml_events(root)]
    else:
        rows = [(t["id"], t["guid"], t["slug"]) for t in json_events(fetch_json(client, event))]

    ids, guids, slugs = zip(*rows, strict=True)
    assert sorted(ids) == sorted(talk.pk for talk in talks)
    assert all(talk_id > 0 for talk_id in ids)
    assert sorted(guids) == sorted(str(talk.uuid) for talk in talks)
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert SLUG_PATTERN.fullmatch(slug), slug
        assert JSON_SLUG_PATTERN.fullmatch(slug), slug


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_export_dates_carry_the_venue_offset_and_agree_with_start_and_duration(
    client, request, event_fixture
):
    event = request.getfixturevalue(event_fixture)
    talks = {str(talk.uuid): talk for talk in Talk.objects.published().filter(event=event)}

    _, root = fetch_xml(client, event)
    document = fetch_json(client, event)

    rows = [
        (e.get("guid"), e.findtext("date"), e.findtext("start"), e.findtext("duration"))
        for e in xml_events(root)
    ] + [(t["guid"], t["date"], t["start"], t["duration"]) for t in json_events(document)]
    assert len(rows) == 2 * len(talks)
    for guid, date, start, duration in rows:
        talk = talks[guid]
        moment = datetime.datetime.fromisoformat(date)
        assert moment == talk.start
        assert moment.utcoffset() == talk.start.astimezone(event.tz).utcoffset()
        assert date[11:16] == start
        assert DURATION_PATTERN.fullmatch(duration)
        hours, minutes = map(int, duration.split(":"))
        assert datetime.timedelta(hours=hours, minutes=minutes) == talk.end - talk.start


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_export_days_run_midnight_to_midnight_at_the_venue(client, request, event_fixture):
    event = request.getfixturevalue(event_fixture)

    _, root = fetch_xml(client, event)
    document = fetch_json(client, event)

    expected = [
        (
            index,
            day.isoformat(),
            datetime.datetime.combine(day, datetime.time(), tzinfo=event.tz).isoformat(),
            datetime.datetime.combine(
                day + datetime.timedelta(days=1), datetime.time(), tzinfo=event.tz
            ).isoformat(),
        )
        for index, day in enumerate(event.days, start=1)
    ]
    assert [
        (int(day.get("index")), day.get("date"), day.get("start"), day.get("end"))
        for day in root.findall("day")
    ] == expected
    assert [
        (day["index"], day["date"], day["day_start"], day["day_end"])
        for day in document["schedule"]["conference"]["days"]
    ] == expected


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_export_acronym_fits_both_schemas(client, request, event_fixture):
    event = request.getfixturevalue(event_fixture)

    _, root = fetch_xml(client, event)
    document = fetch_json(client, event)

    acronym = root.findtext("conference/acronym")
    assert acronym == document["schedule"]["conference"]["acronym"]
    assert ACRONYM_PATTERN.fullmatch(acronym)
    assert acronym == event.slug.replace("-", "_")


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_export_guids_are_the_same_in_two_exports(client, request, event_fixture):
    event = request.getfixturevalue(event_fixture)

    def guids():
        _, root = fetch_xml(client, event)
        return [
            (element.tag, element.get("guid")) for element in root.iter() if element.get("guid")
        ]

    first, second = guids(), guids()

    assert first == second
    assert {tag for tag, _ in first} == {"room", "event", "person"}
    rooms = [guid for tag, guid in first if tag == "room"]
    # Each room's from its name; the stand-in room of roomless talks (the 2012 agenda) its own.
    assert set(rooms) == (
        {str(room_guid(event, room.name)) for room in event.rooms.all()}
        or {str(roomless_room_guid(export_acronym(event), event.location))}
    )


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_schedule_json_persons_match_exactly_one_person_shape(
    client, json_schema, request, event_fixture
):
    event = request.getfixturevalue(event_fixture)
    shapes = [
        jsonschema.Draft6Validator(json_schema["definitions"][name])
        for name in ("FrabPerson", "PretalxPerson")
    ]

    persons = [
        person for talk in json_events(fetch_json(client, event)) for person in talk["persons"]
    ]

    assert persons
    for person in persons:
        assert [shape.is_valid(person) for shape in shapes] == [False, True]
        # Both names, for readers that take only public_name; so no id (see the exporter).
        assert set(person) == {"guid", "name", "public_name"}
        assert person["public_name"] == person["name"]


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_schedule_json_links_are_absolute_with_a_listed_type(
    client, json_schema, request, event_fixture
):
    event = request.getfixturevalue(event_fixture)
    types = json_schema["definitions"]["Reference"]["properties"]["type"]["enum"]

    talks = json_events(fetch_json(client, event))

    for talk in talks:
        assert talk["links"] == [{"type": "web", "url": talk["url"], "title": "Talk page"}]
        assert talk["links"][0]["type"] in types
        assert talk["url"].startswith("http://testserver/")


@pytest.mark.parametrize(
    ("zone", "json_name", "date"),
    [
        ("US/Eastern", "America/New_York", "2012-11-07T09:00:00-05:00"),
        # A fixed offset: a zone of a place with +02:00 all year and no summer time.
        ("Etc/GMT-2", "Africa/Johannesburg", "2012-11-07T09:00:00+02:00"),
        ("Europe/Madrid", "Europe/Madrid", "2012-11-07T09:00:00+01:00"),
    ],
)
def test_schedule_json_names_every_zone_as_the_schema_takes_it(
    client, db, json_validator, xsd, zone, json_name, date
):
    event = EventFactory(slug="zoned", time_zone=zone)
    TalkFactory(event=event, start=venue_time(event, 2012, 11, 7, 9, 0))

    document = fetch_json(client, event)
    body, root = fetch_xml(client, event)

    assert document["schedule"]["conference"]["time_zone_name"] == json_name
    assert list(json_validator.iter_errors(document)) == []
    assert root.findtext("conference/time_zone_name") == zone
    assert xsd.is_valid(body.decode())
    assert json_events(document)[0]["date"] == date


# What the exports say about the 2012 agenda


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("title", "start", "duration"),
    [
        ("Keynote Address", utc(2012, 11, 7, 8, 0), "00:15"),
        ("OpenStack: KVM for the Masses", utc(2012, 11, 9, 9, 30), "00:30"),
    ],
)
def test_export_2012_talk_times_are_right_in_utc(client, kvm_forum, fmt, title, start, duration):
    if fmt == "xml":
        _, root = fetch_xml(client, kvm_forum)
        talk = xml_talk(root, title)
        date, talk_duration = talk.findtext("date"), talk.findtext("duration")
    else:
        talk = json_talk(fetch_json(client, kvm_forum), title)
        date, talk_duration = talk["date"], talk["duration"]

    assert datetime.datetime.fromisoformat(date).astimezone(UTC) == start
    assert talk_duration == duration


def test_export_2012_puts_every_talk_in_one_room_named_after_the_location(client, kvm_forum):
    _, root = fetch_xml(client, kvm_forum)
    document = fetch_json(client, kvm_forum)

    # A literal: the guid must never change, whatever happens to the code. It is the
    # stand-in's own ("roomless:"), so that an import of the file creates no room.
    guid = "070a7332-e39a-54ce-aa1e-65be2111d52b"
    assert guid == str(uuid.uuid5(ROOM_GUID_NAMESPACE, "roomless:kvm_forum_2012:Barcelona, Spain"))
    assert [
        [(room.get("name"), room.get("guid"), len(room)) for room in day]
        for day in root.findall("day")
    ] == [
        [("Barcelona, Spain", guid, 13)],
        [("Barcelona, Spain", guid, 18)],
        [("Barcelona, Spain", guid, 3)],
    ]
    assert {event.findtext("room") for event in xml_events(root)} == {"Barcelona, Spain"}
    conference = document["schedule"]["conference"]
    assert conference["rooms"] == [{"name": "Barcelona, Spain", "guid": guid}]
    assert [list(day["rooms"]) for day in conference["days"]] == [["Barcelona, Spain"]] * 3
    assert len(json_events(document)) == 34


def test_export_conference_block_of_the_2012_agenda(client, kvm_forum):
    _, root = fetch_xml(client, kvm_forum)
    document = fetch_json(client, kvm_forum)

    assert {child.tag: child.text for child in root.find("conference")} == {
        "acronym": "kvm_forum_2012",
        "title": "KVM Forum + oVirt Workshop",
        "start": "2012-11-07",
        "end": "2012-11-09",
        "days": "3",
        "timeslot_duration": "00:05",
        "time_zone_name": "Europe/Madrid",
        "base_url": "http://testserver/",
        "url": "http://testserver/kvm-forum-2012/",
    }
    conference = document["schedule"]["conference"]
    assert {key: value for key, value in conference.items() if key != "days"} == {
        "acronym": "kvm_forum_2012",
        "title": "KVM Forum + oVirt Workshop",
        "start": "2012-11-07",
        "end": "2012-11-09",
        "daysCount": 3,
        "timeslot_duration": "00:05",
        "time_zone_name": "Europe/Madrid",
        "url": "http://testserver/kvm-forum-2012/",
        "tracks": [],
        "rooms": conference["rooms"],
    }
    assert document["$schema"] == "https://c3voc.de/schedule/schema.json"
    assert document["schedule"]["base_url"] == "http://testserver/"


# The event with rooms and tracks


def test_export_lists_rooms_by_position_on_every_day(client, rooms_event):
    _, root = fetch_xml(client, rooms_event)
    document = fetch_json(client, rooms_event)

    names = ["Hall A", "Hall B", "Hall C"]
    assert [[room.get("name") for room in day] for day in root.findall("day")] == [names] * 2
    assert [[len(room) for room in day] for day in root.findall("day")] == [[4, 4, 4]] * 2
    conference = document["schedule"]["conference"]
    assert [list(day["rooms"]) for day in conference["days"]] == [names] * 2
    assert conference["rooms"] == [
        {"name": name, "guid": str(room_guid(rooms_event, name))} for name in names
    ]
    for room in root.iter("room"):
        for event in room:
            assert event.findtext("room") == room.get("name")


def test_export_talk_of_the_rooms_event_in_full(client, rooms_event):
    talk = Talk.objects.get(event=rooms_event, title="Talk number 3")
    first, second = (link.speaker for link in talk.talk_speakers.all())

    _, root = fetch_xml(client, rooms_event)
    element = xml_talk(root, "Talk number 3")
    document = fetch_json(client, rooms_event)

    url = "http://testserver/rooms-conf-2024/talks/talk-number-3/"
    assert element.attrib == {"id": str(talk.pk), "guid": str(talk.uuid)}
    assert {child.tag: child.text for child in element if not len(child)} == {
        "date": "2024-05-14T11:00:00+02:00",
        "start": "11:00",
        "duration": "00:45",
        "room": "Hall C",
        "slug": f"rooms_conf_2024-{talk.pk}-talk-number-3",
        "url": url,
        "title": "Talk number 3",
        "subtitle": None,
        "track": "Kernel",
        "type": "talk",
        "language": "en",
        "abstract": "**Bold** words about topic 3.",
        "description": None,
    }
    assert [(p.get("id"), p.get("guid"), p.text) for p in element.find("persons")] == [
        (str(first.pk), str(first.uuid), "Person 3"),
        (str(second.pk), str(second.uuid), "Second person 3"),
    ]
    assert [(link.get("href"), link.text) for link in element.find("links")] == [(url, "Talk page")]
    assert json_talk(document, "Talk number 3") == {
        "guid": str(talk.uuid),
        "id": talk.pk,
        "date": "2024-05-14T11:00:00+02:00",
        "start": "11:00",
        "end": "2024-05-14T11:45:00+02:00",
        "duration": "00:45",
        "room": "Hall C",
        "slug": f"rooms_conf_2024-{talk.pk}-talk-number-3",
        "url": url,
        "title": "Talk number 3",
        "subtitle": "",
        "track": "Kernel",
        "type": "talk",
        "language": "en",
        "abstract": "**Bold** words about topic 3.",
        "description": "",
        "recording_license": "",
        "do_not_record": False,
        "persons": [
            {"guid": str(first.uuid), "name": "Person 3", "public_name": "Person 3"},
            {"guid": str(second.uuid), "name": "Second person 3", "public_name": "Second person 3"},
        ],
        "links": [{"type": "web", "url": url, "title": "Talk page"}],
    }


def test_export_tracks_and_recording_opt_out(client, rooms_event):
    _, root = fetch_xml(client, rooms_event)
    document = fetch_json(client, rooms_event)

    assert [track.attrib for track in root.findall("conference/track")] == [
        {"name": "Kernel", "color": "#1f77b4", "slug": "kernel"},
        {"name": "Cloud", "color": "#ff7f0e", "slug": "cloud"},
    ]
    assert document["schedule"]["conference"]["tracks"] == [
        {"name": "Kernel", "color": "#1f77b4", "slug": "kernel"},
        {"name": "Cloud", "color": "#ff7f0e", "slug": "cloud"},
    ]
    assert xml_talk(root, "Talk number 1").findtext("track") == "Cloud"
    assert xml_talk(root, "Talk number 2").findtext("track") == ""
    assert json_talk(document, "Talk number 1")["track"] == "Cloud"
    assert json_talk(document, "Talk number 2")["track"] is None
    assert xml_talk(root, "Talk number 5").findtext("recording/optout") == "true"
    assert xml_talk(root, "Talk number 4").findtext("recording/optout") == "false"
    assert json_talk(document, "Talk number 5")["do_not_record"] is True


@pytest.mark.parametrize("event_fixture", EVENTS)
def test_export_xml_and_json_say_the_same(client, request, event_fixture):
    event = request.getfixturevalue(event_fixture)

    _, root = fetch_xml(client, event)
    document = fetch_json(client, event)

    assert root.findtext("version") == document["schedule"]["version"]
    from_xml = [
        {
            "guid": e.get("guid"),
            "id": int(e.get("id")),
            "persons": [
                {"guid": p.get("guid"), "name": p.text, "public_name": p.text}
                for p in e.find("persons")
            ],
            "do_not_record": e.findtext("recording/optout") == "true",
            **{tag: e.findtext(tag) for tag in TEXT_FIELDS},
            "track": e.findtext("track") or None,
        }
        for e in xml_events(root)
    ]
    from_json = [{key: talk[key] for key in from_xml[0]} for talk in json_events(document)]
    assert from_xml == from_json


def test_export_leaves_out_cancelled_unpublished_and_unscheduled_talks(client, rooms_event):
    Talk.objects.filter(title="Talk number 1").update(is_cancelled=True)
    Talk.objects.filter(title="Talk number 2").update(is_published=False)
    Talk.objects.filter(title="Talk number 3").update(start=None, end=None)

    _, root = fetch_xml(client, rooms_event)
    document = fetch_json(client, rooms_event)

    gone = {"Talk number 1", "Talk number 2", "Talk number 3"}
    xml_titles = {event.findtext("title") for event in xml_events(root)}
    json_titles = {talk["title"] for talk in json_events(document)}
    assert len(xml_titles) == 21
    assert xml_titles == json_titles
    assert not xml_titles & gone


# Hostile and awkward text


def test_export_hostile_text_stays_well_formed_and_round_trips(client, db, xsd, json_validator):
    event = EventFactory(slug="hostile", name='<b>Conf</b> & "friends"')
    TalkFactory(
        event=event,
        title=HOSTILE_TITLE,
        # Characters XML 1.0 forbids (NUL never reaches the database: PostgreSQL refuses it).
        subtitle="Line one\r\nline two\x0b\x01 and a bell\x07",
        abstract="<script>alert(1)</script>Words & more",
        speakers=[SpeakerFactory(name=HOSTILE_NAME)],
    )

    body, root = fetch_xml(client, event)
    document = fetch_json(client, event)

    assert b"<script>" not in body
    assert b"<tags>" not in body
    assert b"</title><title>" not in body
    (element,) = xml_events(root)
    (talk,) = json_events(document)
    assert element.findtext("title") == talk["title"] == HOSTILE_TITLE
    assert element.findtext("persons/person") == talk["persons"][0]["name"] == HOSTILE_NAME
    assert element.findtext("subtitle") == talk["subtitle"] == "Line one\nline two and a bell"
    # Markup that could run in a reader that renders HTML goes through the pages' allow-list.
    assert element.findtext("abstract") == talk["abstract"] == "Words &amp; more"
    assert root.findtext("conference/title") == '<b>Conf</b> & "friends"'
    assert xsd.is_valid(body.decode())
    assert list(json_validator.iter_errors(document)) == []


@pytest.mark.parametrize(
    ("title", "pk", "expected"),
    [
        ("Keynote Address", 1, "kvm_forum_2012-1-keynote-address"),
        ("", 1, "kvm_forum_2012-0001"),
        ("X", 7, "kvm_forum_2012-0007-x"),
        ("Q&A", 12345, "kvm_forum_2012-12345-qa"),
        ("日本語のトーク", 3, "kvm_forum_2012-0003"),
        ("Über _private_ C++!", 42, "kvm_forum_2012-42-uber-_private_-c"),
        ("a " * 80, 9, "kvm_forum_2012-9-" + "-".join(["a"] * 30)),
        ("--- trailing ---", 10, "kvm_forum_2012-10-trailing"),
    ],
)
def test_export_slug_fits_both_schemas(title, pk, expected):
    talk = Talk(pk=pk, title=title)

    slug = export_slug(talk, acronym="kvm_forum_2012")

    assert slug == expected
    assert SLUG_PATTERN.fullmatch(slug)
    assert JSON_SLUG_PATTERN.fullmatch(slug)


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("kvm-forum-2012", "kvm_forum_2012"),
        ("ab", "ab__"),
        ("a-b", "a_b_"),
        ("PyCon-DE", "pycon_de"),
        ("devconf_2024", "devconf_2024"),
    ],
)
def test_export_acronym_is_lowercase_with_underscores_and_at_least_four_long(slug, expected):
    assert export_acronym(EventFactory.build(slug=slug)) == expected
    assert ACRONYM_PATTERN.fullmatch(expected)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0.5, "00:00"),
        (15, "00:15"),
        (90, "01:30"),
        (23 * 60 + 59, "23:59"),
        (24 * 60, "23:59"),
        (50 * 60, "23:59"),
    ],
)
def test_hours_minutes_stays_below_a_day(minutes, expected):
    assert hours_minutes(datetime.timedelta(minutes=minutes)) == expected


def test_export_talk_across_midnight_stretches_its_day(client, db, xsd, json_validator):
    event = EventFactory(
        slug="late-night",
        start_date=datetime.date(2012, 11, 7),
        end_date=datetime.date(2012, 11, 7),
    )
    TalkFactory(
        event=event,
        title="Late show",
        start=venue_time(event, 2012, 11, 7, 23, 30),
        end=venue_time(event, 2012, 11, 8, 0, 45),
    )

    body, root = fetch_xml(client, event)
    document = fetch_json(client, event)

    assert [(day.get("date"), day.get("end")) for day in root.findall("day")] == [
        ("2012-11-07", "2012-11-08T00:45:00+01:00")
    ]
    assert xml_talk(root, "Late show").findtext("duration") == "01:15"
    assert xsd.is_valid(body.decode())
    assert list(json_validator.iter_errors(document)) == []


@pytest.mark.parametrize(
    ("zone", "start", "end", "duration"),
    [
        # Clocks go from 23:59 to 01:00: 23:30 to 01:30 is one hour.
        ("America/Santiago", utc(2024, 9, 8, 3, 30), utc(2024, 9, 8, 4, 30), "01:00"),
        # Clocks go from 00:59 back to 00:00: 23:30 to 00:30 is two hours.
        ("America/Havana", utc(2024, 11, 3, 3, 30), utc(2024, 11, 3, 5, 30), "02:00"),
        # Lord Howe's clocks go back half an hour: 01:00 to the second 01:30 is an hour.
        ("Australia/Lord_Howe", utc(2025, 4, 5, 14, 0), utc(2025, 4, 5, 15, 0), "01:00"),
    ],
)
def test_export_duration_is_the_time_that_passes_across_a_clock_change(
    client, db, xsd, json_validator, zone, start, end, duration
):
    event = EventFactory(
        slug="clock-change",
        time_zone=zone,
        start_date=start.date() - datetime.timedelta(days=1),
        end_date=end.date(),
    )
    TalkFactory(event=event, title="Across the change", start=start, end=end)

    body, root = fetch_xml(client, event)
    document = fetch_json(client, event)

    assert xml_talk(root, "Across the change").findtext("duration") == duration
    assert json_talk(document, "Across the change")["duration"] == duration
    assert [error.reason for error in xsd.iter_errors(body.decode())] == []
    assert [error.message for error in json_validator.iter_errors(document)] == []


def test_export_talk_outside_the_event_dates_gets_a_day_of_its_own(client, db):
    event = EventFactory(
        slug="overflow", start_date=datetime.date(2012, 11, 7), end_date=datetime.date(2012, 11, 7)
    )
    TalkFactory(event=event, title="Afterparty", start=venue_time(event, 2012, 11, 9, 20, 0))

    _, root = fetch_xml(client, event)

    assert [
        (day.get("index"), day.get("date"), len(day.find("room"))) for day in root.findall("day")
    ] == [
        ("1", "2012-11-07", 0),
        ("2", "2012-11-09", 1),
    ]
    assert root.findtext("conference/end") == "2012-11-09"
    assert root.findtext("conference/days") == "2"


def test_export_rooms_of_one_name_and_roomless_talks_get_distinct_rooms(client, db, json_validator):
    event = EventFactory(slug="same-names", location="")
    hall, other_hall = (
        RoomFactory(event=event, name="Hall", slug="hall", position=0),
        RoomFactory(event=event, name="Hall", slug="hall-2", position=1),
    )
    TalkFactory(event=event, title="In hall", room=hall)
    TalkFactory(event=event, title="In the other hall", room=other_hall)
    TalkFactory(event=event, title="Everywhere", room=None)

    _, root = fetch_xml(client, event)
    document = fetch_json(client, event)

    first_day = root.find("day")
    assert [(room.get("name"), [e.findtext("title") for e in room]) for room in first_day] == [
        ("Hall", ["In hall"]),
        ("Hall (2)", ["In the other hall"]),
        ("Main", ["Everywhere"]),
    ]
    assert list(document["schedule"]["conference"]["days"][0]["rooms"]) == [
        "Hall",
        "Hall (2)",
        "Main",
    ]
    assert list(json_validator.iter_errors(document)) == []


# HTTP: content types, CORS, caching


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("xml", "application/xml; charset=utf-8"), ("json", "application/json")],
)
def test_export_content_type_and_cors(client, kvm_forum, fmt, content_type):
    response = fetch(client, kvm_forum, fmt)

    assert response["Content-Type"] == content_type
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Expose-Headers"] == "ETag"


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_of_an_unpublished_or_unknown_event_is_404(client, db, fmt):
    event = EventFactory(slug="draft", is_published=False)
    TalkFactory(event=event)

    assert client.get(export_url(event, fmt)).status_code == 404
    assert client.get(f"/no-such-event/schedule.{fmt}").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_refuses_post(client, kvm_forum, fmt):
    assert client.post(export_url(kvm_forum, fmt)).status_code == 405


def version_of(client, event, fmt):
    """The export's ``version`` (the release's name) and its ETag."""
    response = fetch(client, event, fmt)
    if fmt == "xml":
        version = ET.fromstring(response.content).findtext("version")
    else:
        version = json.loads(response.content)["schedule"]["version"]
    return version, response["ETag"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_version_is_the_release_and_the_etag_changes_with_a_title_only(
    client, rooms_event, fmt
):
    talk = Talk.objects.get(event=rooms_event, title="Talk number 1")
    hidden = Talk.objects.get(event=rooms_event, title="Talk number 2")
    hidden.is_published = False
    hidden.save()
    first, first_etag = version_of(client, rooms_event, fmt)

    talk.save()
    hidden.title = "Nobody sees this"
    hidden.save()
    unchanged, unchanged_etag = version_of(client, rooms_event, fmt)
    talk.title = "Talk number one"
    talk.save()
    changed, changed_etag = version_of(client, rooms_event, fmt)

    current = rooms_event.releases.get(is_current=True)
    assert re.fullmatch(r'"[0-9a-f]{12}"', first_etag)
    assert (unchanged, unchanged_etag) == (first, first_etag)
    assert changed == current.name != first
    assert changed_etag != first_etag


def test_export_xml_and_json_share_the_version(client, rooms_event):
    assert version_of(client, rooms_event, "xml")[0] == version_of(client, rooms_event, "json")[0]


def saved(instance, **changes):
    """Change and save a row as the admin and the services do (signals and all)."""
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda event: saved(event.rooms.get(name="Hall A"), name="Aula"), id="room"),
        pytest.param(lambda event: saved(event.tracks.get(name="Kernel"), name="Core"), id="track"),
        pytest.param(
            lambda event: saved(
                Talk.objects.get(title="Talk number 1").speakers.first(), name="New name"
            ),
            id="speaker",
        ),
        pytest.param(
            lambda event: saved(
                Talk.objects.get(title="Talk number 1"),
                start=venue_time(event, 2024, 5, 14, 13, 0),
                end=venue_time(event, 2024, 5, 14, 14, 0),
            ),
            id="time",
        ),
        pytest.param(
            lambda event: Talk.objects.filter(title="Talk number 1").delete(), id="delete"
        ),
    ],
)
def test_export_version_changes_with_what_the_schedule_shows(client, rooms_event, change):
    _, before = version_of(client, rooms_event, "json")

    change(rooms_event)

    assert version_of(client, rooms_event, "json")[1] != before


def set_updated(rooms_event, *, talks, event, hidden_talk=None, speaker=None):
    """Stamp the released schedule (and the working one alike, so nothing is pending)."""
    release_pending()
    every_version = Talk._base_manager.filter(event=rooms_event)
    every_version.update(updated=talks)
    Speaker.objects.filter(talks__event=rooms_event).update(updated=talks)
    type(rooms_event).objects.filter(pk=rooms_event.pk).update(updated=event)
    if hidden_talk:
        every_version.filter(title="Talk number 2").update(is_cancelled=True, updated=hidden_talk)
    if speaker:
        Talk.objects.get(title="Talk number 3").speakers.update(updated=speaker)


@pytest.mark.parametrize(
    ("stamps", "expected"),
    [
        ({"talks": utc(2024, 1, 2, 10), "event": utc(2024, 1, 1)}, utc(2024, 1, 2, 10)),
        ({"talks": utc(2024, 1, 2), "event": utc(2024, 1, 5, 8, 30)}, utc(2024, 1, 5, 8, 30)),
        (
            {"talks": utc(2024, 1, 2), "event": utc(2024, 1, 1), "hidden_talk": utc(2024, 1, 9)},
            utc(2024, 1, 9),
        ),
        (
            {"talks": utc(2024, 1, 2), "event": utc(2024, 1, 1), "speaker": utc(2024, 2, 1)},
            utc(2024, 2, 1),
        ),
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_export_last_modified_is_the_latest_change(client, rooms_event, fmt, stamps, expected):
    set_updated(rooms_event, **stamps)

    response = fetch(client, rooms_event, fmt)

    assert response["Last-Modified"] == http_date(expected.timestamp())


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_if_none_match_with_the_etag_is_304_with_validators(client, rooms_event, fmt):
    first = fetch(client, rooms_event, fmt)

    response = client.get(export_url(rooms_event, fmt), headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response["Last-Modified"] == first["Last-Modified"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_if_none_match_with_an_old_etag_is_200(client, rooms_event, fmt):
    first = fetch(client, rooms_event, fmt)
    talk = Talk.objects.get(title="Talk number 1")
    talk.title = "Renamed"
    talk.save()

    response = client.get(export_url(rooms_event, fmt), headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert b"Renamed" in response.content


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("offset", "status"),
    [
        (datetime.timedelta(0), 304),
        (datetime.timedelta(hours=1), 304),
        (datetime.timedelta(seconds=-1), 200),
    ],
)
def test_export_if_modified_since(client, rooms_event, fmt, offset, status):
    set_updated(rooms_event, talks=utc(2024, 3, 1, 12), event=utc(2024, 1, 1))
    since = http_date((utc(2024, 3, 1, 12) + offset).timestamp())

    response = client.get(export_url(rooms_event, fmt), headers={"If-Modified-Since": since})

    assert response.status_code == status
    assert response["Last-Modified"] == "Fri, 01 Mar 2024 12:00:00 GMT"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_export_etag_decides_over_if_modified_since(client, rooms_event):
    # A change that no timestamp records (a room renamed): the ETag still tells.
    first = fetch(client, rooms_event, "xml")
    saved(rooms_event.rooms.get(name="Hall A"), name="Aula")

    response = client.get(
        export_url(rooms_event, "xml"),
        headers={"If-None-Match": first["ETag"], "If-Modified-Since": first["Last-Modified"]},
    )

    assert response.status_code == 200
    assert response["Last-Modified"] == first["Last-Modified"]
    assert b'name="Aula"' in response.content


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("size", [10, 100])
def test_export_query_count_does_not_grow_with_talks(
    client, db, django_assert_num_queries, fmt, size
):
    event = EventFactory(slug="many-talks")
    rooms = [RoomFactory(event=event, position=n) for n in range(3)]
    track = TrackFactory(event=event)
    speakers = [SpeakerFactory() for _ in range(4)]
    for number in range(size):
        TalkFactory(
            event=event,
            room=rooms[number % 3],
            track=track,
            start=venue_time(event, 2012, 11, 7 + number % 3, 9, 0)
            + datetime.timedelta(minutes=number),
            end=venue_time(event, 2012, 11, 7 + number % 3, 10, 0)
            + datetime.timedelta(minutes=number),
            speakers=speakers[: 1 + number % 2],
        )

    # The event, its release, rooms, tracks, talks, their speakers, the last change.
    with django_assert_num_queries(7):
        response = client.get(export_url(event, fmt))

    assert response.status_code == 200
    if fmt == "xml":
        assert len(xml_events(ET.fromstring(response.content))) == size
    else:
        assert len(json_events(json.loads(response.content))) == size


def test_export_renderers_need_nothing_but_the_data(client, rooms_event, django_assert_num_queries):
    release_pending()
    with django_assert_num_queries(5):
        export = schedule_export_data(rooms_event, base_url=BASE_URL)

    with django_assert_num_queries(0):
        xml_body, json_body = render_schedule_xml(export), render_schedule_json(export)

    assert xml_body == fetch(client, rooms_event, "xml").content
    assert json_body == fetch(client, rooms_event, "json").content
    assert len(export.talks) == 24


def test_export_of_an_event_without_talks_is_valid(client, db, xsd, json_validator):
    event = EventFactory(slug="empty-conf", start_date=datetime.date(2012, 11, 7))

    body, root = fetch_xml(client, event)
    document = fetch_json(client, event)

    assert [(day.get("date"), len(day)) for day in root.findall("day")] == [
        ("2012-11-07", 0),
        ("2012-11-08", 0),
        ("2012-11-09", 0),
    ]
    assert root.findtext("conference/timeslot_duration") == "01:00"
    assert xsd.is_valid(body.decode())
    assert list(json_validator.iter_errors(document)) == []
