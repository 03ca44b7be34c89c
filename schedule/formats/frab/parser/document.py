"""frab schedule XML, as pretalx, frab, the CCC hub, wafer and FOSDEM write it, as plain data.

:func:`parse_frab` reads the bytes of a ``schedule.xml`` into a
:class:`FrabSchedule` or raises a :class:`ImportFileError` listing every problem
found, each with its line. None of the real files validates against the c3voc
XSD, so the reader is lenient where real files differ (extra elements, empty
ones, three-part durations, ``<link>`` elements holding ``<title>`` children,
dates in UTC, talk guids that are not UUIDs) and strict where the data would be
wrong (a time that is not a time, two talks with one guid).

Times stay as the file writes them: which zone the venue is in, and so when a
talk happens, is decided in :mod:`schedule.formats.frab.parser.times`.
"""

from urllib.parse import urljoin

from schedule.formats.frab.parser.reader import XMLReadError, read_xml
from schedule.formats.frab.parser.records import (
    FrabDay,
    FrabPerson,
    FrabRoom,
    FrabSchedule,
    FrabTalk,
    FrabTrack,
)
from schedule.formats.frab.parser.values import (
    COLOUR,
    FALSE,
    TRUE,
    block_text,
    inline_text,
    joined_text,
    parse_clock,
    parse_date,
    parse_date_or_datetime,
    parse_datetime,
    parse_duration,
    parse_guid,
    parse_positive_integer,
    parse_uuid,
    talk_kind,
    talk_label,
)
from schedule.formats.frab.rooms import ROOMLESS_ROOM_NAME, roomless_room_guid
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import ImportLimits, excerpt, too_many_talks_message
from schedule.importing.names import name_key
from schedule.importing.people import person_name
from schedule.importing.zones import unknown_zone_message, zone_named

# Talk field -> the element of a frab <event> it is read from.
TALK_FIELD_ELEMENTS = (
    ("title", "title"),
    ("subtitle", "subtitle"),
    ("kind", "type"),
    ("abstract", "abstract"),
    ("language", "language"),
    ("do_not_record", "recording"),
    ("track", "track"),
    ("room", "room"),
    ("source_url", "url"),
    ("slug", "slug"),
    ("start", "date"),
    ("end", "duration"),
)


def _text(element):
    return "" if element is None else "".join(element.itertext())


class _ScheduleReader:
    """Walks the tree once, collecting the schedule's parts and every problem with its line."""

    def __init__(self, lines):
        self.lines = lines
        self.errors = []
        self.warnings = []
        self.rooms = {}
        self.tracks = {}
        self.biographies = {}
        self.first_with_key = {}
        self.base_url = ""
        self.acronym = ""
        self.roomless_room = ""  # the name of our export's stand-in room, if the file has one

    def line(self, element):
        return self.lines.get(element, 0)

    def error(self, element, message):
        self.errors.append((self.line(element), message))

    def warn(self, element, message):
        self.warnings.append((self.line(element), message))

    def value(self, text, parse, *, element, what):
        """``parse(text)``, or ``None`` with an error at ``element`` when it cannot be read."""
        try:
            return parse(text)
        except ValueError as error:
            self.error(element, f"{what}: {error}")
            return None

    def element_value(self, element, parse, what):
        return self.value(_text(element), parse, element=element, what=what)

    def read(self, root):
        if root.tag != "schedule":
            self.error(root, f"expected a frab schedule: the root element is <{excerpt(root.tag)}>")
            return None
        conference = root.find("conference")
        if conference is None:
            self.error(root, "no <conference> element: the file names no conference")
            return None
        self.base_url = _text(conference.find("base_url")).strip()
        self.acronym = inline_text(_text(conference.find("acronym")))
        for person in root.findall("persons/person"):
            self._read_biography(person)
        self._read_declared_tracks([*conference.findall("track"), *root.findall("tracks/track")])
        days, talks = [], []
        for day_element in root.findall("day"):
            day = self._read_day(day_element)
            days.append(day)
            for room_element in day_element.findall("room"):
                room = self._add_room(room_element)
                for talk_element in room_element.findall("event"):
                    talk = self._read_talk(talk_element, day=day, room=room)
                    if talk is not None:
                        talks.append(talk)
        return self._read_conference(conference, days=tuple(days), talks=tuple(talks))

    def _read_conference(self, conference, *, days, talks):
        field_lines = {"name": self.line(conference)}
        title = inline_text(_text(conference.find("title")))
        acronym = inline_text(_text(conference.find("acronym")))
        if conference.find("title") is not None:
            field_lines["name"] = self.line(conference.find("title"))
        if not title and not acronym:
            self.error(conference, "the conference has neither <title> nor <acronym>")
        dates = {}
        for name in ("start", "end"):
            element = conference.find(name)
            dates[name] = None
            if element is not None and _text(element).strip():
                dates[name] = self.element_value(element, parse_date_or_datetime, f"<{name}>")
                field_lines[f"{name}_date"] = self.line(element)
        days_count = None
        if (element := conference.find("days")) is not None and _text(element).strip():
            days_count = self.element_value(element, parse_positive_integer, "<days>")
            # Without <end>, the event's end date is read from here.
            field_lines.setdefault("end_date", self.line(element))
        day_change = None
        if (element := conference.find("day_change")) is not None and _text(element).strip():
            day_change = self.element_value(element, parse_clock, "<day_change>")
        time_zone = None
        if (element := conference.find("time_zone_name")) is not None:
            name = _text(element).strip()
            field_lines["time_zone"] = self.line(element)
            time_zone = zone_named(name)
            if time_zone is None and name:
                message = unknown_zone_message(
                    name, where=" in <time_zone_name>", example="Europe/Berlin"
                )
                self.error(element, message)
        website = _text(conference.find("url")).strip()
        if website and not website.startswith(("http://", "https://")):
            self.warn(
                conference.find("url"), f'the conference <url> "{excerpt(website)}" is not used'
            )
            website = ""
        place = [inline_text(_text(conference.find(name))) for name in ("venue", "city")]
        return FrabSchedule(
            title=title or acronym,
            acronym=acronym,
            start=dates["start"],
            end=dates["end"],
            days_count=days_count,
            time_zone=time_zone,
            day_change=day_change,
            website=website,
            location=", ".join(part for part in place if part) or self._roomless_location(),
            line=self.line(conference),
            rooms=tuple(self.rooms.values()),
            tracks=tuple(self.tracks.values()),
            days=days,
            talks=talks,
            warnings=tuple(self.warnings),
            base_url=self.base_url,
            field_lines=field_lines,
        )

    def _read_biography(self, person):
        person_id = (person.get("id") or "").strip()
        biography = joined_text(
            block_text(_text(person.find("biography"))),
            block_text(_text(person.find("extended_biography"))),
        )
        # Keyed by the name too where the entry gives one: a placeholder id such as
        # "0" must not hand one person's biography to everyone.
        name = person_name(
            name=_text(person.find("name")), public_name=_text(person.find("public_name"))
        )
        if person_id and biography:
            self.biographies[person_id, name_key(name) if name else None] = (
                biography,
                self.line(person),
            )

    def _biography(self, person_id, name):
        """``(biography, line)`` of the ``<persons>`` entry of this id (and name, if it has one)."""
        found = self.biographies.get((person_id, name_key(name)))
        return found or self.biographies.get((person_id, None), ("", None))

    def _read_declared_tracks(self, elements):
        for element in elements:
            name = inline_text(element.get("name") or _text(element))
            if not name:
                self.warn(element, "a <track> without a name is left out")
                continue
            colour = (element.get("color") or "").strip()
            if colour and not COLOUR.match(colour):
                self.warn(
                    element,
                    f'track "{excerpt(name)}": colour "{excerpt(colour)}" is not #rrggbb; using a '
                    "default",
                )
                colour = ""
            self._add_track(name, slug=element.get("slug") or "", colour=colour, element=element)

    def _add_track(self, name, *, slug, colour, element):
        key = name.casefold()
        if key not in self.tracks:
            self.tracks[key] = FrabTrack(
                name=name, slug=slug.strip(), colour=colour.lower(), line=self.line(element)
            )
        return self.tracks[key].name

    def _roomless_location(self):
        """The event's location as our export names the room of its roomless talks."""
        return "" if self.roomless_room == ROOMLESS_ROOM_NAME else self.roomless_room

    def _add_room(self, element):
        name = inline_text(element.get("name") or "")
        if not name:
            self.error(element, '<room> without a name: expected <room name="…">')
            return ""
        if (element.get("guid") or "").strip() == str(roomless_room_guid(self.acronym, name)):
            # Our own export's stand-in for "no room": its talks stay without one.
            self.roomless_room = name
            return ""
        return self.rooms.setdefault(
            name.casefold(),
            FrabRoom(name=name, slug=(element.get("slug") or "").strip(), line=self.line(element)),
        ).name

    def _read_day(self, element):
        what = f'<day index="{excerpt(element.get("index", ""))}">'
        values = {}
        for name, parse in (
            ("date", parse_date),
            ("start", parse_datetime),
            ("end", parse_datetime),
        ):
            text = (element.get(name) or "").strip()
            values[name] = None
            if text:
                values[name] = self.value(text, parse, element=element, what=f"{what} {name}")
        index = (element.get("index") or "").strip()
        return FrabDay(
            # int() refuses digits such as "²" (isdigit, not isdecimal) and numbers of
            # thousands of digits; the index only names the day in messages.
            index=int(index) if index.isdecimal() and len(index) < 20 else None,
            line=self.line(element),
            **values,
        )

    def _read_talk(self, element, *, day, room):
        frab_id = (element.get("id") or "").strip()
        guid_text = (element.get("guid") or "").strip()
        title = inline_text(_text(element.find("title")))
        label = talk_label(frab_id or guid_text, title)
        errors_before = len(self.errors)
        if not frab_id and not guid_text:
            self.error(element, f"{label}: without guid or id it cannot be matched again")
        guid = parse_guid(guid_text) if guid_text else None
        if guid or frab_id:
            self._check_key(element, guid=guid, guid_text=guid_text, frab_id=frab_id, label=label)
        if not title:
            self.error(_child_or(element, "title"), f"{label}: no <title>")
        event_room = inline_text(_text(element.find("room")))
        if room and event_room and event_room.casefold() != room.casefold():
            self.warn(
                element.find("room"),
                f'{label}: <room> says "{excerpt(event_room)}" but the event is listed in room '
                f'"{excerpt(room)}"; using "{excerpt(room)}"',
            )
        date, clock, duration = self._read_times(element, label=label, day=day)
        do_not_record = self._read_optout(element, label=label)
        track = inline_text(_text(element.find("track")))
        if track:
            track = self._add_track(track, slug="", colour="", element=element.find("track"))
        persons = self._read_persons(element, label)
        if len(self.errors) > errors_before:
            return None
        type_name = inline_text(_text(element.find("type")))
        return FrabTalk(
            guid=guid,
            guid_text=guid_text,
            frab_id=frab_id,
            title=title,
            subtitle=inline_text(_text(element.find("subtitle"))),
            type_name=type_name,
            kind=talk_kind(type_name),
            abstract=joined_text(
                block_text(_text(element.find("abstract"))),
                block_text(_text(element.find("description"))),
            ),
            language=inline_text(_text(element.find("language"))),
            do_not_record=do_not_record,
            track=track,
            room=room,
            slug=_text(element.find("slug")).strip(),
            source_url=self._url(element.find("url"), label),
            date=date,
            clock=clock,
            duration=duration,
            day=day,
            persons=persons,
            line=self.line(element),
            field_lines=self._field_lines(element),
        )

    def _field_lines(self, element):
        """Talk field name -> line of the element it comes from (the event's own line if none)."""
        lines = {
            name: self.line(_child_or(element, tag))
            for name, tag in TALK_FIELD_ELEMENTS
            if tag != "date" or element.find("date") is not None
        }
        lines.setdefault("start", self.line(_child_or(element, "start")))
        return lines | {"uuid": self.line(element), "external_id": self.line(element)}

    def _read_times(self, element, *, label, day):
        """``(date, clock, duration)`` of a talk, each ``None`` where missing or wrong."""
        date = clock = duration = None
        date_element, clock_element = element.find("date"), element.find("start")
        has_date, has_clock = bool(_text(date_element).strip()), bool(_text(clock_element).strip())
        if has_date:
            date = self.element_value(date_element, parse_datetime, f"{label}: <date>")
        if has_clock:
            clock = self.element_value(clock_element, parse_clock, f"{label}: <start>")
        if not has_date and not has_clock:
            self.error(element, f"{label}: no <date> and no <start>: the talk has no time")
        elif not has_date and day.date is None:
            self.error(element, f'{label}: no <date>, and its <day> has no date="…"')
        duration_element = element.find("duration")
        if duration_element is None or not _text(duration_element).strip():
            self.error(element, f"{label}: no <duration>")
        else:
            duration = self.element_value(duration_element, parse_duration, label)
            if duration is not None and not duration:
                self.error(duration_element, f"{label}: the duration is zero")
        return date, clock, duration

    def _read_optout(self, element, *, label):
        optout = element.find("recording/optout")
        if optout is None:
            return False
        text = _text(optout).strip().lower()
        if text not in TRUE | FALSE:
            self.error(optout, f'{label}: <optout> "{excerpt(text)}": expected true or false')
        return text in TRUE

    def _url(self, element, label):
        url = _text(element).strip()
        if not url or url.startswith(("http://", "https://")):
            return url
        absolute = urljoin(self.base_url, url) if self.base_url else ""
        if absolute.startswith(("http://", "https://")):
            return absolute
        self.warn(element, f'{label}: <url> "{excerpt(url)}" is not an http(s) URL; left out')
        return ""

    def _read_persons(self, element, label):
        persons, seen = [], {}
        for person in element.findall("persons/person"):
            # The name is the element's text; some writers put it in an attribute.
            name = person_name(
                name=_text(person) or person.get("name", ""),
                public_name=person.get("public_name", ""),
            )
            guid_text = (person.get("guid") or "").strip()
            person_id = (person.get("id") or "").strip()
            what = f'{label}: person "{excerpt(name)}"' if name else f"{label}: a person"
            if not name:
                self.error(person, f"{label}: a <person> without a name")
                continue
            guid = (
                self.value(guid_text, parse_uuid, element=person, what=what) if guid_text else None
            )
            # Only the same person twice: which identifiers are keys is decided over
            # the whole file (schedule.importing.people), where "0" may be everyone's id.
            key = (guid, person_id, name_key(name))
            if key in seen:
                first = seen[key]
                self.warn(person, f"{what} is listed twice (first on line {first}); kept once")
                continue
            seen[key] = self.line(person)
            biography, biography_line = self._biography(person_id, name)
            persons.append(
                FrabPerson(
                    name=name,
                    guid=guid,
                    person_id=person_id,
                    biography=biography,
                    biography_line=biography_line,
                    line=self.line(person),
                )
            )
        return tuple(persons)

    def _check_key(self, element, *, guid, guid_text, frab_id, label):
        """Note the talk's key; an error if an earlier talk has it (even one with errors)."""
        # Talks are matched on their guid; on their id only where they have none.
        key, shown = (("guid", guid), guid_text) if guid else (("id", frab_id), frab_id)
        # The element itself tells the first talk: a file on one line has one line for all.
        first = self.first_with_key.setdefault(key, (element, label))
        if first[0] is not element:
            self.error(
                element,
                f"{label}: {key[0]} {excerpt(shown)} is already used by {first[1]} on line "
                f"{self.line(first[0])}",
            )


def _child_or(element, tag):
    """The child ``tag`` of ``element``, or ``element`` itself: where to point a message."""
    child = element.find(tag)
    return element if child is None else child


def parse_frab(data, *, source="<frab>", limits=None):
    """The :class:`FrabSchedule` in ``data`` (the file's bytes); ``source`` names it in messages.

    Raises :class:`ImportFileError` with every problem found, or at once at the
    first talk (``<event>``) past ``limits.max_talks`` (an :class:`ImportLimits`).
    """
    limits = limits or ImportLimits()
    try:
        root, lines = read_xml(
            data, limits={"event": (limits.max_talks, too_many_talks_message(limits))}
        )
    except XMLReadError as error:
        raise ImportFileError([(error.line, error.message)], source) from None
    reader = _ScheduleReader(lines)
    schedule = reader.read(root)
    if reader.errors or schedule is None:
        raise ImportFileError(reader.errors, source)
    return schedule
