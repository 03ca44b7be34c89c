""":func:`parse_ics`: a whole iCalendar file read into an :class:`IcsCalendar`.

Single events' problems do not stop the reading: they are collected with their
lines. The speakers are settled across the file: an ORGANIZER who organises
every event of a file is the conference, not a speaker.
"""

import icalendar

from schedule.formats.ical.parser.content_lines import calendar_structure, content_lines
from schedule.formats.ical.parser.events import SKIPPED, read_event
from schedule.formats.ical.parser.records import IcsCalendar, IcsEvent, clean_name
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import excerpt
from schedule.importing.names import name_key


def _speakers(reading, conference_organiser):
    """The reading's speakers in order (attendees, organiser, description), each once."""
    found = [*reading.attendees]
    if reading.organiser and name_key(reading.organiser.name) != conference_organiser:
        found.append(reading.organiser)
    found += reading.described
    speakers, seen = [], set()
    for speaker in found:
        if name_key(speaker.name) not in seen:
            seen.add(name_key(speaker.name))
            speakers.append(speaker)
    return tuple(speakers)


def _conference_organiser(readings):
    """The name key of an ORGANIZER named by every event of a file of several, or ``None``."""
    keys = {name_key(r.organiser.name) if r.organiser else None for r in readings}
    if len(readings) > 1 and len(keys) == 1:
        return keys.pop()
    return None


def _duplicate_uids(readings, errors):
    first_line = {}
    for reading in readings:
        uid, line = reading.values["uid"], reading.values["line"]
        if uid in first_line:
            errors.append(
                (
                    line,
                    f'the UID "{excerpt(uid)}" is already used by the event on line '
                    f"{first_line[uid]}",
                )
            )
        else:
            first_line[uid] = line


def parse_ics(data, *, source="<calendar>", limits=None):
    """An :class:`IcsCalendar` from the bytes of an iCalendar file.

    Raises :class:`ImportFileError` when the file cannot be read at all (not UTF-8,
    components not closed). The problems of single events do not stop the
    reading: they are collected in ``errors``, each with its line, so that the
    importer can report them with its own in one pass. A file of more events
    than ``limits.max_talks`` (an ``ImportLimits``) is refused before they are read.
    """
    lines, warnings = content_lines(data, source=source)
    try:
        calendar_lines, event_lines = calendar_structure(lines, limits=limits)
    except ValueError as error:
        raise ImportFileError([error.args], source) from None
    try:
        calendar = icalendar.Calendar.from_ical("\r\n".join(line.text for line in lines) + "\r\n")
    except ValueError as error:
        raise ImportFileError(
            [(None, f"unreadable calendar: {excerpt(error, length=200)}")], source
        ) from None
    components = calendar.walk("VEVENT")
    if len(components) != len(event_lines):
        raise ImportFileError(
            [(None, f"read {len(components)} events where the file has {len(event_lines)}")],
            source,
        )
    if not components:
        raise ImportFileError([(None, "the calendar has no events (VEVENT)")], source)

    errors, readings, skipped = [], [], 0
    for component, where in zip(components, event_lines, strict=True):
        reading = read_event(component, where, source=source, errors=errors, warnings=warnings)
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
