"""Tests of ``frab_import``: the real files end to end, and its edge cases on small files."""

import datetime
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conference.models import Event, Room, Track
from schedule.formats.frab.importer import FRAB_PARTS, TRACK_PALETTE, frab_import
from schedule.importing.errors import ImportFileError
from schedule.importing.results import ImportResult, Outcome
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker
from tests.factories import EventFactory, SpeakerFactory

DATA = Path(__file__).parents[2] / "data" / "frab"
HUB_38C3 = DATA / "38c3-hub.schedule.xml"
HUB_39C3 = DATA / "39c3-hub-20251206.schedule.xml"
FOSDEM_2026 = DATA / "fosdem-2026.schedule.xml"
DEBCONF_23 = DATA / "debconf23-wafer.schedule.xml"
UTC = datetime.UTC
GUID_1 = "0b9a3c1e-5d2f-4a6b-8c7d-9e0f1a2b3c4d"
GUID_2 = "1f0e2d3c-4b5a-4697-8887-766554433221"
PERSON_GUID = "6f1c1b0e-1111-4c3a-9d2e-0a1b2c3d4e5f"
ZONE_LINE = "    <time_zone_name>Europe/Berlin</time_zone_name>"


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def frab_event(
    *,
    guid=GUID_1,
    frab_id="42",
    title="A talk",
    date="2025-03-01T10:00:00+01:00",
    duration="00:30",
    room="Main Hall",
    persons='<person id="7">Grace Hopper</person>',
    body="",
):
    key = (f'guid="{guid}" ' if guid else "") + f'id="{frab_id}"'
    clock = date[11:16]
    return f"""      <event {key}>
        <date>{date}</date>
        <start>{clock}</start>
        <duration>{duration}</duration>
        <room>{room}</room>
        <title>{title}</title>
        <type>Talk</type>
        <persons>{persons}</persons>
        {body}
      </event>"""


def frab_file(tmp_path, *rooms, acronym="smallconf", zone=ZONE_LINE, extra="", name="small.xml"):
    """A frab file of one day; ``rooms`` are ``(room name, [event xml, ...])``."""
    room_rows = []
    for room_name, events in rooms:
        room_rows += [f'    <room name="{room_name}">', *events, "    </room>"]
    rows = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<schedule>",
        "  <version>1</version>",
        "  <conference>",
        f"    <acronym>{acronym}</acronym>",
        "    <title>Small Conf</title>",
        "    <start>2025-03-01</start>",
        "    <end>2025-03-02</end>",
        zone,
        "    <base_url>https://small.example.org/</base_url>",
        extra,
        "  </conference>",
        '  <day index="1" date="2025-03-01" start="2025-03-01T09:00:00+01:00" '
        'end="2025-03-02T04:00:00+01:00">',
        *room_rows,
        "  </day>",
        "</schedule>",
    ]
    path = tmp_path / name
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


def edited_copy(path, tmp_path, *edits):
    """A copy of ``path``; per ``(guid, old, new)``, ``old`` replaced once within that event."""
    text = path.read_text(encoding="utf-8")
    for guid, old, new in edits:
        start = text.index(f'guid="{guid}"')
        end = text.index("</event>", start)
        block = text[start:end]
        assert block.count(old) == 1, old
        text = text[:start] + block.replace(old, new) + text[end:]
    copy = tmp_path / path.name
    copy.write_text(text, encoding="utf-8")
    return copy


def line_of(path, snippet):
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if snippet in line)


def counts(result):
    return (
        result.event_outcome,
        (result.rooms_created, result.rooms_updated, result.rooms_unchanged),
        (result.tracks_created, result.tracks_updated, result.tracks_unchanged),
        (result.talks_created, result.talks_updated, result.talks_unchanged),
        (result.speakers_created, result.speakers_updated, result.speakers_unchanged),
    )


def database_snapshot():
    """Every row the importer may touch, with its timestamps."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Event, Room, Track, Talk, Speaker, TalkSpeaker)
    }


def file_facts(path):
    """What the file holds, counted here with ElementTree, independently of the importer."""
    root = ElementTree.parse(path).getroot()
    events = [event for day in root.findall("day") for event in day.iter("event")]
    rooms = {room.get("name") for day in root.findall("day") for room in day.findall("room")}
    persons = {
        ("guid", person.get("guid")) if person.get("guid") else ("id", person.get("id"))
        for event in events
        for person in event.findall("persons/person")
    }
    tracks = {
        " ".join((track.get("name") or track.text or "").split()).casefold()
        for track in [*root.findall("conference/track"), *root.findall("tracks/track")]
    } | {" ".join(event.findtext("track", "").split()).casefold() for event in events}
    return {
        "talks": len(events),
        "rooms": len(rooms),
        "speakers": len(persons),
        "tracks": len(tracks - {""}),
        "events": events,
    }


def expected_times(event):
    """``(start, end)`` in UTC from the event's own ``<date>`` offset and ``<duration>``."""
    start = datetime.datetime.fromisoformat(event.findtext("date")).astimezone(UTC)
    hours, minutes = event.findtext("duration").split(":")[:2]
    return start, start + datetime.timedelta(hours=int(hours), minutes=int(minutes))


SAMPLES = [
    # (file, talks, rooms, speakers, zone, first talk's start in UTC, its title)
    pytest.param(
        HUB_38C3,
        1007,
        72,
        571,
        "Europe/Berlin",
        utc(2024, 12, 27, 9, 30),
        "38C3: Opening Ceremony",
        id="38c3",
    ),
    pytest.param(
        HUB_39C3,
        215,
        14,
        263,
        "Europe/Berlin",
        utc(2025, 12, 27, 15, 0),
        "All my Deutschlandtickets gone: Fraud at an industrial scale",
        id="39c3",
    ),
    pytest.param(
        FOSDEM_2026,
        883,
        30,
        927,
        "Europe/Brussels",
        utc(2026, 1, 31, 8, 30),
        "Welcome to FOSDEM 2026",
        id="fosdem-2026",
    ),
    pytest.param(
        DEBCONF_23,
        117,
        5,
        87,
        "Asia/Kolkata",
        utc(2023, 9, 10, 5, 0),
        "Opening Ceremony",
        id="debconf23",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "talks", "rooms", "speakers", "zone", "first_start", "first_title"), SAMPLES
)
def test_frab_import_reads_a_real_file_and_a_second_run_changes_nothing(
    path, talks, rooms, speakers, zone, first_start, first_title
):
    facts = file_facts(path)

    result = frab_import(path=path, event_slug="real")

    event = Event.objects.get(slug="real")
    assert (facts["talks"], facts["rooms"], facts["speakers"]) == (talks, rooms, speakers)
    assert counts(result) == (
        Outcome.CREATED,
        (rooms, 0, 0),
        (facts["tracks"], 0, 0),
        (talks, 0, 0),
        (speakers, 0, 0),
    )
    assert (event.talks.count(), event.rooms.count(), event.tracks.count()) == (
        talks,
        rooms,
        facts["tracks"],
    )
    assert Speaker.objects.count() == speakers
    assert event.time_zone == zone
    events = facts["events"]
    for element in (events[0], events[len(events) // 2], events[-1]):
        talk = Talk.objects.get(event=event, uuid=element.get("guid"))
        assert (talk.start, talk.end) == expected_times(element)
        assert talk.room.name == element.findtext("room")
    first = Talk.objects.get(event=event, uuid=events[0].get("guid"))
    assert (first.title, first.start) == (first_title, first_start)

    before = database_snapshot()
    second = frab_import(path=path, event_slug="real")

    assert second.changed is False
    assert counts(second) == (
        Outcome.UNCHANGED,
        (0, 0, rooms),
        (0, 0, facts["tracks"]),
        (0, 0, talks),
        (0, 0, speakers),
    )
    assert database_snapshot() == before


@pytest.mark.django_db
def test_frab_import_updates_exactly_the_edited_talks(tmp_path):
    frab_import(path=HUB_39C3, event_slug="39c3")
    before = database_snapshot()
    renamed, moved = "a2dd3dc7-ecae-50b3-82d9-266ad02f7a40", "a19d5bca-7949-5353-abaf-1c43655f7c26"
    edited = edited_copy(
        HUB_39C3,
        tmp_path,
        (renamed, "<title>All my Deutschlandtickets gone", "<title>All my tickets gone"),
        (moved, "<date>2025-12-28T11:00:00+01:00", "<date>2025-12-28T18:00:00+01:00"),
        (moved, "<start>11:00</start>", "<start>18:00</start>"),
    )

    result = frab_import(path=edited, event_slug="39c3")

    assert counts(result) == (Outcome.UNCHANGED, (0, 0, 14), (0, 0, 7), (0, 2, 213), (0, 0, 263))
    after = database_snapshot()
    changed = {str(row["uuid"]): row for row in after["Talk"] if row not in before["Talk"]}
    assert sorted(changed) == sorted([renamed, moved])
    assert changed[renamed]["title"] == "All my tickets gone: Fraud at an industrial scale"
    assert (changed[moved]["start"], changed[moved]["end"]) == (
        utc(2025, 12, 28, 17, 0),
        utc(2025, 12, 28, 18, 0),
    )
    unchanged_before = [row for row in before["Talk"] if str(row["uuid"]) not in changed]
    assert [row for row in after["Talk"] if str(row["uuid"]) not in changed] == unchanged_before
    assert {key: rows for key, rows in after.items() if key != "Talk"} == {
        key: rows for key, rows in before.items() if key != "Talk"
    }


@pytest.mark.django_db
def test_frab_import_dry_run_counts_exactly_and_writes_nothing():
    result = frab_import(path=HUB_39C3, event_slug="39c3", dry_run=True)

    assert result.dry_run is True
    assert counts(result) == (Outcome.CREATED, (14, 0, 0), (7, 0, 0), (215, 0, 0), (263, 0, 0))
    assert database_snapshot() == {name: [] for name in database_snapshot()}


@pytest.mark.django_db
def test_frab_import_is_all_or_nothing(tmp_path):
    guid = "a2dd3dc7-ecae-50b3-82d9-266ad02f7a40"
    long_title = "T" * 301
    edited = edited_copy(
        HUB_39C3,
        tmp_path,
        (
            guid,
            "<title>All my Deutschlandtickets gone: Fraud at an industrial scale",
            f"<title>{long_title}",
        ),
    )

    with pytest.raises(ImportFileError) as caught:
        frab_import(path=edited, event_slug="39c3")

    assert caught.value.messages() == [
        f'{edited}:31: event 1254 "{long_title[:60]}…(301 characters)": title is 301 '
        "characters long; at most 300 fit"
    ]
    assert database_snapshot() == {name: [] for name in database_snapshot()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "billion-laughs.xml",
            '3: the file declares the XML entity "lol"; files with entity declarations are '
            'refused, since entities can expand without limit (a "billion laughs" file)',
        ),
        (
            "unknown-zone.schedule.xml",
            '9: unknown time zone "Europe/Atlantis" in <time_zone_name>: expected an IANA name '
            "such as Europe/Berlin",
        ),
        (
            "start-contradicts-date.schedule.xml",
            '14: event 7 "A start on neither clock": <date> 2025-03-01T10:00:00+00:00 is 11:00 '
            "in Europe/Berlin, but <start> says 09:30",
        ),
        ("not-well-formed.schedule.xml", "7: not well-formed XML at column 3: mismatched tag"),
    ],
)
def test_frab_import_refuses_a_bad_file_and_writes_nothing(name, message):
    path = DATA / name

    with pytest.raises(ImportFileError) as caught:
        frab_import(path=path, event_slug="bad")

    assert caught.value.messages() == [f"{path}:{message}"]
    assert database_snapshot() == {name: [] for name in database_snapshot()}


@pytest.mark.django_db
def test_frab_import_never_deletes(tmp_path):
    both = frab_file(
        tmp_path,
        ("Main Hall", [frab_event(), frab_event(guid=GUID_2, frab_id="43", title="Second")]),
        ("Side Room", []),
    )
    frab_import(path=both, event_slug="small")
    one = frab_file(tmp_path, ("Main Hall", [frab_event()]), name="one.xml")

    result = frab_import(path=one, event_slug="small")

    assert counts(result) == (Outcome.UNCHANGED, (0, 0, 1), (0, 0, 0), (0, 0, 1), (0, 0, 1))
    assert sorted(Talk.objects.values_list("title", flat=True)) == ["A talk", "Second"]
    assert sorted(Room.objects.values_list("name", flat=True)) == ["Main Hall", "Side Room"]


@pytest.mark.django_db
def test_frab_import_writes_the_talks_fields(tmp_path):
    body = """<subtitle>The sub</subtitle>
        <slug>smallconf-42-a-talk</slug>
        <url>/talk/42/</url>
        <language>de, en</language>
        <track>Security</track>
        <abstract>&lt;p&gt;Short &amp;amp; sweet.&lt;/p&gt;</abstract>
        <description>Longer.</description>
        <recording><license/><optout>true</optout></recording>"""
    path = frab_file(tmp_path, ("Main Hall", [frab_event(body=body)]))

    frab_import(path=path, event_slug="small")

    talk = Talk.objects.get()
    assert (talk.uuid, talk.external_id, talk.slug) == (
        uuid.UUID(GUID_1),
        "",
        "smallconf-42-a-talk",
    )
    assert (talk.title, talk.subtitle, talk.kind, talk.language) == (
        "A talk",
        "The sub",
        "talk",
        "de, en",
    )
    assert talk.abstract == "<p>Short &amp; sweet.</p>\n\nLonger."
    assert (talk.do_not_record, talk.is_published) == (True, True)
    assert talk.source_url == "https://small.example.org/talk/42/"
    assert (talk.room.name, talk.track.name) == ("Main Hall", "Security")
    assert (talk.start, talk.end) == (utc(2025, 3, 1, 9, 0), utc(2025, 3, 1, 9, 30))
    event = talk.event
    assert (event.name, event.start_date, event.end_date, event.time_zone) == (
        "Small Conf",
        datetime.date(2025, 3, 1),
        datetime.date(2025, 3, 2),
        "Europe/Berlin",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("type_name", "kind"),
    [
        ("Keynote", "keynote"),
        ("lightning_talk", "lightning"),
        ("Workshop (2h)", "workshop"),
        ("podium", "panel"),
        ("BREAK", "break"),
        ("DJ Set", "talk"),
    ],
)
def test_frab_import_maps_the_type_to_a_kind(tmp_path, type_name, kind):
    event = frab_event().replace("<type>Talk</type>", f"<type>{type_name}</type>")

    frab_import(path=frab_file(tmp_path, ("Main Hall", [event])), event_slug="small")

    assert Talk.objects.get().kind == kind


@pytest.mark.django_db
def test_frab_import_keys_speakers_on_guid_or_conference_and_id(tmp_path):
    persons = f'<person guid="{PERSON_GUID}">Ada</person><person id="7">Grace</person>'
    first = frab_file(tmp_path, ("Main Hall", [frab_event(persons=persons)]), acronym="conf-a")
    second = frab_file(
        tmp_path, ("Main Hall", [frab_event(persons=persons)]), acronym="conf-b", name="b.xml"
    )

    frab_import(path=first, event_slug="conf-a")
    result = frab_import(path=second, event_slug="conf-b")

    # The guid is the same person everywhere; ids are only unique within a conference.
    assert (result.speakers_created, result.speakers_unchanged) == (1, 1)
    assert sorted(Speaker.objects.values_list("external_id", "name")) == [
        ("conf-a:person:7", "Grace"),
        ("conf-b:person:7", "Grace"),
        (f"guid:{PERSON_GUID}", "Ada"),
    ]
    talk = Talk.objects.get(event__slug="conf-b")
    assert [link.speaker.external_id for link in talk.talk_speakers.all()] == [
        f"guid:{PERSON_GUID}",
        "conf-b:person:7",
    ]


@pytest.mark.django_db
def test_frab_import_never_matches_speakers_by_name(tmp_path):
    existing = SpeakerFactory(name="Grace Hopper")

    frab_import(path=frab_file(tmp_path, ("Main Hall", [frab_event()])), event_slug="small")

    speaker = Talk.objects.get().speakers.get()
    assert speaker != existing
    assert (speaker.name, speaker.external_id) == ("Grace Hopper", "smallconf:person:7")


def two_talks(tmp_path, first_persons, second_persons):
    """A frab file of two talks with these ``<person>`` elements."""
    events = [
        frab_event(persons=first_persons),
        frab_event(
            guid=GUID_2,
            frab_id="43",
            title="Second",
            date="2025-03-01T11:00:00+01:00",
            persons=second_persons,
        ),
    ]
    return frab_file(tmp_path, ("Main Hall", events))


def speakers_by_talk():
    return {
        talk.title: [link.speaker.name for link in talk.talk_speakers.all()]
        for talk in Talk.objects.order_by("start")
    }


@pytest.mark.django_db
def test_frab_import_tells_people_with_a_placeholder_id_apart_by_name(tmp_path):
    # A real file gave all of its 109 people id="0"; they became one speaker on 250 talks.
    path = two_talks(
        tmp_path,
        '<person id="0">Ada Lovelace</person><person id="0">Grace Hopper</person>',
        '<person id="0">Grace Hopper</person><person id="0">Alan Turing</person>',
    )

    first = frab_import(path=path, event_slug="small")
    second = frab_import(path=path, event_slug="small")

    assert sorted(Speaker.objects.values_list("name", "external_id")) == [
        ("Ada Lovelace", "smallconf:name:ada lovelace"),
        ("Alan Turing", "smallconf:name:alan turing"),
        ("Grace Hopper", "smallconf:name:grace hopper"),
    ]
    assert speakers_by_talk() == {
        "A talk": ["Ada Lovelace", "Grace Hopper"],
        "Second": ["Grace Hopper", "Alan Turing"],
    }
    assert first.speakers_created == 3
    assert counts(second)[3:] == ((0, 0, 2), (0, 0, 3))
    ada = line_of(path, "Ada Lovelace")
    assert first.warnings_to_print(detail=False) == [
        f'{path}:{ada}: 3 people have the placeholder id "0"; each is matched by name '
        "(-v 2 lists each)"
    ]
    assert first.warnings_to_print(detail=True) == [
        f'{path}:{ada}: person "Ada Lovelace" has the placeholder id "0"; matched by name',
        f'{path}:{ada}: person "Grace Hopper" has the placeholder id "0"; matched by name',
        f'{path}:{line_of(path, "Alan Turing")}: person "Alan Turing" has the placeholder id '
        '"0"; matched by name',
    ]


@pytest.mark.django_db
def test_frab_import_matches_people_without_ids_by_name_across_talks(tmp_path):
    path = two_talks(tmp_path, "<person>No Ids</person>", '<person id="">No  Ids</person>')

    first = frab_import(path=path, event_slug="small")
    second = frab_import(path=path, event_slug="small")

    assert first.speakers_created == 1
    assert counts(second)[3:] == ((0, 0, 2), (0, 0, 1))
    assert list(Speaker.objects.values_list("name", "external_id")) == [
        ("No Ids", "smallconf:name:no ids")
    ]
    assert speakers_by_talk() == {"A talk": ["No Ids"], "Second": ["No Ids"]}
    assert first.warnings == [
        f'{path}:{line_of(path, "<person>No Ids")}: person "No Ids" has neither id nor guid; '
        "matched by name"
    ]


@pytest.mark.django_db
def test_frab_import_never_merges_two_names_that_share_an_id(tmp_path):
    path = two_talks(
        tmp_path, '<person id="7">Ada Lovelace</person>', '<person id="7">Bob</person>'
    )

    result = frab_import(path=path, event_slug="small")

    assert speakers_by_talk() == {"A talk": ["Ada Lovelace"], "Second": ["Bob"]}
    assert sorted(Speaker.objects.values_list("external_id", flat=True)) == [
        "smallconf:name:ada lovelace",
        "smallconf:name:bob",
    ]
    ada, bob = line_of(path, "Ada Lovelace"), line_of(path, ">Bob<")
    assert result.warnings == [
        f'{path}:{bob}: person "Bob": id "7" is also given to "Ada Lovelace" (line {ada}); it '
        "is no key: told apart by guid or name"
    ]
    assert list(result.grouped_warnings) == [
        f'{path}:{ada}: person id "7" is given to 2 different names; it is no key: those '
        "people are told apart by guid or name (-v 2 lists each)"
    ]


@pytest.mark.django_db
def test_frab_import_keeps_one_speaker_for_one_id_and_name_across_talks(tmp_path):
    path = two_talks(
        tmp_path, '<person id="7">Grace Hopper</person>', '<person id="7">grace  HOPPER</person>'
    )

    result = frab_import(path=path, event_slug="small")

    assert (result.speakers_created, result.warnings) == (1, [])
    assert list(Speaker.objects.values_list("name", "external_id")) == [
        ("Grace Hopper", "smallconf:person:7")
    ]
    assert speakers_by_talk() == {"A talk": ["Grace Hopper"], "Second": ["Grace Hopper"]}


@pytest.mark.django_db
def test_frab_import_falls_back_from_a_shared_id_to_the_guid(tmp_path):
    other_guid = "2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b"
    path = two_talks(
        tmp_path,
        f'<person id="0" guid="{PERSON_GUID}">Ada</person>',
        f'<person id="0" guid="{other_guid}">Bob</person>',
    )

    result = frab_import(path=path, event_slug="small")

    assert (result.speakers_created, result.warnings) == (2, [])
    assert sorted(Speaker.objects.values_list("name", "external_id")) == [
        ("Ada", f"guid:{PERSON_GUID}"),
        ("Bob", f"guid:{other_guid}"),
    ]


@pytest.mark.django_db
def test_frab_import_reads_the_name_from_public_name(tmp_path):
    path = two_talks(
        tmp_path, '<person id="7" public_name="Ada Lovelace"/>', '<person id="8" name="Bob"/>'
    )

    frab_import(path=path, event_slug="small")

    assert speakers_by_talk() == {"A talk": ["Ada Lovelace"], "Second": ["Bob"]}


@pytest.mark.django_db
def test_frab_import_keys_talks_without_guid_on_their_id(tmp_path):
    path = frab_file(tmp_path, ("Main Hall", [frab_event(guid="", frab_id="9")]))
    frab_import(path=path, event_slug="small")
    renamed = frab_file(
        tmp_path, ("Main Hall", [frab_event(guid="", frab_id="9", title="Renamed")]), name="r.xml"
    )

    result = frab_import(path=renamed, event_slug="small")

    talk = Talk.objects.get()
    assert (result.talks_created, result.talks_updated) == (0, 1)
    assert (talk.external_id, talk.title) == ("9", "Renamed")


@pytest.mark.django_db
def test_frab_import_keeps_a_guid_taken_by_another_event_as_external_id(tmp_path):
    path = frab_file(tmp_path, ("Main Hall", [frab_event()]))
    frab_import(path=path, event_slug="first")

    created = frab_import(path=path, event_slug="second")
    again = frab_import(path=path, event_slug="second")

    first, second = Talk.objects.get(event__slug="first"), Talk.objects.get(event__slug="second")
    assert (first.uuid, first.external_id) == (uuid.UUID(GUID_1), "")
    assert second.uuid != first.uuid
    assert second.external_id == f"guid:{GUID_1}"
    assert (created.talks_created, again.talks_unchanged, again.changed) == (1, 1, False)


@pytest.mark.django_db
def test_frab_import_leaves_organisers_edits_alone(tmp_path):
    path = frab_file(tmp_path, ("Main Hall", [frab_event()]))
    frab_import(path=path, event_slug="small")
    Talk.objects.update(slug="my-slug", is_published=False)
    Event.objects.update(tagline="Our tagline", is_published=False)
    Speaker.objects.update(name="Grace B. Hopper", bio="Her own words.")

    result = frab_import(path=path, event_slug="small")

    assert result.changed is False
    talk = Talk.objects.select_related("event").get()
    assert (talk.slug, talk.is_published) == ("my-slug", False)
    assert (talk.event.tagline, talk.event.is_published) == ("Our tagline", False)
    assert list(Speaker.objects.values_list("name", "bio")) == [
        ("Grace B. Hopper", "Her own words.")
    ]


@pytest.mark.django_db
def test_frab_import_fills_only_a_blank_bio(tmp_path):
    # FOSDEM's export lists every person once, with a biography, after the conference.
    persons = (
        '  <persons><person id="7"><name>Grace Hopper</name>'
        "<biography>&lt;p&gt;Admiral.&lt;/p&gt;</biography></person></persons>"
    )
    path = frab_file(tmp_path, ("Main Hall", [frab_event()]))
    text = path.read_text(encoding="utf-8").replace("  <day ", f"{persons}\n  <day ", 1)
    path.write_text(text, encoding="utf-8")
    frab_import(path=path, event_slug="small")
    assert Speaker.objects.get().bio == "<p>Admiral.</p>"
    Speaker.objects.update(bio="")

    refilled = frab_import(path=path, event_slug="small")
    Speaker.objects.update(bio="Own bio.")
    kept = frab_import(path=path, event_slug="small")

    assert (refilled.speakers_updated, kept.speakers_unchanged) == (1, 1)
    assert Speaker.objects.get().bio == "Own bio."


@pytest.mark.django_db
def test_frab_import_gives_tracks_the_files_colours_or_the_palette(tmp_path):
    extra = '<track name="Security" color="#0347B4" slug="security"/>'
    events = [
        frab_event(body="<track>Security</track>"),
        frab_event(
            guid=GUID_2,
            frab_id="43",
            title="Other",
            body="<track>Art</track>",
            date="2025-03-01T11:00:00+01:00",
        ),
    ]
    path = frab_file(tmp_path, ("Main Hall", events), extra=extra)

    frab_import(path=path, event_slug="small")
    first_colours = list(Track.objects.order_by("position").values_list("colour", flat=True))
    Track.objects.filter(name="Art").update(colour="#123456")
    recoloured = path.read_text(encoding="utf-8").replace("#0347B4", "#00a356")
    path.write_text(recoloured, encoding="utf-8")
    result = frab_import(path=path, event_slug="small")

    assert list(Track.objects.order_by("position").values_list("name", "slug", "colour")) == [
        ("Security", "security", "#00a356"),
        ("Art", "art", "#123456"),
    ]
    assert first_colours == ["#0347b4", TRACK_PALETTE[1]]
    assert (result.tracks_updated, result.tracks_unchanged) == (1, 1)


@pytest.mark.django_db
def test_frab_import_orders_rooms_as_the_file_does(tmp_path):
    path = frab_file(tmp_path, ("Main Hall", [frab_event()]), ("Side Room", []))
    frab_import(path=path, event_slug="small")
    swapped = frab_file(tmp_path, ("Side Room", []), ("Main Hall", [frab_event()]), name="s.xml")

    result = frab_import(path=swapped, event_slug="small")

    assert list(Room.objects.order_by("position").values_list("name", "slug")) == [
        ("Side Room", "side-room"),
        ("Main Hall", "main-hall"),
    ]
    assert (result.rooms_updated, result.talks_unchanged) == (2, 1)


@pytest.mark.django_db
def test_frab_import_reports_clashes_as_warnings(tmp_path):
    events = [frab_event(), frab_event(guid=GUID_2, frab_id="43", title="Same time", persons="")]
    path = frab_file(tmp_path, ("Main Hall", events))

    result = frab_import(path=path, event_slug="small")

    second_line = line_of(path, 'id="43"')
    assert result.warnings == [
        f"{path}:{second_line}: clash: “Same time” is in Main Hall at the same time as “A talk” "
        "(Sat 01 Mar 10:00–10:30)."
    ]
    assert Talk.objects.count() == 2


@pytest.mark.django_db
def test_frab_import_keeps_the_events_zone_for_a_file_without_one(tmp_path):
    EventFactory(slug="small", time_zone="Europe/Paris")
    path = frab_file(tmp_path, ("Main Hall", [frab_event()]), zone="")

    result = frab_import(path=path, event_slug="small")

    assert (result.time_zone, result.warnings) == ("Europe/Paris", [])
    assert Event.objects.get().time_zone == "Europe/Paris"
    assert Talk.objects.get().start == utc(2025, 3, 1, 9, 0)


@pytest.mark.django_db
def test_frab_import_gives_a_new_event_the_fixed_offset_of_a_file_without_zone(tmp_path):
    path = frab_file(tmp_path, ("Main Hall", [frab_event()]), zone="")

    result = frab_import(path=path, event_slug="small")

    assert Event.objects.get().time_zone == "Etc/GMT-1"
    conference = line_of(path, "<conference>")
    assert result.warnings == [
        f"{path}:{conference}: no <time_zone_name>: using Etc/GMT-1, the "
        "offset of every <date>; set the event's zone to the venue's own for pages in summer "
        "and winter time",
        f"{path}:{conference}: Etc/GMT-1 is a fixed offset with no summer time; name the "
        "venue's zone, e.g. Europe/Berlin, with --timezone (a zone of a place keeps pages "
        "right in summer and winter)",
    ]


@pytest.mark.django_db
def test_frab_import_suggests_a_real_zone_for_a_named_fixed_offset(tmp_path):
    zone = "    <time_zone_name>Etc/GMT-2</time_zone_name>"
    path = frab_file(
        tmp_path, ("Main Hall", [frab_event(date="2025-03-01T11:00:00+02:00")]), zone=zone
    )

    result = frab_import(path=path, event_slug="small")

    assert result.warnings == [
        f"{path}:{line_of(path, 'Etc/GMT-2')}: Etc/GMT-2 is a fixed offset with no summer "
        "time; name the venue's zone, e.g. Europe/Helsinki, with --timezone (a zone of a "
        "place keeps pages right in summer and winter)"
    ]


@pytest.mark.django_db
def test_frab_import_updates_the_event_from_the_file(tmp_path):
    EventFactory(slug="small", name="Old name", time_zone="Europe/Madrid", tagline="Kept")
    path = frab_file(tmp_path, ("Main Hall", [frab_event()]))

    result = frab_import(path=path, event_slug="small")

    event = Event.objects.get()
    assert result.event_outcome == Outcome.UPDATED
    assert (event.name, event.time_zone, event.start_date, event.tagline) == (
        "Small Conf",
        "Europe/Berlin",
        datetime.date(2025, 3, 1),
        "Kept",
    )


def test_frab_import_summary_names_the_zone_and_every_count():
    result = ImportResult(
        event_slug="small",
        event_outcome=Outcome.CREATED,
        time_zone="Europe/Berlin",
        dry_run=False,
        parts=FRAB_PARTS,
    )
    result.talks_created = 2

    assert result.summary() == (
        "Event small (Europe/Berlin): created. Rooms: 0 created, 0 updated, 0 unchanged. "
        "Tracks: 0 created, 0 updated, 0 unchanged. Talks: 2 created, 0 updated, 0 unchanged. "
        "Speakers: 0 created, 0 updated, 0 unchanged."
    )
