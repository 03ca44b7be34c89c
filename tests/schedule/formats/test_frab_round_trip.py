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
    schedule_export_data,
)
from schedule.formats.frab.importer import frab_import
from schedule.importing.results import Outcome
from schedule.models import Talk
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
    return render_schedule_xml(schedule_export_data(event, base_url=BASE_URL))


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

    assert (result.talks_created, result.rooms_created, result.speakers_created) == (3, 2, 2)
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
    path.write_bytes(render_schedule_json(schedule_export_data(event, base_url=BASE_URL)))

    result = frab_import(path=path, event_slug="round-trip")

    assert (result.talks_created, result.rooms_created, result.speakers_created) == (3, 2, 2)
    second = export_xml(Event.objects.get(slug="round-trip"))
    assert without_identifiers(second) == without_identifiers(export_xml(event))
