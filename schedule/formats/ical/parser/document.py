""":func:`parse_ics`: a whole iCalendar file read into an :class:`IcsCalendar`.

Single events' problems do not stop the reading: they are collected with their
lines. What is settled across the file: an ORGANIZER who organises every event
of a file is the conference, not a speaker; a recurring event is one talk per
occurrence (``recurrences``); a pretalx calendar names its speakers in its
titles (``pretalx_titles``). Warnings of one kind that many events repeat
(markers of no length, repeated UIDs) are grouped into one line.
"""

import icalendar

from schedule.formats.ical.parser.content_lines import calendar_structure, content_lines
from schedule.formats.ical.parser.events import SKIPPED, read_event, recurrence_id
from schedule.formats.ical.parser.pretalx_titles import is_pretalx, pretalx_title_speakers
from schedule.formats.ical.parser.records import IcsCalendar, IcsEvent, clean_name
from schedule.formats.ical.parser.recurrences import talk_occurrences
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import ImportLimits, excerpt
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


def _markers_group(markers, source):
    """The one line that stands for the warnings of many events of no length."""
    if len(markers) < 2:
        return {}
    where = markers[0].split(": ", 1)[0]  # FILE:LINE of the first
    summary = (
        f"{where}: {len(markers)} events last no time (markers such as "
        '"registration opens", the first on this line), so they are not talks; skipped; '
        "-v 2 lists each"
    )
    return {summary: list(markers)}


def parse_ics(data, *, source="<calendar>", limits=None, speakers_from_titles=True):
    """An :class:`IcsCalendar` from the bytes of an iCalendar file.

    Raises :class:`ImportFileError` when the file cannot be read at all (not UTF-8,
    components not closed). The problems of single events do not stop the
    reading: they are collected in ``errors``, each with its line, so that the
    importer can report them with its own in one pass. A file of more events
    than ``limits.max_talks`` (an ``ImportLimits``) is refused before they are
    read, as is a recurrence that would make more talks than that.
    ``speakers_from_titles``: read a pretalx calendar's speakers from
    its titles (see ``pretalx_titles``).
    """
    limits = limits or ImportLimits()
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

    errors, readings, skipped, markers = [], [], 0, []
    skipped_occurrences = {}  # UID -> RECURRENCE-IDs of changed occurrences skipped
    for component, where in zip(components, event_lines, strict=True):
        reading = read_event(
            component, where, source=source, errors=errors, warnings=warnings, markers=markers
        )
        if reading is SKIPPED:
            skipped += 1
            if (occurrence := recurrence_id(component)) is not None:
                uid = str(component.get("UID", "")).strip()
                skipped_occurrences.setdefault(uid, []).append(occurrence)
        elif reading is not None:
            readings.append(reading)
    grouped = _markers_group(markers, source)

    if speakers_from_titles and is_pretalx(str(calendar.get("PRODID", ""))):
        pretalx_title_speakers(
            readings,
            prodid_line=calendar_lines.get("PRODID"),
            source=source,
            warnings=warnings,
        )
    talks, key_errors = talk_occurrences(
        readings,
        skipped=skipped_occurrences,
        source=source,
        limits=limits,
        warnings=warnings,
        grouped=grouped,
    )
    errors += key_errors
    organiser = _conference_organiser(readings)
    events = tuple(
        IcsEvent(speakers=_speakers(reading, organiser), **values) for reading, values in talks
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
        grouped_warnings=grouped,
    )
