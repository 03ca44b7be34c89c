"""Read an iCalendar (RFC 5545) file into plain data for the importer, without the database.

The values are decoded by the ``icalendar`` package; this module adds what it
lacks for an importer: line numbers, and refusing what it lets through.

- Lines are unfolded as bytes and only then decoded, as RFC 5545 (3.1) asks,
  because real files fold inside a UTF-8 character. Control characters inside
  values (carriage returns left by Windows-edited text) are removed with a
  warning. Whatever cannot be read is refused as ``FILE:LINE: message``; the
  line is the physical line where the offending content line begins.
- A VEVENT with a date-time DTSTART becomes an :class:`IcsEvent`. All-day
  events (DTSTART a date) are skipped with a warning: they are not sessions.
  Recurring events (RRULE, RDATE, RECURRENCE-ID) are refused, not expanded: a
  conference lists its sessions one by one, and a guessed expansion would
  create talks nobody planned.
- A talk needs a length: an event without DTEND or DURATION, or ending when it
  starts, is refused rather than given an invented end.
- Speakers are the ATTENDEEs' and the ORGANIZER's common names (CN) and the
  names on a "Speakers: A, B" line of the DESCRIPTION (our own export writes
  one; linux.conf.au writes "Speaker: A"). An ORGANIZER who organises every
  event of a file is the conference, not a speaker. Room and resource
  ATTENDEEs and non-participants are not speakers.
- Times keep their zone: UTC, a TZID defined by a VTIMEZONE, or an IANA TZID
  without one. Floating times (no zone) stay naive here; :func:`event_times`
  places them in the event's zone, which is the importer's decision.
"""

import datetime
import hashlib
import re
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import icalendar

from conference.venue_time import NonexistentTimeError, venue_datetime
from schedule.agenda import YEARS, tidy_text

TALK_EXTERNAL_ID_MAX_LENGTH = 100  # Talk.external_id's max_length
EXTERNAL_ID_PREFIX = "ics:"
UTF8_BOM = b"\xef\xbb\xbf"

# Properties the importer reads: a value of one of them that icalendar cannot
# parse refuses the file; a broken value of any other property is only reported.
READ_PROPERTIES = frozenset(
    {"UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "LOCATION", "DESCRIPTION", "URL"}
    | {"ATTENDEE", "ORGANIZER", "STATUS", "RRULE", "RDATE", "EXRULE", "RECURRENCE-ID"}
)
SINGLE_PROPERTIES = ("UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "LOCATION")
SINGLE_PROPERTIES += ("DESCRIPTION", "URL", "STATUS", "ORGANIZER")
RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "EXRULE", "RECURRENCE-ID")
NOT_SPEAKER_CUTYPES = frozenset({"ROOM", "RESOURCE"})

_NAME = re.compile(r"[A-Za-z0-9-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# No whitespace around the names and separators: clean_name strips it. Matched
# here, runs of spaces in a long line made these patterns backtrack for minutes.
_SPEAKERS_LINE = re.compile(r"^\s*+speakers?\s*+:(?P<names>.*)$", re.IGNORECASE)
_NAME_SEPARATOR = re.compile(r"[,;&]|\band\b", re.IGNORECASE)


class IcsError(Exception):
    """Problems that keep a calendar from being imported, each with its line.

    ``errors`` is a list of ``(line, message)``; ``line`` is ``None`` for a
    problem of the whole file (no time zone, say).
    """

    def __init__(self, errors, source="<calendar>"):
        super().__init__(errors, source)
        self.errors = sorted(errors, key=lambda error: error[0] or 0)
        self.source = source

    def messages(self):
        """One ``FILE:LINE: message`` per problem, in file order."""
        return [
            f"{self.source}:{line}: {message}" if line else f"{self.source}: {message}"
            for line, message in self.errors
        ]

    def __str__(self):
        return "\n".join(self.messages())


class IcsTimeError(ValueError):
    """An event's times cannot make a talk; ``line`` is where to look."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class IcsSpeaker:
    name: str
    # Where the name was read; not part of the speaker's identity.
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, kw_only=True)
class IcsEvent:
    uid: str
    line: int  # the BEGIN:VEVENT line
    title: str
    start: datetime.datetime  # aware, or naive for a floating time
    end: datetime.datetime | None
    duration: datetime.timedelta | None
    tzid: str  # DTSTART's TZID, "" for UTC and floating times
    location: str
    speakers: tuple[IcsSpeaker, ...]
    description: str
    url: str
    is_cancelled: bool
    # Talk field name -> the line it was read from, to point model errors at.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def external_id(self):
        return talk_external_id(self.uid)

    @property
    def label(self):
        return f'event "{self.title}"'


@dataclass(frozen=True, kw_only=True)
class IcsCalendar:
    name: str  # X-WR-CALNAME, NAME or X-WR-CALDESC
    time_zone: str  # X-WR-TIMEZONE, "" when absent
    events: tuple[IcsEvent, ...]  # the events without errors
    skipped: int  # all-day events, which are not talks
    # (line, message) of the events that cannot be read, left out of ``events``.
    errors: tuple[tuple[int, str], ...]
    warnings: tuple[str, ...]
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)

    def tzid_counts(self):
        """How many events start in each TZID, most common first."""
        return Counter(event.tzid for event in self.events if event.tzid).most_common()


def talk_external_id(uid):
    """The talk's key: ``ics:`` and the UID, or a digest of a UID too long for the column."""
    key = f"{EXTERNAL_ID_PREFIX}{uid}"
    if len(key) <= TALK_EXTERNAL_ID_MAX_LENGTH:
        return key
    return f"{EXTERNAL_ID_PREFIX}sha256:{hashlib.sha256(uid.encode()).hexdigest()}"


def clean_name(text):
    """A person's or a place's name on one line, with single spaces."""
    return " ".join(str(text).split()).strip(" \"'")


# Reading the file into content lines


@dataclass
class _ContentLine:
    number: int  # the physical line it begins on
    text: str
    name: str  # the property name, upper case ("" for junk)


def _decode(raw, segments, errors):
    """``raw`` (one unfolded content line) as text, or ``None`` with an error recorded."""
    try:
        return bytes(raw).decode("utf-8")
    except UnicodeDecodeError as error:
        # The physical line holding the bad byte: the last segment starting before it.
        number = max(line for offset, line in segments if offset <= error.start)
        errors.append(
            (
                number,
                f"the file is not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded; "
                "save the file as UTF-8",
            )
        )
        return None


def content_lines(data, *, source):
    """The file's unfolded content lines and warnings; raises :class:`IcsError`."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    unfolded = []  # [first physical line, bytearray, [(offset, physical line)]]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if raw[:1] in (b" ", b"\t") and unfolded:
            current = unfolded[-1]
            current[2].append((len(current[1]), number))
            current[1].extend(raw[1:])
        elif raw.strip():
            unfolded.append([number, bytearray(raw), [(0, number)]])

    lines, errors = [], []
    removed, first_removed = 0, None
    for number, raw, segments in unfolded:
        text = _decode(raw, segments, errors)
        if text is None:
            continue
        text, count = _CONTROL.subn("", text)
        if count:
            removed += count
            first_removed = first_removed or number
        name = _NAME.match(text)
        lines.append(_ContentLine(number, text, name[0].upper() if name else ""))
    if errors:
        raise IcsError(errors, source)
    if not lines:
        raise IcsError([(None, "the file is empty: expected BEGIN:VCALENDAR")], source)
    warnings = []
    if removed:
        warnings.append(
            f"{source}:{first_removed}: {removed} control character{'s' if removed > 1 else ''} "
            "(such as carriage returns) inside values removed; iCalendar text allows none"
        )
    return lines, warnings


# The components' structure, with lines


@dataclass
class _EventLines:
    """Where one VEVENT's properties are, for messages."""

    begin: int
    properties: dict = field(default_factory=lambda: defaultdict(list))
    texts: list = field(default_factory=list)

    def first(self, name):
        lines = self.properties.get(name)
        return lines[0] if lines else self.begin

    def line_of_text(self, message):
        """The line of the first of the event's content lines that ``message`` quotes."""
        for number, text in self.texts:
            if text and text in message:
                return number
        return self.begin


def _keyword(line, keyword):
    """The value of a ``BEGIN:X``/``END:X`` line, upper case, or ``None``."""
    if line.name == keyword and line.text[len(keyword) : len(keyword) + 1] == ":":
        return line.text[len(keyword) + 1 :].strip().upper()
    return None


def _structure(lines):
    """``(calendar property lines, [_EventLines])``; raises ``ValueError((line, message))``."""
    stack, events, calendar_lines, calendars = [], [], {}, 0
    for line in lines:
        begin, end = _keyword(line, "BEGIN"), _keyword(line, "END")
        if begin is not None:
            if not stack and (calendars or begin != "VCALENDAR"):
                found = "a second VCALENDAR" if calendars else f'"{line.text[:40]}"'
                raise ValueError(line.number, f"expected one VCALENDAR, found {found}")
            stack.append((begin, line.number))
            if begin == "VEVENT":
                events.append(_EventLines(begin=line.number))
        elif end is not None:
            if not stack:
                raise ValueError(line.number, f"END:{end} without a BEGIN:{end}")
            name, number = stack.pop()
            if end != name:
                raise ValueError(
                    line.number, f"END:{end}, but BEGIN:{name} on line {number} is still open"
                )
            calendars += name == "VCALENDAR"
        elif not stack:
            if line.number == 1:
                raise ValueError(1, "not an iCalendar file: expected BEGIN:VCALENDAR")
            raise ValueError(line.number, "content after END:VCALENDAR")
        elif stack[-1][0] == "VEVENT":
            events[-1].properties[line.name].append(line.number)
            events[-1].texts.append((line.number, line.text))
        elif len(stack) == 1:
            calendar_lines.setdefault(line.name, line.number)
    if stack:
        name, number = stack[-1]
        raise ValueError(number, f"BEGIN:{name} has no END:{name}")
    return calendar_lines, events


# One VEVENT


def _text(component, name):
    values = _as_list(component.get(name))
    return str(values[0]) if values else ""


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _speaker_names_in(description):
    """``(names, description without the speakers lines)``."""
    names, kept = [], []
    for line in description.split("\n"):
        match = _SPEAKERS_LINE.match(line)
        if match:
            names += [clean_name(name) for name in _NAME_SEPARATOR.split(match["names"])]
        else:
            kept.append(line)
    return [name for name in names if name], "\n".join(kept)


def _description(component, url):
    text = _text(component, "DESCRIPTION").replace("\r\n", "\n").replace("\r", "\n")
    names, text = _speaker_names_in(text)
    lines = tidy_text(text.split("\n")).split("\n")
    # Our own export ends the description with the talk's address, which is the URL.
    if url and lines and lines[-1].strip() == url:
        lines.pop()
    return names, tidy_text(lines)


def _date_time(component, name, lines, label, errors):
    """The property's datetime (aware, or naive when floating), a date, or ``None``."""
    prop = component.get(name)
    if prop is None:
        return None
    value = prop.dt
    tzid = prop.params.get("TZID")
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None and tzid:
            errors.append(
                (
                    lines.first(name),
                    f'{label}: {name}: unknown time zone "{tzid}": no VTIMEZONE of the file '
                    "defines it and it is not an IANA name such as Europe/Madrid",
                )
            )
            return None
        return value
    if isinstance(value, datetime.date):
        return value
    errors.append((lines.first(name), f"{label}: {name} is not a date-time"))
    return None


@dataclass
class _Reading:
    """What one VEVENT says, before the speakers of the whole file are settled."""

    values: dict
    attendees: list
    organiser: IcsSpeaker | None
    described: list


def _property_errors(component, lines, label, errors, warnings, source):
    """Record icalendar's complaints; ``True`` when one of them is about what we read."""
    refused = False
    for name, message in component.errors:
        if name is None:
            # A content line icalendar could not split into name and value.
            errors.append((lines.line_of_text(message), f"{label}: {message}"))
            refused = True
        elif name.upper() in READ_PROPERTIES:
            errors.append((lines.first(name.upper()), f"{label}: {name}: {message}"))
            refused = True
        else:
            warnings.append(
                f"{source}:{lines.first(name.upper())}: {label}: {name} ignored: {message}"
            )
    return refused


SKIPPED = "skipped"


def _repeated_properties(lines, label):
    """``(line, message)`` of each second SUMMARY, DTSTART…: which one is meant is unknown."""
    return [
        (numbers[1], f"{label}: a second {name} (the first is on line {numbers[0]})")
        for name in SINGLE_PROPERTIES
        if len(numbers := lines.properties.get(name, [])) > 1
    ]


def _shape_errors(lines, *, uid, title, label):
    """What else than its times makes the event no talk, as ``(line, message)``."""
    errors = []
    for name in RECURRENCE_PROPERTIES:
        if name in lines.properties:
            what = "is one occurrence of a recurring event" if name == "RECURRENCE-ID" else ""
            errors.append(
                (
                    lines.first(name),
                    f"{label} {what or 'repeats'} ({name}): recurring events are not imported; "
                    "list each session as an event of its own",
                )
            )
    if not uid:
        errors.append(
            (lines.begin, f"{label} has no UID: it is what recognises the talk on the next import")
        )
    if not title:
        errors.append((lines.begin, f"{label} has no SUMMARY, so the talk would have no title"))
    return errors


def _times(component, lines, label, errors):
    """``(start, end, duration)``, ``SKIPPED`` for an all-day event, or ``None`` on errors."""
    count_before = len(errors)
    start = _date_time(component, "DTSTART", lines, label, errors)
    end = _date_time(component, "DTEND", lines, label, errors)
    duration = component.get("DURATION")
    duration = duration.dt if duration is not None else None
    if "DTSTART" not in lines.properties:
        errors.append((lines.begin, f"{label} has no DTSTART"))
    elif type(start) is datetime.date:
        return SKIPPED
    elif start is not None:
        if type(end) is datetime.date:
            errors.append((lines.first("DTEND"), f"{label}: DTEND is a date but DTSTART is not"))
        elif duration is not None and not isinstance(duration, datetime.timedelta):
            errors.append((lines.first("DURATION"), f"{label}: DURATION is not a duration"))
        elif "DTEND" not in lines.properties and duration is None:
            errors.append(
                (lines.first("DTSTART"), f"{label} has neither DTEND nor DURATION, so no length")
            )
    return None if len(errors) > count_before else (start, end, duration)


def _attendees(component, lines):
    """The speakers among the ATTENDEEs: people with a name who take part."""
    speakers = []
    for prop, number in zip(
        _as_list(component.get("ATTENDEE")), lines.properties.get("ATTENDEE", []), strict=False
    ):
        params = prop.params
        if params.get("CUTYPE", "").upper() in NOT_SPEAKER_CUTYPES:
            continue
        if params.get("ROLE", "").upper() == "NON-PARTICIPANT":
            continue
        if name := clean_name(params.get("CN", "")):
            speakers.append(IcsSpeaker(name, number))
    return speakers


def _field_lines(lines):
    """Talk field name -> the line of the property it comes from."""
    end = "DTEND" if "DTEND" in lines.properties else "DURATION"
    properties = {"title": "SUMMARY", "slug": "SUMMARY", "start": "DTSTART", "end": end}
    properties |= {"external_id": "UID", "abstract": "DESCRIPTION", "source_url": "URL"}
    properties |= {"room": "LOCATION", "is_cancelled": "STATUS"}
    return {field_name: lines.first(name) for field_name, name in properties.items()}


def _read_event(component, lines, *, source, errors, warnings):
    """A :class:`_Reading`, ``SKIPPED``, or ``None`` (errors and warnings recorded)."""
    uid = _text(component, "UID").strip()
    title = " ".join(_text(component, "SUMMARY").split())
    label = f'event "{title}"' if title else f"event {uid}" if uid else "an event"
    if _property_errors(component, lines, label, errors, warnings, source):
        return None
    if repeated := _repeated_properties(lines, label):
        errors.extend(repeated)
        return None
    problems = _shape_errors(lines, uid=uid, title=title, label=label)
    errors.extend(problems)
    times = _times(component, lines, label, errors)
    if times is SKIPPED and not problems:
        warnings.append(
            f"{source}:{lines.first('DTSTART')}: {label} lasts whole days (DTSTART is a "
            "date), so it is not a talk; skipped"
        )
        return SKIPPED
    if problems or times in (None, SKIPPED):
        return None

    start, end, duration = times
    url = _text(component, "URL").strip()
    described, description = _description(component, url)
    organiser = component.get("ORGANIZER")
    organiser_name = clean_name(organiser.params.get("CN", "")) if organiser is not None else ""
    values = {
        "uid": uid,
        "line": lines.begin,
        "title": title,
        "start": start,
        "end": end,
        "duration": duration,
        "tzid": component["DTSTART"].params.get("TZID", "") if start.tzinfo else "",
        "location": clean_name(_text(component, "LOCATION")),
        "description": description,
        "url": url,
        "is_cancelled": _text(component, "STATUS").strip().upper() == "CANCELLED",
        "field_lines": _field_lines(lines),
    }
    return _Reading(
        values=values,
        attendees=_attendees(component, lines),
        organiser=IcsSpeaker(organiser_name, lines.first("ORGANIZER")) if organiser_name else None,
        described=[IcsSpeaker(name, lines.first("DESCRIPTION")) for name in described],
    )


def _name_key(name):
    return " ".join(name.split()).casefold()


def _speakers(reading, conference_organiser):
    """The reading's speakers in order (attendees, organiser, description), each once."""
    found = [*reading.attendees]
    if reading.organiser and _name_key(reading.organiser.name) != conference_organiser:
        found.append(reading.organiser)
    found += reading.described
    speakers, seen = [], set()
    for speaker in found:
        if _name_key(speaker.name) not in seen:
            seen.add(_name_key(speaker.name))
            speakers.append(speaker)
    return tuple(speakers)


def _conference_organiser(readings):
    """The name key of an ORGANIZER named by every event of a file of several, or ``None``."""
    keys = {_name_key(r.organiser.name) if r.organiser else None for r in readings}
    if len(readings) > 1 and len(keys) == 1:
        return keys.pop()
    return None


def _duplicate_uids(readings, errors):
    first_line = {}
    for reading in readings:
        uid, line = reading.values["uid"], reading.values["line"]
        if uid in first_line:
            errors.append(
                (line, f'the UID "{uid}" is already used by the event on line {first_line[uid]}')
            )
        else:
            first_line[uid] = line


def parse_ics(data, *, source="<calendar>"):
    """An :class:`IcsCalendar` from the bytes of an iCalendar file.

    Raises :class:`IcsError` when the file cannot be read at all (not UTF-8,
    components not closed). The problems of single events do not stop the
    reading: they are collected in ``errors``, each with its line, so that the
    importer can report them with its own in one pass.
    """
    lines, warnings = content_lines(data, source=source)
    try:
        calendar_lines, event_lines = _structure(lines)
    except ValueError as error:
        raise IcsError([error.args], source) from None
    try:
        calendar = icalendar.Calendar.from_ical("\r\n".join(line.text for line in lines) + "\r\n")
    except ValueError as error:
        raise IcsError([(None, f"unreadable calendar: {error}")], source) from None
    components = calendar.walk("VEVENT")
    if len(components) != len(event_lines):
        raise IcsError(
            [(None, f"read {len(components)} events where the file has {len(event_lines)}")],
            source,
        )
    if not components:
        raise IcsError([(None, "the calendar has no events (VEVENT)")], source)

    errors, readings, skipped = [], [], 0
    for component, where in zip(components, event_lines, strict=True):
        reading = _read_event(component, where, source=source, errors=errors, warnings=warnings)
        if reading is SKIPPED:
            skipped += 1
        elif reading is not None:
            readings.append(reading)
    _duplicate_uids(readings, errors)

    organiser = _conference_organiser(readings)
    events = tuple(
        IcsEvent(speakers=_speakers(reading, organiser), **reading.values) for reading in readings
    )
    name_property = next(
        (name for name in ("X-WR-CALNAME", "NAME", "X-WR-CALDESC") if calendar.get(name)), None
    )
    field_lines = {}
    if name_property:
        field_lines["name"] = calendar_lines.get(name_property)
    if "X-WR-TIMEZONE" in calendar_lines:
        field_lines["time_zone"] = calendar_lines["X-WR-TIMEZONE"]
    return IcsCalendar(
        name=clean_name(calendar.get(name_property, "")) if name_property else "",
        time_zone=str(calendar.get("X-WR-TIMEZONE", "")).strip(),
        events=events,
        skipped=skipped,
        errors=tuple(sorted(errors, key=lambda error: error[0])),
        warnings=tuple(warnings),
        field_lines=field_lines,
    )


# Times and places, once the event's zone is known


def _localised(value, zone, line, what):
    if value.tzinfo is not None:
        return value
    try:
        return venue_datetime(value, zone)
    except NonexistentTimeError as error:
        raise IcsTimeError(line, f"{what}: {error}") from None


def _clock(value):
    """The time as the file wrote it: "2022-05-19 16:00 CEST"."""
    return f"{value:%Y-%m-%d %H:%M} {value.tzname()}"


def _check_year(value, line, what):
    """Refuse a far-off year: a typing error, and near datetime's limits zones overflow."""
    if value is not None and not YEARS[0] <= value.year <= YEARS[1]:
        raise IcsTimeError(
            line,
            f"{what} {value.isoformat()} is out of range: expected a year from {YEARS[0]} "
            f"to {YEARS[1]}",
        )


def event_times(event, zone):
    """Aware ``(start, end)`` of ``event``, floating times read in ``zone`` (a ZoneInfo).

    Raises :class:`IcsTimeError` when they make no talk. A DURATION is exact
    time, so it is added in UTC; with DTEND as well, the two must agree.
    """
    label = event.label
    end_line = event.field_lines["end"]
    _check_year(event.start, event.field_lines["start"], f"{label}: DTSTART")
    _check_year(event.end, end_line, f"{label}: DTEND")
    start = _localised(event.start, zone, event.field_lines["start"], f"{label}: DTSTART")
    end = None
    if event.end is not None:
        end = _localised(event.end, zone, end_line, f"{label}: DTEND")
    if event.duration is not None:
        try:
            by_duration = start.astimezone(datetime.UTC) + event.duration
        except OverflowError:  # past datetime's own years
            by_duration = None
        if by_duration is None or not YEARS[0] <= by_duration.year <= YEARS[1]:
            raise IcsTimeError(
                end_line,
                f"{label}: the DURATION of {event.duration} ends it out of range: expected "
                f"a year from {YEARS[0]} to {YEARS[1]}",
            )
        by_duration = by_duration.astimezone(start.tzinfo)
        if end is not None and end != by_duration:
            raise IcsTimeError(
                end_line,
                f"{label}: DTEND ({_clock(end)}) and DURATION (ending {_clock(by_duration)}) "
                "disagree; keep one of them",
            )
        end = by_duration
    if end == start:
        raise IcsTimeError(
            end_line, f"{label} ends when it starts ({_clock(start)}): a talk needs a length"
        )
    if end < start:
        raise IcsTimeError(
            end_line, f"{label} ends ({_clock(end)}) before it starts ({_clock(start)})"
        )
    return start, end


def is_iana_zone(name):
    return name in zoneinfo.available_timezones()


def _parts(location):
    return [part.strip() for part in location.split(",") if part.strip()]


def _folded(parts):
    return [part.casefold() for part in parts]


def _common_tail(locations):
    """The comma-separated parts that end every location, as written in the first."""
    split = [_parts(location) for location in locations]
    tail = 0
    while all(len(parts) > tail for parts in split) and (
        len({parts[-1 - tail].casefold() for parts in split}) == 1
    ):
        tail += 1
    return split[0][len(split[0]) - tail :] if tail else []


def _venue_parts(distinct, venue):
    if len(distinct) > 1 and (tail := _common_tail(distinct)):
        return tail
    venue_parts = _parts(venue)
    if venue_parts and any(
        _folded(_parts(location)[-len(venue_parts) :]) == _folded(venue_parts)
        for location in distinct
    ):
        return venue_parts
    if len(distinct) == 1 and len(_parts(distinct[0])) > 1:
        return _parts(distinct[0])
    return []


def location_rooms(locations, *, venue=""):
    """``(venue, {location: room name}, {locations naming several rooms})`` for a file.

    A LOCATION is "Room" or "Room, Venue" (our own export writes "Room, Event
    location"). The venue is the comma-separated tail that all the file's
    locations share, such as "Barcelona, Spain" (the file's own evidence comes
    first, so that the rooms stay the same when organisers edit the event).
    When the file cannot tell, the venue is ``venue`` (the existing event's
    location) where a location ends with it, else a lone location of several
    parts ("Barcelona, Spain") is all venue, while a lone single name ("Main
    Hall") is a room. A location that lists several of the file's rooms
    ("Arena, Room 8, Room 5": a break in every room) gets no room (""), as does
    a location that is only the venue.
    """
    distinct = sorted({location for location in locations if location})
    if not distinct:
        return "", {}, set()
    tail = _venue_parts(distinct, venue)
    rooms = {}
    for location in distinct:
        parts = _parts(location)
        if tail and _folded(parts[-len(tail) :]) == _folded(tail):
            parts = parts[: len(parts) - len(tail)]
        rooms[location] = ", ".join(parts)
    single = {room.casefold() for room in rooms.values() if room and "," not in room}
    several = {
        location
        for location, room in rooms.items()
        if "," in room and all(part in single for part in _folded(_parts(room)))
    }
    for location in several:
        rooms[location] = ""
    return ", ".join(tail), rooms, several
