"""An event's start and end as aware instants, once the event's zone is known.

Floating times are read in that zone; a DURATION is exact time; a far-off
year, or an event that ends when or before it starts, makes no talk.
"""

import datetime

from conference.venue_time import NonexistentTimeError, venue_datetime
from schedule.formats.ical.parser.records import IcsTimeError
from schedule.importing.limits import YEARS


def _localised(value, zone, line, what, *, tzid=""):
    if value.tzinfo is not None:
        # A TZID's clock can name a time its zone skips, too. Kept, it would read as
        # written (03:15 after 02:45) but be an instant before the start (01:15 UTC after
        # 01:45 UTC), which the database refuses.
        wall = value.replace(tzinfo=None)
        if value.astimezone(datetime.UTC).astimezone(value.tzinfo).replace(tzinfo=None) != wall:
            # A zone a VTIMEZONE defines has no key: it is named by the TZID.
            name = getattr(value.tzinfo, "key", None) or tzid or "its zone"
            raise IcsTimeError(
                line, f"{what}: {wall:%Y-%m-%d %H:%M} does not exist in {name}: the clocks skip it."
            )
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
    start = _localised(
        event.start, zone, event.field_lines["start"], f"{label}: DTSTART", tzid=event.tzid
    )
    end = None
    if event.end is not None:
        end = _localised(event.end, zone, end_line, f"{label}: DTEND", tzid=event.tzid)
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
