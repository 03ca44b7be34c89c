"""Tests of the schedule.json reader: the same records as the XML, and errors with line and path."""

import dataclasses
import datetime
import json
import uuid

import pytest

from schedule.formats.frab.parser import parse_frab, parse_frab_json, parse_schedule
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import ImportLimits

GUID = "0b9a3c1e-5d2f-4a6b-8c7d-9e0f1a2b3c4d"
PERSON_GUID = "6f1c1b0e-1111-4c3a-9d2e-0a1b2c3d4e5f"


def talk(**changes):
    value = {
        "guid": GUID,
        "id": 42,
        "date": "2025-03-01T10:00:00+01:00",
        "start": "10:00",
        "duration": "00:30",
        "room": "Hall",
        "slug": "small-42-a-talk",
        "url": "https://small.example.org/talk/42/",
        "title": "A talk",
        "subtitle": "",
        "track": "Security",
        "type": "Workshop",
        "language": "de",
        "abstract": "Bring a laptop.",
        "description": None,
        "do_not_record": True,
        "persons": [
            {"guid": PERSON_GUID, "id": 7, "public_name": "Ada", "biography": "Counts."},
        ],
    }
    return value | changes


def document(*talks, conference=None):
    conference = {
        "acronym": "smallconf",
        "title": "Small Conf",
        "start": "2025-03-01",
        "end": "2025-03-01",
        "time_zone_name": "Europe/Berlin",
        "tracks": [{"name": "Security", "color": "#0347B4"}],
        "days": [
            {
                "index": 1,
                "date": "2025-03-01",
                "day_start": "2025-03-01T09:00:00+01:00",
                "day_end": "2025-03-02T04:00:00+01:00",
                "rooms": {"Hall": list(talks)},
            }
        ],
    } | (conference or {})
    return {
        "schedule": {
            "version": "1",
            "base_url": "https://small.example.org/",
            "conference": conference,
        }
    }


def as_bytes(value):
    return json.dumps(value, indent=2).encode()


def equivalent_xml():
    return b"""<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <conference>
    <acronym>smallconf</acronym>
    <title>Small Conf</title>
    <start>2025-03-01</start>
    <end>2025-03-01</end>
    <time_zone_name>Europe/Berlin</time_zone_name>
    <base_url>https://small.example.org/</base_url>
    <track name="Security" color="#0347B4">Security</track>
  </conference>
  <persons><person id="7"><biography>Counts.</biography></person></persons>
  <day index="1" date="2025-03-01" start="2025-03-01T09:00:00+01:00"
       end="2025-03-02T04:00:00+01:00">
    <room name="Hall">
      <event guid="0b9a3c1e-5d2f-4a6b-8c7d-9e0f1a2b3c4d" id="42">
        <date>2025-03-01T10:00:00+01:00</date>
        <start>10:00</start>
        <duration>00:30</duration>
        <room>Hall</room>
        <slug>small-42-a-talk</slug>
        <url>https://small.example.org/talk/42/</url>
        <recording><optout>true</optout></recording>
        <title>A talk</title>
        <subtitle></subtitle>
        <track>Security</track>
        <type>Workshop</type>
        <language>de</language>
        <abstract>Bring a laptop.</abstract>
        <persons><person guid="6f1c1b0e-1111-4c3a-9d2e-0a1b2c3d4e5f" id="7">Ada</person></persons>
      </event>
    </room>
  </day>
</schedule>"""


def errors_of(value, **kwargs):
    data = value if isinstance(value, bytes) else as_bytes(value)
    with pytest.raises(ImportFileError) as caught:
        parse_frab_json(data, source="schedule.json", **kwargs)
    return caught.value.messages()


def test_parse_frab_json_gives_the_records_the_xml_gives():
    from_json = parse_frab_json(as_bytes(document(talk())), source="schedule.json")
    from_xml = parse_frab(equivalent_xml(), source="schedule.xml")

    # The same records, but for the line of <conference>: the files differ in layout.
    assert dataclasses.replace(from_json, line=0) == dataclasses.replace(from_xml, line=0)
    (entry,) = from_json.talks
    assert (entry.title, entry.kind, entry.track, entry.do_not_record) == (
        "A talk",
        "workshop",
        "Security",
        True,
    )
    assert entry.date == datetime.datetime(
        2025, 3, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert [(p.name, p.guid, p.biography) for p in entry.persons] == [
        ("Ada", uuid.UUID(PERSON_GUID), "Counts.")
    ]


def test_parse_frab_json_notes_the_line_each_talk_starts_on():
    data = as_bytes(document(talk(), talk(guid=SECOND_GUID, id=43)))

    schedule = parse_frab_json(data, source="schedule.json")

    assert [entry.line for entry in schedule.talks] == talk_lines(data)
    assert len(talk_lines(data)) == 2


def test_parse_frab_json_takes_ids_as_text_and_null_as_empty():
    (entry,) = parse_frab_json(
        as_bytes(document(talk(guid=None, id="0042", track=None, subtitle=None))),
        source="schedule.json",
    ).talks

    assert (entry.guid, entry.frab_id, entry.track, entry.subtitle) == (None, "0042", "", "")


SECOND_GUID = "1f0e2d3c-4b5a-4697-8887-766554433221"
TALK_PATH = 'schedule.conference.days[0].rooms["Hall"][1]'


def talk_lines(data):
    """The lines the talks' objects open on (``json.dumps`` indents them by 14)."""
    lines = data.decode().splitlines()
    return [number for number, line in enumerate(lines, start=1) if line == " " * 14 + "{"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": None}, f'{TALK_PATH}: event 43: no "title"'),
        (
            {"duration": "half an hour"},
            f'{TALK_PATH}.duration: event 43 "A talk": duration "half an hour": expected HH:MM '
            "or HH:MM:SS",
        ),
        ({"date": ["2025"]}, f"{TALK_PATH}.date: expected text, not list"),
        (
            {"do_not_record": "maybe"},
            f'{TALK_PATH}.do_not_record: event 43 "A talk": expected true or false',
        ),
        (
            {"guid": GUID},
            f'{TALK_PATH}: event 43 "A talk": guid {GUID} is already used by event 42 "A talk" '
            'at schedule.conference.days[0].rooms["Hall"][0]',
        ),
    ],
)
def test_parse_frab_json_names_the_line_and_the_path_of_a_problem(changes, message):
    data = as_bytes(document(talk(), talk(guid=SECOND_GUID, id=43) | changes))

    assert errors_of(data) == [f"schedule.json:{talk_lines(data)[1]}: {message}"]


def test_parse_frab_json_reports_a_syntax_error_with_its_line_and_column():
    data = b'{\n  "schedule": {\n    "conference": {,}\n  }\n}'

    assert errors_of(data) == [
        "schedule.json:3: not valid JSON at column 20: Expecting property name enclosed in "
        "double quotes"
    ]


def test_parse_frab_json_refuses_a_document_that_is_no_schedule():
    assert errors_of({"version": 1}) == ['schedule.json:1: schedule: expected an object "schedule"']
    assert errors_of([1, 2]) == [
        "schedule.json:1: expected a schedule.json: the document is not an object"
    ]


def test_parse_frab_json_stops_at_the_first_talk_too_many():
    data = as_bytes(document(talk(), talk(guid="1f0e2d3c-4b5a-4697-8887-766554433221", id=43)))

    (message,) = errors_of(data, limits=ImportLimits(max_talks=1))

    assert "the file has more than 1 talks" in message


def test_parse_frab_json_refuses_a_document_nested_too_deeply():
    data = b"[" * 100_000 + b"]" * 100_000

    assert errors_of(data) == ["schedule.json: the JSON is nested too deeply to be a schedule"]


@pytest.mark.parametrize(
    ("data", "source", "expected"),
    [
        (b'  \n{"schedule": {}}', "export", "json"),
        (b"\xef\xbb\xbf{}", "x.xml", "json"),
        (b"<?xml version='1.0'?><schedule/>", "x.json", "xml"),
        (b"", "schedule.JSON", "json"),
        (b"", "schedule.xml", "xml"),
    ],
)
def test_parse_schedule_tells_the_format_by_content_then_by_name(data, source, expected):
    with pytest.raises(ImportFileError) as caught:
        parse_schedule(data, source=source)

    said = " ".join(caught.value.messages())
    assert ("JSON" in said or '"schedule"' in said or "object" in said) == (expected == "json")


def test_parse_frab_json_refuses_the_hubs_schedule2_rather_than_read_no_talks():
    value = document()
    value["schedule"]["events"] = [talk()]

    assert errors_of(value) == [
        "schedule.json:2: schedule.events: talks listed apart from the days (the hub's schedule2 "
        "format) are not read; use the site's schedule.json (v1) or schedule.xml"
    ]
