"""The zone of an iCalendar import, and its talks' instants in it."""

import datetime

from schedule.formats.ical.parser import IcsTimeError, event_times
from schedule.importing.errors import ImportFileError, let_through_by
from schedule.importing.zones import unknown_zone_message, zone_named


def _zone_for(zone, calendar, event, *, source):
    """The IANA zone name of the import, and the line it was read from (or ``None``)."""
    line = None
    if zone:
        name, origin = zone, "--timezone"
    elif calendar.time_zone:
        name, origin = calendar.time_zone, "X-WR-TIMEZONE"
        line = calendar.field_lines.get("time_zone")
    elif event is not None:
        return event.time_zone
    elif counts := calendar.tzid_counts():
        name, origin = counts[0][0], "the TZID most events use"
    else:
        raise ImportFileError(
            [(None, let_through_by("--timezone", _no_zone_message(calendar)))], source
        )
    if zone_named(name) is None:
        message = let_through_by(
            "--timezone", unknown_zone_message(name, where=f" ({origin})") + "; pass --timezone"
        )
        raise ImportFileError([(line, message)], source)
    return name


def _no_zone_message(calendar):
    """Why a file without a zone is refused, said once for all its talks.

    Times in UTC are exact instants, but the venue's zone decides which day a
    talk is on (and the event's dates), so it is asked for rather than guessed.
    """
    count = len(calendar.events)
    talks = f"{count} talk{'s' if count != 1 else ''}"
    ask = "pass --timezone ZONE with the venue's zone, e.g. --timezone Europe/Berlin"
    starts = [event.start for event in calendar.events]
    if all(start.tzinfo is not None for start in starts):  # no TZID: every one is UTC
        first = min(starts).astimezone(datetime.UTC).date()
        return (
            f"no time zone: the file names none (no X-WR-TIMEZONE, no TZID) and the times of "
            f"its {talks} are UTC, which would put the first on {first.isoformat()} (a UTC "
            f"day); the venue's zone decides the talks' days: {ask}"
        )
    return (
        f"no time zone: the file names none (no X-WR-TIMEZONE, no TZID) and the times of its "
        f"{talks} are floating or UTC: {ask}"
    )


def zone_and_times(calendar, zone, event, *, source):
    """``(zone name, ZoneInfo, [(start, end)])``, or every problem of the file at once."""
    errors = list(calendar.errors)
    if not calendar.events:
        raise ImportFileError(
            errors or [(None, "no event of the file has a time: no talk")], source
        )
    try:
        zone_name = _zone_for(zone, calendar, event, source=source)
    except ImportFileError as error:
        raise ImportFileError([*errors, *error.errors], source) from None
    tz = zone_named(zone_name)
    times = []
    for entry in calendar.events:
        try:
            times.append(event_times(entry, tz))
        except IcsTimeError as error:
            errors.append((error.line, str(error)))
    if errors:
        raise ImportFileError(errors, source)
    return zone_name, tz, times
