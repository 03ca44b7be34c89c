"""Round trip of the frab XML: export an event, import the file as a new event, export again.

The two exports must say the same apart from identifiers: the new event has
its own slug, so its acronym, URLs, talk and room guids, slugs and person ids
differ, and so does the version, a hash that includes them.
"""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest

from conference.models import Event
from schedule.formats.frab.exporter import (
    render_schedule_json,
    render_schedule_xml,
)
from schedule.formats.frab.importer import frab_import
from schedule.importing.results import Outcome
from schedule.models import Talk
from tests.auto_release import released_export_data
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)

BASE_URL = "https://conference.example.org/"
# Where each export names things by their identity rather than by their content.
IDENTIFYING_ELEMENTS = {
    "schedule": ("version",),
    "conference": ("acronym", "url", "base_url"),
    "event": ("slug", "url", "links"),
}
IDENTIFYING_ATTRIBUTES = {"event": ("id", "guid"), "person": ("id", "guid"), "room": ("guid",)}


def export_xml(event):
    return render_schedule_xml(released_export_data(event, base_url=BASE_URL))


def without_identifiers(data):
    """The export's XML as indented lines, without the elements and attributes that identify."""
    root = ElementTree.fromstring(data)
    for parent in root.iter():
        for tag in IDENTIFYING_ELEMENTS.get(parent.tag, ()):
            for child in parent.findall(tag):
                parent.remove(child)
        for name in IDENTIFYING_ATTRIBUTES.get(parent.tag, ()):
            parent.attrib.pop(name, None)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode").splitlines()


def round_trip(event, tmp_path):
    """``(first export, second export, import result)`` of ``event`` re-imported as a new event."""
    first = export_xml(event)
    path = tmp_path / "exported.schedule.xml"
    path.write_bytes(first)
    result = frab_import(path=path, event_slug="round-trip")
    second = export_xml(Event.objects.get(slug="round-trip"))
    return first, second, result


@pytest.mark.django_db
def test_round_trip_of_the_2012_agenda_keeps_everything_but_identifiers(kvm_forum, tmp_path):
    talks = Talk.objects.filter(event=kvm_forum).count()

    first, second, result = round_trip(kvm_forum, tmp_path)

    assert (result.event_outcome, result.talks_created, result.rooms_created) == (
        Outcome.CREATED,
        talks,
        0,
    )
    assert without_identifiers(second) == without_identifiers(first)
    assert first != second


@pytest.mark.django_db
def test_round_trip_of_a_roomless_event_invents_no_room(kvm_forum, tmp_path):
    # The export lists the 2012 agenda's roomless talks in a room named after the venue.
    first = ElementTree.fromstring(export_xml(kvm_forum))
    assert {room.get("name") for room in first.findall("day/room")} == {kvm_forum.location}

    _, _, result = round_trip(kvm_forum, tmp_path)

    event = Event.objects.get(slug="round-trip")
    assert (result.rooms_created, list(event.rooms.values_list("name", flat=True))) == (0, [])
    assert list(event.talks.exclude(room=None)) == []
    assert result.summary().startswith(
        "Event round-trip (Europe/Madrid): created. Rooms: 0 created, 0 updated, 0 unchanged."
    )


@pytest.mark.django_db
def test_a_room_named_after_the_venue_with_a_guid_of_its_own_is_a_room(kvm_forum, tmp_path):
    # Only our export's stand-in is taken for "no room": a file's real room of that name stays.
    root = ElementTree.fromstring(export_xml(kvm_forum))
    for room in root.findall("day/room"):
        room.set("guid", "8d7b0f0a-2d4e-4a36-9a4c-3a3c5d1e2f10")
    path = tmp_path / "with-a-room.schedule.xml"
    path.write_bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))

    result = frab_import(path=path, event_slug="with-a-room")

    event = Event.objects.get(slug="with-a-room")
    assert (result.rooms_created, list(event.rooms.values_list("name", flat=True))) == (
        1,
        [kvm_forum.location],
    )
    assert event.talks.filter(room=None).count() == 0


def roomy_event():
    """An event with two rooms, a track, speakers, a talk across midnight and a break."""
    event = EventFactory(
        slug="roomy-conf",
        name="Roomy Conf",
        time_zone="Europe/Berlin",
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 3, 2),
    )
    hall, side = RoomFactory(event=event, name="Hall"), RoomFactory(event=event, name="Side")
    security = TrackFactory(event=event, name="Security", slug="security", colour="#0347B4")
    ada, grace = SpeakerFactory(name="Ada Lovelace"), SpeakerFactory(name="Grace Hopper")
    TalkFactory(
        event=event,
        title="Opening",
        kind=Talk.Kind.KEYNOTE,
        room=hall,
        start=venue_time(event, 2025, 3, 1, 9, 0),
        end=venue_time(event, 2025, 3, 1, 9, 45),
        speakers=[ada, grace],
    )
    TalkFactory(
        event=event,
        title="Breaking things",
        subtitle="Safely",
        kind=Talk.Kind.WORKSHOP,
        language="de",
        do_not_record=True,
        abstract="Bring a laptop.",
        room=side,
        track=security,
        start=venue_time(event, 2025, 3, 1, 23, 30),
        end=venue_time(event, 2025, 3, 2, 1, 0),
        speakers=[grace],
    )
    TalkFactory(
        event=event,
        title="Lunch",
        kind=Talk.Kind.BREAK,
        room=hall,
        start=venue_time(event, 2025, 3, 2, 12, 0),
        end=venue_time(event, 2025, 3, 2, 13, 0),
    )
    return event


@pytest.mark.django_db
def test_round_trip_of_an_event_with_rooms_keeps_everything_but_identifiers(tmp_path):
    event = roomy_event()

    first, second, result = round_trip(event, tmp_path)

    # The people are the site's own: found again by the guid the export gives them.
    assert (result.talks_created, result.rooms_created, result.speakers_created) == (3, 2, 0)
    assert result.speakers_unchanged == 2
    assert without_identifiers(second) == without_identifiers(first)
    imported = Talk.objects.filter(event__slug="round-trip").order_by("start")
    assert [(talk.title, talk.kind, talk.room.name) for talk in imported] == [
        ("Opening", "keynote", "Hall"),
        ("Breaking things", "workshop", "Side"),
        ("Lunch", "break", "Hall"),
    ]


@pytest.mark.django_db
def test_round_trip_through_schedule_json_keeps_everything_but_identifiers(tmp_path):
    event = roomy_event()
    path = tmp_path / "exported.schedule.json"
    path.write_bytes(render_schedule_json(released_export_data(event, base_url=BASE_URL)))

    result = frab_import(path=path, event_slug="round-trip")

    # The people are the site's own speakers, found again by the guids the export gave them.
    assert (result.talks_created, result.rooms_created, result.speakers_created) == (3, 2, 0)
    second = export_xml(Event.objects.get(slug="round-trip"))
    assert without_identifiers(second) == without_identifiers(export_xml(event))


FILE_PERSON_GUID = "6f1c1b0e-1111-4c3a-9d2e-0a1b2c3d4e5f"
STARRED = "Aktivist\\*innen und Künstler\\*innen\n\n  * a list item\n\nsee <https://x.example/>"


def one_talk_file(tmp_path, *, abstract):
    path = tmp_path / "one.schedule.xml"
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<schedule><conference><acronym>oneconf</acronym><title>One</title>
<time_zone_name>Europe/Berlin</time_zone_name></conference>
<day index="1" date="2025-03-01"><room name="Hall">
<event guid="0b9a3c1e-5d2f-4a6b-8c7d-9e0f1a2b3c4d" id="1">
<date>2025-03-01T10:00:00+01:00</date><start>10:00</start><duration>00:30</duration>
<room>Hall</room><title>Starred</title><abstract>{abstract}</abstract>
<persons><person guid="{FILE_PERSON_GUID}">Ada</person><person id="9">Bob</person></persons>
</event></room></day></schedule>""",
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
def test_export_then_import_into_the_same_event_keeps_every_character_and_guid(tmp_path):
    frab_import(
        path=one_talk_file(tmp_path, abstract=STARRED.replace("<", "&lt;")), event_slug="one"
    )
    first = export_xml(Event.objects.get(slug="one"))
    path = tmp_path / "again.schedule.xml"
    path.write_bytes(first)

    again = frab_import(path=path, event_slug="one")

    talk = Talk.objects.get()
    assert talk.abstract == STARRED
    assert ElementTree.fromstring(first).findtext(".//abstract") == STARRED
    assert (again.changed, again.talks_updated, again.speakers_created) == (False, 0, 0)
    bob = talk.speakers.get(name="Bob")
    people = [(p.get("guid"), p.text) for p in ElementTree.fromstring(first).iter("person")]
    assert people == [(FILE_PERSON_GUID, "Ada"), (str(bob.uuid), "Bob")]
    assert export_xml(Event.objects.get(slug="one")) == first


@pytest.mark.django_db
def test_reimporting_our_own_export_changes_nothing(tmp_path):
    event = EventFactory(
        slug="own-conf",
        time_zone="Europe/Berlin",
        website="",
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 3, 1),
    )
    speaker = SpeakerFactory(name="Ada Lovelace")
    TalkFactory(
        event=event,
        abstract="**Bold** and a literal \\* star",
        start=venue_time(event, 2025, 3, 1, 9, 0),
        end=venue_time(event, 2025, 3, 1, 9, 45),
        speakers=[speaker],
    )
    first = export_xml(event)
    path = tmp_path / "own.schedule.xml"
    path.write_bytes(first)

    result = frab_import(path=path, event_slug="own-conf")

    person = ElementTree.fromstring(first).find(".//person")
    assert person.get("guid") == str(speaker.uuid)
    assert result.changed is False
    assert (result.event_outcome, result.talks_created, result.talks_updated) == (
        Outcome.UNCHANGED,
        0,
        0,
    )
    assert (result.speakers_created, result.speakers_updated, result.speakers_unchanged) == (
        0,
        0,
        1,
    )
    assert export_xml(Event.objects.get(slug="own-conf")) == first
