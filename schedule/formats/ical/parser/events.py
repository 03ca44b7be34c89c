"""One VEVENT read into the values of a talk, skipped with a warning, or refused with its lines.

- A VEVENT with a date-time DTSTART becomes a talk. All-day events (DTSTART a
  date) are skipped with a warning: they are not sessions.
- A talk needs a length. An event that lasts no time is a marker ("registration
  opens"), not a talk: skipped with a warning, whether its DTEND equals its
  DTSTART, its DURATION is zero, or it has neither DTEND nor DURATION (RFC 5545,
  3.6.1, gives such an event no length; one with a date DTSTART lasts the day,
  and is skipped as all-day).
- An event without a SUMMARY takes its UID as the talk's title, with a warning.
- Recurring events (RRULE, RDATE) and their changed occurrences (RECURRENCE-ID)
  are read here as they are written; the parser expands them.
- Speakers are the ATTENDEEs' and the ORGANIZER's common names (CN) and the
  names on a "Speakers: A, B" line of the DESCRIPTION (our own export writes
  one; linux.conf.au writes "Speaker: A"). Room and resource ATTENDEEs and
  non-participants are not speakers. Whether the ORGANIZER is the conference
  rather than a speaker is settled across the whole file, by the parser.
- Times keep their zone: UTC, a TZID defined by a VTIMEZONE, or an IANA TZID
  without one. Floating times (no zone) stay naive here; ``event_times``
  places them in the event's zone, which is the importer's decision.
"""

import datetime
import re
from dataclasses import dataclass

from schedule.formats.ical.parser.records import IcsSpeaker, clean_name
from schedule.importing.limits import excerpt
from schedule.importing.names import tidy_text

# Properties the importer reads: a value of one of them that icalendar cannot
# parse refuses the file; a broken value of any other property is only reported.
READ_PROPERTIES = frozenset(
    {"UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "LOCATION", "DESCRIPTION", "URL"}
    | {"ATTENDEE", "ORGANIZER", "STATUS", "RRULE", "RDATE", "EXRULE", "RECURRENCE-ID"}
)
SINGLE_PROPERTIES = ("UID", "SUMMARY", "DTSTART", "DTEND", "DURATION", "LOCATION")
SINGLE_PROPERTIES += ("DESCRIPTION", "URL", "STATUS", "ORGANIZER")
NOT_SPEAKER_CUTYPES = frozenset({"ROOM", "RESOURCE"})
# icalendar's messages quote the content line: room for the line's start and the reason.
ICALENDAR_MESSAGE_LENGTH = 200
# No whitespace around the names and separators: clean_name strips it. Matched
# here, runs of spaces in a long line made these patterns backtrack for minutes.
_SPEAKERS_LINE = re.compile(r"^\s*+speakers?\s*+:(?P<names>.*)$", re.IGNORECASE)
_NAME_SEPARATOR = re.compile(r"[,;&]|\band\b", re.IGNORECASE)


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
                    f'{label}: {name}: unknown time zone "{excerpt(tzid)}": no VTIMEZONE of the '
                    "file defines it and it is not an IANA name such as Europe/Madrid",
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
    component: object = None  # the icalendar VEVENT, which a recurrence is expanded from
    repeats: bool = False  # RRULE or RDATE: the event is a rule, not one session
    recurrence_id: object = None  # the date or date-time of RECURRENCE-ID
    # Where the parser's messages point: the RRULE, the SUMMARY.
    lines: object = None


def _property_errors(component, lines, label, errors, warnings, source):
    """Record icalendar's complaints; ``True`` when one of them is about what we read."""
    refused = False
    for name, message in component.errors:
        said = excerpt(message, length=ICALENDAR_MESSAGE_LENGTH)
        if name is None:
            # A content line icalendar could not split into name and value.
            errors.append((lines.line_of_text(message), f"{label}: {said}"))
            refused = True
        elif name.upper() in READ_PROPERTIES:
            errors.append((lines.first(name.upper()), f"{label}: {excerpt(name)}: {said}"))
            refused = True
        else:
            warnings.append(
                f"{source}:{lines.first(name.upper())}: {label}: {excerpt(name)} ignored: {said}"
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


def _shape_errors(lines, *, uid, label):
    """What else than its times makes the event no talk, as ``(line, message)``."""
    if not uid:
        return [
            (lines.begin, f"{label} has no UID: it is what recognises the talk on the next import")
        ]
    return []


def _lasts_no_time(start, end, duration, lines):
    """Why an event with a date-time start lasts no time, or ``""`` when it has a length."""
    if "DTEND" not in lines.properties and duration is None:
        return "has neither DTEND nor DURATION, which RFC 5545 reads as no length"
    if duration == datetime.timedelta(0):
        return "lasts no time (its DURATION is zero)"
    # An aware and a naive time are never equal: the importer refuses that pair.
    if end is not None and (end.tzinfo is None) == (start.tzinfo is None) and end == start:
        return "lasts no time (its DTEND is its DTSTART)"
    return ""


def _times(component, lines, label, errors):
    """``(start, end, duration)``, ``SKIPPED`` for an all-day event, the reason an event
    lasts no time (a ``str``), or ``None`` on errors."""
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
    if len(errors) > count_before:
        return None
    return _lasts_no_time(start, end, duration, lines) or (start, end, duration)


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


def recurrence_id(component):
    """The RECURRENCE-ID's date or date-time (the occurrence a changed event replaces)."""
    prop = component.get("RECURRENCE-ID")
    return prop.dt if prop is not None else None


def read_event(component, lines, *, source, errors, warnings, markers):
    """A :class:`_Reading`, ``SKIPPED``, or ``None`` (errors and warnings recorded).

    The warning of an event that lasts no time goes to ``markers`` as well, so
    that the parser can say them in one line when there are many.
    """
    uid = _text(component, "UID").strip()
    title = " ".join(_text(component, "SUMMARY").split())
    label = f'event "{excerpt(title)}"' if title else f"event {excerpt(uid)}" if uid else "an event"
    if _property_errors(component, lines, label, errors, warnings, source):
        return None
    if repeated := _repeated_properties(lines, label):
        errors.extend(repeated)
        return None
    problems = _shape_errors(lines, uid=uid, label=label)
    errors.extend(problems)
    times = _times(component, lines, label, errors)
    if times is SKIPPED and not problems:
        warnings.append(
            f"{source}:{lines.first('DTSTART')}: {label} lasts whole days (DTSTART is a "
            "date), so it is not a talk; skipped"
        )
        return SKIPPED
    if isinstance(times, str) and not problems:
        markers.append(
            f"{source}:{lines.first('DTSTART')}: {label} {times}: a moment such as "
            '"registration opens", not a talk; skipped'
        )
        warnings.append(markers[-1])
        return SKIPPED
    if problems or times is None or not isinstance(times, tuple):
        return None
    untitled = not title
    if untitled:
        # The UID is all that names the event; an organiser can retitle the talk,
        # and a later import keeps that title (see the importer's talks).
        title = uid
        warnings.append(
            f"{source}:{lines.begin}: {label} has no SUMMARY; the talk is titled with its "
            f'UID, "{excerpt(uid)}"'
        )

    start, end, duration = times
    url = _text(component, "URL").strip()
    described, description = _description(component, url)
    organiser = component.get("ORGANIZER")
    organiser_name = clean_name(organiser.params.get("CN", "")) if organiser is not None else ""
    values = {
        "uid": uid,
        "line": lines.begin,
        "title": title,
        "title_from_uid": untitled,
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
        component=component,
        repeats="RRULE" in lines.properties or "RDATE" in lines.properties,
        recurrence_id=recurrence_id(component),
        lines=lines,
    )
