"""Tests of the frab schedule XML parser: values, quirks of real files, errors, zones and times."""

import datetime
import uuid
import xml.etree.ElementTree as ElementTree
import zoneinfo
from pathlib import Path

import pytest

from schedule.formats.frab.parser import (
    event_dates,
    foreign_offset_warnings,
    parse_frab,
    schedule_zone,
    talk_times,
)
from schedule.formats.frab.parser.times import fixed_offset_zone
from schedule.formats.frab.parser.values import (
    TALK_GUID_NAMESPACE,
    block_text,
    joined_text,
    parse_clock,
    parse_duration,
    talk_kind,
)
from schedule.importing.errors import ImportFileError

DATA = Path(__file__).parents[2] / "data" / "frab"
HUB_39C3 = DATA / "39c3-hub-20251206.schedule.xml"
FOSDEM_2026 = DATA / "fosdem-2026.schedule.xml"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = datetime.UTC
GUID = "0b9a3c1e-5d2f-4a6b-8c7d-9e0f1a2b3c4d"
CONFERENCE = """  <conference>
    <acronym>smallconf</acronym>
    <title>Small Conf</title>
    <start>2025-03-01</start>
    <end>2025-03-02</end>
    <time_zone_name>Europe/Berlin</time_zone_name>
  </conference>"""
DAY = (
    '<day index="1" date="2025-03-01" start="2025-03-01T09:00:00+01:00" '
    'end="2025-03-02T04:00:00+01:00">'
)


def event_xml(body="", *, attributes=f'guid="{GUID}" id="42"', title="A talk", times=None):
    """One ``<event>``; ``times`` replaces the date, start and duration elements."""
    if times is None:
        times = (
            "<date>2025-03-01T10:00:00+01:00</date>\n"
            "        <start>10:00</start>\n"
            "        <duration>00:30</duration>"
        )
    title_element = f"<title>{title}</title>" if title is not None else ""
    return f"""      <event {attributes}>
        {times}
        <room>Main Hall</room>
        {title_element}
        {body}
      </event>"""


def schedule_xml(*events, conference=CONFERENCE, day=DAY, extra=""):
    rows = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<schedule>",
        "  <version>1</version>",
        conference,
        extra,
        f"  {day}",
        '    <room name="Main Hall">',
        *events,
        "    </room>",
        "  </day>",
        "</schedule>",
    ]
    return "\n".join(rows)


def parse(text, source="small.xml"):
    return parse_frab(text.encode(), source=source)


def only_talk(text):
    (talk,) = parse(text).talks
    return talk


def line_of(text, snippet, *, after=""):
    """The line number of the first line holding ``snippet`` (after the one holding ``after``)."""
    lines = text.splitlines()
    start = next(number for number, line in enumerate(lines) if after in line) if after else 0
    return (
        next(number for number, line in enumerate(lines) if number >= start and snippet in line) + 1
    )


def messages(text, source="small.xml"):
    with pytest.raises(ImportFileError) as caught:
        parse(text, source)
    return caught.value.messages()


def times_of(text, zone=BERLIN, **kwargs):
    schedule = parse(text)
    times, warnings = talk_times(schedule, zone, **kwargs)
    return times, warnings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00:30", datetime.timedelta(minutes=30)),
        ("0:30", datetime.timedelta(minutes=30)),
        ("01:05", datetime.timedelta(hours=1, minutes=5)),
        ("00:45:00", datetime.timedelta(minutes=45)),
        ("01:30:30", datetime.timedelta(hours=1, minutes=30, seconds=30)),
        ("12:00", datetime.timedelta(hours=12)),
        ("25:00", datetime.timedelta(hours=25)),
        (" 00:20 \n", datetime.timedelta(minutes=20)),
    ],
)
def test_parse_duration_reads_two_and_three_part_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["30", "00:60", "1:5", "00:30:60", "half an hour", "", "PT30M"])
def test_parse_duration_refuses_what_is_no_duration(text):
    with pytest.raises(ValueError, match="expected HH:MM or HH:MM:SS"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:30", datetime.time(10, 30)),
        ("9:05", datetime.time(9, 5)),
        ("23:59:59", datetime.time(23, 59, 59)),
        ("00:00", datetime.time(0)),
    ],
)
def test_parse_clock_reads_hh_mm_and_hh_mm_ss(text, expected):
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["24:00", "10:60", "10h30", ""])
def test_parse_clock_refuses_what_is_no_time(text):
    with pytest.raises(ValueError, match="expected HH:MM or HH:MM:SS"):
        parse_clock(text)


@pytest.mark.parametrize(
    ("type_name", "kind"),
    [
        ("Talk", "talk"),
        ("lecture", "talk"),
        ("", "talk"),
        ("DJ Set", "talk"),
        ("Long talk (45 minutes)", "talk"),
        ("Keynote", "keynote"),
        ("KEYNOTES", "keynote"),
        ("lightning_talk", "lightning"),
        ("Lightning Talks", "lightning"),
        ("workshop", "workshop"),
        ("Workshop (2h)", "workshop"),
        ("Bits & Bäume - Workshop", "workshop"),
        ("Workshop Bühne (90 Minuten)", "workshop"),
        ("podium", "panel"),
        ("Panel discussion", "panel"),
        ("Break", "break"),
        ("Mittagspause", "talk"),
        ("pause", "break"),
    ],
)
def test_talk_kind_maps_frab_types_case_insensitively(type_name, kind):
    assert talk_kind(type_name) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One line.", "One line."),
        ("  \n   Padded.\n  ", "Padded."),
        (
            "First.\n\n                    Second, indented by the XML.\n"
            "                    - a list item",
            "First.\n\nSecond, indented by the XML.\n- a list item",
        ),
        ("A\n\n\n\nB", "A\n\nB"),
        ("A  \r\nB\rC", "A\nB\nC"),
        ("<p>HTML &amp; more</p>", "<p>HTML &amp; more</p>"),
        ("", ""),
    ],
)
def test_block_text_removes_the_xml_indentation(text, expected):
    assert block_text(text) == expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("Abstract.", "Description.", "Abstract.\n\nDescription."),
        ("Same.", "Same.", "Same."),
        ("Abstract.", "", "Abstract."),
        ("", "Description.", "Description."),
        ("", "", ""),
    ],
)
def test_joined_text_keeps_both_when_different(first, second, expected):
    assert joined_text(first, second) == expected


@pytest.mark.parametrize(
    ("offset", "key"),
    [
        (datetime.timedelta(hours=1), "Etc/GMT-1"),
        (datetime.timedelta(hours=-5), "Etc/GMT+5"),
        (datetime.timedelta(0), "UTC"),
        (datetime.timedelta(hours=14), "Etc/GMT-14"),
        (datetime.timedelta(hours=-12), "Etc/GMT+12"),
    ],
)
def test_fixed_offset_zone_names_the_etc_zone(offset, key):
    assert fixed_offset_zone(offset).key == key


@pytest.mark.parametrize(
    "offset",
    [datetime.timedelta(hours=5, minutes=30), datetime.timedelta(hours=15)],
)
def test_fixed_offset_zone_is_none_without_a_whole_hour_zone(offset):
    assert fixed_offset_zone(offset) is None


def test_parse_frab_reads_a_talk():
    body = """<subtitle>The sub</subtitle>
        <slug>smallconf-42-a-talk</slug>
        <url>https://example.org/talk/42</url>
        <language>de</language>
        <track>Security</track>
        <type>Workshop</type>
        <abstract>Short.</abstract>
        <description>Long.</description>
        <recording><license>CC BY 4.0</license><optout>true</optout></recording>
        <persons>
          <person guid="6f1c1b0e-1111-4c3a-9d2e-0a1b2c3d4e5f">Ada Lovelace</person>
          <person id="7">Grace Hopper</person>
        </persons>"""
    text = schedule_xml(event_xml(body))

    talk = only_talk(text)

    assert (talk.guid, talk.frab_id, talk.title, talk.subtitle) == (
        uuid.UUID(GUID),
        "42",
        "A talk",
        "The sub",
    )
    assert (talk.kind, talk.type_name, talk.language, talk.track) == (
        "workshop",
        "Workshop",
        "de",
        "Security",
    )
    assert talk.abstract == "Short.\n\nLong."
    assert talk.do_not_record is True
    assert (talk.room, talk.slug, talk.source_url) == (
        "Main Hall",
        "smallconf-42-a-talk",
        "https://example.org/talk/42",
    )
    assert talk.date == datetime.datetime(
        2025, 3, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert (talk.clock, talk.duration) == (datetime.time(10, 0), datetime.timedelta(minutes=30))
    assert [(p.name, p.guid, p.person_id) for p in talk.persons] == [
        ("Ada Lovelace", uuid.UUID("6f1c1b0e-1111-4c3a-9d2e-0a1b2c3d4e5f"), ""),
        ("Grace Hopper", None, "7"),
    ]
    assert talk.line == line_of(text, "<event ")
    assert talk.field_lines["title"] == line_of(text, "<title>", after="<event ")
    assert talk.field_lines["end"] == line_of(text, "<duration>")


@pytest.mark.parametrize(
    ("attributes", "guid", "frab_id"),
    [
        ('id="9"', None, "9"),
        ('guid="" id="9"', None, "9"),
        (f'guid="{GUID.upper()}"', uuid.UUID(GUID), ""),
        (f'guid="{{{GUID}}}" id="9"', uuid.UUID(GUID), "9"),
    ],
)
def test_parse_frab_reads_keys_with_or_without_guid(attributes, guid, frab_id):
    talk = only_talk(schedule_xml(event_xml(attributes=attributes)))

    assert (talk.guid, talk.frab_id) == (guid, frab_id)


def test_parse_frab_fills_in_missing_optional_elements():
    talk = only_talk(schedule_xml(event_xml()))

    assert (talk.subtitle, talk.abstract, talk.language, talk.track, talk.slug) == ("",) * 5
    assert (talk.kind, talk.type_name, talk.source_url) == ("talk", "", "")
    assert (talk.do_not_record, talk.persons) == (False, ())


@pytest.mark.parametrize(
    ("body", "title", "kind"),
    [
        # 39C3's hub: links and attachments with <title> and <type> children.
        (
            """<type>Talk</type>
        <links>
          <link href="https://example.org/app">
            <type>related</type><title>Junk link title</title>
          </link>
        </links>
        <attachments>
          <attachment href="/media/slides.pdf">
            <type>keynote</type><title>Slides</title>
          </attachment>
        </attachments>""",
            "The real title",
            "talk",
        ),
        # The title coming after the links must still be the event's own.
        (
            """<links><link href="https://example.org"><title>Workshop link</title></link></links>
        <type>workshop</type>""",
            "The real title",
            "workshop",
        ),
    ],
)
def test_parse_frab_takes_no_title_or_type_from_links(body, title, kind):
    text = schedule_xml(event_xml(body, title=title))

    talk = only_talk(text)

    assert (talk.title, talk.kind) == (title, kind)


@pytest.mark.parametrize(
    ("persons", "expected"),
    [
        ('<person id="7">Grace Hopper</person>', [("Grace Hopper", None, "7")]),
        ("<person>No Ids</person>", [("No Ids", None, "")]),
        ("<person> Spaced \n  Name </person>", [("Spaced Name", None, "")]),
        ('<person guid="">Empty Guid</person>', [("Empty Guid", None, "")]),
        (
            '<person id="7">Grace Hopper</person><person id="7">Grace Hopper</person>',
            [("Grace Hopper", None, "7")],
        ),
    ],
)
def test_parse_frab_reads_persons_with_and_without_ids(persons, expected):
    talk = only_talk(schedule_xml(event_xml(f"<persons>{persons}</persons>")))

    assert [(p.name, p.guid, p.person_id) for p in talk.persons] == expected


def test_parse_frab_warns_of_a_person_listed_twice():
    text = schedule_xml(
        event_xml(
            '<persons>\n<person id="7">Grace</person>\n<person id="7">Grace</person>\n</persons>'
        )
    )

    schedule = parse(text)

    first = line_of(text, '<person id="7">')
    assert schedule.warnings == (
        (
            first + 1,
            f'event 42 "A talk": person "Grace" is listed twice (first on line {first}); kept once',
        ),
    )


@pytest.mark.parametrize(
    ("abstract", "description", "expected"),
    [
        ("&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;", "", "<p>Hello &amp; welcome</p>"),
        ("Intro <b>bold</b> and <a href='x'>a link</a>.", "", "Intro bold and a link."),
        ("<![CDATA[<p>Raw</p>]]>", "", "<p>Raw</p>"),
        ("Same text", "Same text", "Same text"),
        ("", "&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;/ul&gt;", "<ul><li>one</li></ul>"),
    ],
)
def test_parse_frab_keeps_html_in_abstracts_as_text(abstract, description, expected):
    body = f"<abstract>{abstract}</abstract>\n<description>{description}</description>"

    talk = only_talk(schedule_xml(event_xml(body)))

    assert talk.abstract == expected


def test_parse_frab_reads_the_conference():
    conference = """  <conference>
    <acronym>fosdem-2026</acronym>
    <title>FOSDEM 2026</title>
    <venue>ULB</venue>
    <city>Brussels</city>
    <start>2026-01-31</start>
    <end>2026-02-01T18:00:00+01:00</end>
    <days>2</days>
    <day_change>09:00:00</day_change>
    <url>https://fosdem.org/2026/</url>
    <time_zone_name>Europe/Brussels</time_zone_name>
    <track color="#F9B000" name="Art &amp; Beauty" slug="art"/>
  </conference>"""
    extra = '<tracks><track slug="go">Go</track><track>Art &amp; beauty</track></tracks>'

    schedule = parse(schedule_xml(conference=conference, extra=extra))

    assert (schedule.title, schedule.acronym, schedule.location) == (
        "FOSDEM 2026",
        "fosdem-2026",
        "ULB, Brussels",
    )
    assert (schedule.start, schedule.days_count, schedule.day_change) == (
        datetime.date(2026, 1, 31),
        2,
        datetime.time(9),
    )
    assert schedule.end == datetime.datetime(2026, 2, 1, 17, tzinfo=UTC)
    assert (schedule.time_zone.key, schedule.website) == (
        "Europe/Brussels",
        "https://fosdem.org/2026/",
    )
    assert [(t.name, t.slug, t.colour) for t in schedule.tracks] == [
        ("Art & Beauty", "art", "#f9b000"),
        ("Go", "go", ""),
    ]
    assert [(room.name, room.slug) for room in schedule.rooms] == [("Main Hall", "")]


def test_parse_frab_keeps_rooms_in_the_order_they_first_appear():
    day = DAY.replace('index="1"', 'index="2"')
    text = "\n".join(
        [
            '<?xml version="1.0"?>',
            "<schedule>",
            CONFERENCE,
            DAY,
            '<room name="B"/><room name="A" slug="a-room"/>',
            "</day>",
            day,
            '<room name="C"/><room name="a"/><room name="B"/>',
            "</day>",
            "</schedule>",
        ]
    )

    schedule = parse(text)

    assert [(room.name, room.slug) for room in schedule.rooms] == [
        ("B", ""),
        ("A", "a-room"),
        ("C", ""),
    ]


@pytest.mark.parametrize(
    ("event", "snippet", "message"),
    [
        (
            event_xml(times="<date>2025-03-01T10:00:00+01:00</date><start>10:00</start>"),
            "<event ",
            'event 42 "A talk": no <duration>',
        ),
        (
            event_xml(times="<duration>00:30</duration>"),
            "<event ",
            'event 42 "A talk": no <date> and no <start>: the talk has no time',
        ),
        (
            event_xml(times="<date>2025-03-01T10:00:00+01:00</date><duration>00:00</duration>"),
            "<date>",
            'event 42 "A talk": the duration is zero',
        ),
        (
            event_xml(times="<date>2025-03-01T10:00:00+01:00</date><duration>90</duration>"),
            "<date>",
            'event 42 "A talk": duration "90": expected HH:MM or HH:MM:SS',
        ),
        (
            event_xml(times="<date>2025-03-01</date><duration>00:30</duration>"),
            "<date>",
            'event 42 "A talk": <date>: "2025-03-01" is not a date and time: expected one '
            "such as 2024-12-27T10:30:00+01:00",
        ),
        (
            event_xml(times="<date>9999-12-31T23:00:00-05:00</date><duration>01:00</duration>"),
            "<date>",
            'event 42 "A talk": <date>: "9999-12-31T23:00:00-05:00" is out of range: expected a '
            "year from 1900 to 2999",
        ),
        (
            event_xml(times="<start>10h</start><duration>00:30</duration>"),
            "<start>",
            'event 42 "A talk": <start>: "10h" is not a time: expected HH:MM or HH:MM:SS',
        ),
        (
            event_xml(attributes=""),
            "<event ",
            'event "A talk": without guid or id it cannot be matched again',
        ),
        (event_xml(title=None), "<event ", "event 42: no <title>"),
        (event_xml(title="  "), "<title>", "event 42: no <title>"),
        (
            event_xml("<recording><optout>maybe</optout></recording>"),
            "<optout>",
            'event 42 "A talk": <optout> "maybe": expected true or false',
        ),
        (
            event_xml('<persons><person guid="x1">Ada</person></persons>'),
            "<person ",
            'event 42 "A talk": person "Ada": guid "x1" is not a UUID',
        ),
        (
            event_xml('<persons><person id="3"> </person></persons>'),
            "<person ",
            'event 42 "A talk": a <person> without a name',
        ),
    ],
)
def test_parse_frab_reports_a_bad_talk_with_its_line(event, snippet, message):
    text = schedule_xml(event)

    assert messages(text) == [f"small.xml:{line_of(text, snippet, after='<event ')}: {message}"]


def test_parse_frab_reports_every_problem_of_the_broken_file():
    path = DATA / "broken.schedule.xml"

    with pytest.raises(ImportFileError) as caught:
        parse_frab(path.read_bytes(), source=str(path))

    assert caught.value.messages() == [
        f'{path}:16: event 1 "Duration in words": duration "half an hour": expected HH:MM or '
        "HH:MM:SS",
        f'{path}:25: event 2 "Zero duration": the duration is zero',
        f"{path}:35: event 3: no <title>",
        f'{path}:38: event 4 "Second use of a guid": guid 11111111-1111-4111-8111-111111111111 '
        'is already used by event 1 "Duration in words" on line 13',
        f'{path}:47: event 5 "Date in words": <date>: "the first of March" is not a date and '
        "time: expected one such as 2024-12-27T10:30:00+01:00",
    ]


# Older frab wrote talk guids as 22 characters of base64 rather than as UUIDs.
OLD_FRAB_GUID = "fO9u2GJ5QmWk7qvZ3xYbAA"


def test_parse_frab_takes_a_guid_that_is_no_uuid_as_a_stable_key():
    text = schedule_xml(event_xml(attributes=f'guid="{OLD_FRAB_GUID}"'))

    first, second = only_talk(text), only_talk(text)

    assert first.guid == second.guid == uuid.uuid5(TALK_GUID_NAMESPACE, OLD_FRAB_GUID)
    assert first.label == f'event {OLD_FRAB_GUID} "A talk"'


def test_parse_frab_derives_different_uuids_from_guids_that_differ_only_in_case():
    # base64 is case-sensitive: "AA" and "aa" are two talks.
    text = schedule_xml(
        event_xml(attributes=f'guid="{OLD_FRAB_GUID}"', title="First"),
        event_xml(attributes=f'guid="{OLD_FRAB_GUID.lower()}"', title="Second"),
    )

    first, second = parse(text).talks

    assert first.guid != second.guid


def test_parse_frab_names_a_guid_that_is_no_uuid_as_the_file_spells_it_when_used_twice():
    text = schedule_xml(
        event_xml(attributes=f'guid="{OLD_FRAB_GUID}" id="1"', title="First"),
        event_xml(attributes=f'guid="{OLD_FRAB_GUID}" id="2"', title="Second"),
    )

    assert messages(text) == [
        f'small.xml:{line_of(text, "<event ", after="First")}: event 2 "Second": guid '
        f'{OLD_FRAB_GUID} is already used by event 1 "First" on line '
        f"{line_of(text, '<event ')}"
    ]


def test_parse_frab_refuses_an_id_used_twice_by_talks_without_guid():
    text = schedule_xml(
        event_xml(attributes='id="5"', title="First"),
        event_xml(attributes='id="5"', title="Second"),
    )

    assert messages(text) == [
        f'small.xml:{line_of(text, "<event ", after="First")}: event 5 "Second": id 5 is already '
        f'used by event 5 "First" on line {line_of(text, "<event ")}'
    ]


def test_parse_frab_allows_one_id_for_talks_with_guids():
    """pretalx repeats a submission's id for each of its slots; the guids differ."""
    other = "1f0e2d3c-4b5a-4697-8887-766554433221"
    text = schedule_xml(
        event_xml(attributes=f'guid="{GUID}" id="5"'),
        event_xml(attributes=f'guid="{other}" id="5"'),
    )

    assert [talk.guid for talk in parse(text).talks] == [uuid.UUID(GUID), uuid.UUID(other)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "1: not well-formed XML at column 1: no element found"),
        (
            "<schedule><conference></schedule>",
            "1: not well-formed XML at column 25: mismatched tag",
        ),
        (
            '<?xml version="1.0"?>\n<agenda/>',
            "2: expected a frab schedule: the root element is <agenda>",
        ),
        (
            "<schedule>\n<day/>\n</schedule>",
            "1: no <conference> element: the file names no conference",
        ),
        (
            "<schedule>\n<conference/>\n</schedule>",
            "2: the conference has neither <title> nor <acronym>",
        ),
        (
            "<schedule>\n<conference><title>T</title>\n<time_zone_name>CEST</time_zone_name>"
            "</conference>\n</schedule>",
            '3: unknown time zone "CEST" in <time_zone_name>: expected an IANA name such as '
            "Europe/Berlin",
        ),
        (
            '<schedule>\n<conference><title>T</title></conference>\n<day index="1" '
            'date="1 March"/>\n</schedule>',
            '3: <day index="1"> date: "1 March" is not a date: expected one such as 2024-12-27',
        ),
        (
            '<schedule>\n<conference><title>T</title></conference>\n<day>\n<room name=" ">'
            "</room></day>\n</schedule>",
            '4: <room> without a name: expected <room name="…">',
        ),
    ],
)
def test_parse_frab_reports_a_bad_file_with_its_line(text, message):
    assert messages(text) == [f"small.xml:{message}"]


def test_parse_frab_refuses_the_billion_laughs():
    path = DATA / "billion-laughs.xml"

    with pytest.raises(ImportFileError) as caught:
        parse_frab(path.read_bytes(), source=str(path))

    assert caught.value.messages() == [
        f'{path}:3: the file declares the XML entity "lol"; files with entity declarations are '
        'refused, since entities can expand without limit (a "billion laughs" file)'
    ]


def test_parse_frab_refuses_an_external_entity(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    text = (
        f'<?xml version="1.0"?>\n<!DOCTYPE schedule [\n<!ENTITY leak SYSTEM "file://{secret}">\n]>\n'
        "<schedule><conference><title>&leak;</title></conference></schedule>"
    )

    assert messages(text) == [
        'small.xml:3: the file declares the XML entity "leak"; files with entity declarations '
        'are refused, since entities can expand without limit (a "billion laughs" file)'
    ]


def test_parse_frab_reads_a_doctype_without_entities():
    text = schedule_xml(event_xml()).replace("<schedule>", "<!DOCTYPE schedule>\n<schedule>", 1)

    assert only_talk(text).title == "A talk"


def test_parse_frab_reads_the_39c3_links_without_taking_their_titles():
    root = ElementTree.parse(HUB_39C3).getroot()
    link_titles = {element.text for element in root.iter("title") if element.text} - {
        event.findtext("title") for event in root.iter("event")
    }

    schedule = parse_frab(HUB_39C3.read_bytes(), source=str(HUB_39C3))

    by_guid = {str(talk.guid): talk for talk in schedule.talks}
    zuegli = by_guid["a2dd3dc7-ecae-50b3-82d9-266ad02f7a40"]
    assert (zuegli.title, zuegli.kind, zuegli.line) == (
        "All my Deutschlandtickets gone: Fraud at an industrial scale",
        "talk",
        24,
    )
    assert "Zügli" in link_titles
    assert not {talk.title for talk in schedule.talks} & link_titles
    # The event's own titles, whitespace runs made one space.
    assert [talk.title for talk in schedule.talks] == [
        " ".join(event.findtext("title").split()) for event in root.iter("event")
    ]


def test_parse_frab_reads_fosdem_biographies_and_html_abstracts():
    schedule = parse_frab(FOSDEM_2026.read_bytes(), source=str(FOSDEM_2026))

    welcome = schedule.talks[0]
    assert (welcome.title, welcome.abstract, welcome.kind) == (
        "Welcome to FOSDEM 2026",
        "<p>FOSDEM welcome and opening talk.</p>",
        "talk",
    )
    biographies = {p.person_id: p.biography for talk in schedule.talks for p in talk.persons}
    assert biographies["2"] == ""
    assert biographies["1328"] == ""
    assert sum(1 for biography in biographies.values() if biography) == 927 - 228


def test_talk_times_use_the_dates_offset():
    """wafer writes <date> in UTC and <start> on the venue's clock: the same instant."""
    conference = CONFERENCE.replace("Europe/Berlin", "Asia/Kolkata")
    times = "<date>2023-09-10T05:00:00+00:00</date><start>10:30</start><duration>00:20</duration>"
    day = (
        '<day index="1" date="2023-09-09" start="2023-09-09T21:30:00+00:00" '
        'end="2023-09-10T21:29:59+00:00">'
    )
    schedule = parse(schedule_xml(event_xml(times=times), conference=conference, day=day))

    ((start, end),) = talk_times(schedule, schedule.time_zone)[0]

    assert (start, end) == (
        datetime.datetime(2023, 9, 10, 5, 0, tzinfo=UTC),
        datetime.datetime(2023, 9, 10, 5, 20, tzinfo=UTC),
    )
    assert start.tzinfo.key == "Asia/Kolkata"
    # The UTC <date> only spells the instant differently: nothing to warn of.
    assert foreign_offset_warnings(schedule, schedule.time_zone) == []


@pytest.mark.parametrize(
    ("times", "start"),
    [
        # No <date>: the day's date and the clock...
        ("<start>10:00</start><duration>00:30</duration>", (2025, 3, 1, 9, 0)),
        # ...a day later after midnight: the talk belongs to the day it is listed in.
        ("<start>01:00</start><duration>00:30</duration>", (2025, 3, 2, 0, 0)),
        # A date without offset is the venue's clock.
        ("<date>2025-03-01T23:30:00</date><duration>01:00</duration>", (2025, 3, 1, 22, 30)),
        # A talk across midnight keeps its own date.
        (
            "<date>2025-03-01T23:30:00+01:00</date><start>23:30</start><duration>01:00</duration>",
            (2025, 3, 1, 22, 30),
        ),
    ],
)
def test_talk_times_place_talks_on_their_day(times, start):
    ((talk_start, _),), warnings = times_of(schedule_xml(event_xml(times=times)))

    assert talk_start == datetime.datetime(*start, tzinfo=UTC)
    assert warnings == []


def test_talk_times_use_day_change_without_day_start():
    conference = CONFERENCE.replace("</acronym>", "</acronym><day_change>06:00</day_change>")
    times = "<start>05:30</start><duration>00:30</duration>"
    text = schedule_xml(
        event_xml(times=times), conference=conference, day='<day index="1" date="2025-03-01">'
    )

    ((start, end),), _ = times_of(text)

    assert (start, end) == (
        datetime.datetime(2025, 3, 2, 4, 30, tzinfo=UTC),
        datetime.datetime(2025, 3, 2, 5, 0, tzinfo=UTC),
    )


def test_talk_times_count_elapsed_time_across_a_change_of_the_clocks():
    times = "<date>2025-03-30T01:30:00+01:00</date><start>01:30</start><duration>01:00</duration>"
    day = '<day index="1" date="2025-03-29">'

    ((start, end),), _ = times_of(schedule_xml(event_xml(times=times), day=day))

    assert (start.isoformat(), end.isoformat()) == (
        "2025-03-30T01:30:00+01:00",
        "2025-03-30T03:30:00+02:00",
    )


def test_talk_times_refuse_a_start_that_contradicts_the_date():
    path = DATA / "start-contradicts-date.schedule.xml"
    schedule = parse_frab(path.read_bytes(), source=str(path))

    with pytest.raises(ImportFileError) as caught:
        talk_times(schedule, schedule.time_zone, source=str(path))

    assert caught.value.messages() == [
        f'{path}:14: event 7 "A start on neither clock": <date> 2025-03-01T10:00:00+00:00 is '
        "11:00 in Europe/Berlin, but <start> says 09:30"
    ]


def test_talk_times_refuse_a_clock_time_the_zone_skips():
    times = "<start>02:30</start><duration>00:30</duration>"
    text = schedule_xml(event_xml(times=times), day='<day index="1" date="2025-03-30">')
    schedule = parse(text)

    with pytest.raises(ImportFileError) as caught:
        talk_times(schedule, BERLIN, source="small.xml")

    assert caught.value.messages() == [
        f'small.xml:{line_of(text, "<start>", after="<event ")}: event 42 "A talk": '
        "2025-03-30 02:30 does not exist in Europe/Berlin: the clocks skip it."
    ]


def test_talk_times_warn_of_a_talk_outside_its_day():
    times = "<date>2025-03-03T10:00:00+01:00</date><start>10:00</start><duration>00:30</duration>"
    text = schedule_xml(event_xml(times=times))

    _, warnings = times_of(text)

    assert warnings == [
        (
            line_of(text, "<date>"),
            'event 42 "A talk": 2025-03-03 10:00 Europe/Berlin is outside its <day index="1"> '
            f"(line {line_of(text, '<day ')}); using the time",
        )
    ]


def _without_zone(text):
    return text.replace("<time_zone_name>Europe/Berlin</time_zone_name>", "")


def test_schedule_zone_is_the_files_time_zone_name():
    schedule = parse(schedule_xml(event_xml()))

    assert schedule_zone(schedule, current=zoneinfo.ZoneInfo("Asia/Tokyo")) == (BERLIN, [])


def test_schedule_zone_keeps_the_events_zone_when_the_offsets_fit():
    schedule = parse(_without_zone(schedule_xml(event_xml())))

    assert schedule_zone(schedule, current=BERLIN) == (BERLIN, [])


def test_schedule_zone_takes_the_one_fixed_offset_for_a_new_event():
    text = _without_zone(schedule_xml(event_xml()))

    zone, warnings = schedule_zone(parse(text))

    assert zone.key == "Etc/GMT-1"
    assert warnings == [
        (
            line_of(text, "<conference>"),
            "no <time_zone_name>: using Etc/GMT-1, the offset of every <date>; set the event's "
            "zone to the venue's own for pages in summer and winter time",
        )
    ]


@pytest.mark.parametrize(
    ("dates", "current", "message"),
    [
        (
            ("2025-03-29T10:00:00+01:00", "2025-03-30T10:00:00+02:00"),
            None,
            "no <time_zone_name>, and the <date> offsets +01:00 (line {first}), +02:00 (line "
            "{second}) fit no fixed-offset zone; add <time_zone_name> with the venue's IANA "
            "zone to the file, or pass --timezone ZONE, e.g. Europe/Berlin",
        ),
        (
            ("2025-03-01T10:00:00+05:30",),
            None,
            "no <time_zone_name>, and the <date> offsets +05:30 (line {first}) fit no "
            "fixed-offset zone; add <time_zone_name> with the venue's IANA zone to the "
            "file, or pass --timezone ZONE, e.g. Europe/Berlin",
        ),
        (
            ("2025-03-01T10:00:00",),
            None,
            "no time zone: no <time_zone_name>, and no <date> with an offset; add "
            "<time_zone_name> with the venue's IANA zone to the file, or pass --timezone ZONE, "
            "e.g. Europe/Berlin",
        ),
        (
            ("2025-03-01T10:00:00+01:00",),
            "Asia/Tokyo",
            "no <time_zone_name>, and the <date> offsets +01:00 (line {first}) are not those of "
            "the event's zone Asia/Tokyo; add <time_zone_name> with the venue's IANA zone "
            "to the file, or pass --timezone ZONE, e.g. Europe/Berlin",
        ),
    ],
)
def test_schedule_zone_refuses_to_guess(dates, current, message):
    events = [
        event_xml(
            attributes=f'id="{number}"', times=f"<date>{date}</date><duration>00:30</duration>"
        )
        for number, date in enumerate(dates, start=1)
    ]
    text = _without_zone(schedule_xml(*events))
    schedule = parse(text)
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if "<date>" in line]

    with pytest.raises(ImportFileError) as caught:
        schedule_zone(schedule, current=current and zoneinfo.ZoneInfo(current), source="small.xml")

    expected = message.format(first=lines[0], second=lines[-1])
    assert caught.value.messages() == [f"small.xml:{line_of(text, '<conference>')}: {expected}"]


@pytest.mark.parametrize(
    ("start", "end", "days", "expected"),
    [
        ("<start>2025-03-01</start>", "<end>2025-03-02</end>", "", ((2025, 3, 1), (2025, 3, 2))),
        (
            "<start>2025-03-01T08:30:00+00:00</start>",
            "<end>2025-03-02T23:30:00+00:00</end>",
            "",
            ((2025, 3, 1), (2025, 3, 3)),
        ),
        (
            "<start>2025-03-01T09:00:00+01:00</start>",
            "<end>2025-03-03T00:00:00+01:00</end>",
            "",
            ((2025, 3, 1), (2025, 3, 2)),
        ),
        ("<start>2025-03-01</start>", "", "<days>3</days>", ((2025, 3, 1), (2025, 3, 3))),
        ("", "", "", ((2025, 3, 1), (2025, 3, 1))),
    ],
)
def test_event_dates_come_from_the_conference_or_the_days(start, end, days, expected):
    conference = f"""  <conference>
    <title>Small Conf</title>{start}{end}{days}
    <time_zone_name>Europe/Berlin</time_zone_name>
  </conference>"""
    schedule = parse(schedule_xml(event_xml(), conference=conference))
    times, _ = talk_times(schedule, BERLIN)

    dates = event_dates(schedule, BERLIN, times)

    assert dates == tuple(datetime.date(*value) for value in expected)


def test_event_dates_refuse_an_end_before_the_start():
    conference = CONFERENCE.replace("<end>2025-03-02</end>", "<end>2025-02-27</end>")
    text = schedule_xml(event_xml(), conference=conference)
    schedule = parse(text)

    with pytest.raises(ImportFileError) as caught:
        event_dates(schedule, BERLIN, talk_times(schedule, BERLIN)[0], source="small.xml")

    assert caught.value.messages() == [
        f"small.xml:{line_of(text, '<end>')}: the conference ends (2025-02-27) before it starts "
        "(2025-03-01)"
    ]
