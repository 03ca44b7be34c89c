"""When a frab schedule happens: the venue's zone, each talk's start and end, the event's dates.

Real files write a talk's time twice: ``<date>``, an instant with an offset
(the venue's in pretalx and hub files, UTC's in wafer's), and ``<start>``, the
venue's clock. The instant is used; the clock must agree with it in the venue's
zone, and a talk should fall within its ``<day>``'s start and end. A file
without ``<date>`` is read the older way: the day's date and ``<start>``, a day
later when the clock is before the day begins (talks after midnight belong to
the day they are listed in).

The zone is the one the organiser names (``--timezone``), else the file's
``<time_zone_name>``. Without either, the existing event's zone is kept if the
file's offsets agree with it; a new event gets the one fixed offset that every
``<date>`` has (``Etc/GMT-1`` for +01:00), and a file whose offsets change
(summer time) is refused: only a name can say which zone.

A ``<date>`` whose offset is not the zone's (a file merged from events streamed
from several cities) still names one instant: it is used, the talk's
``<start>`` may be the clock of that offset, and each such talk is reported
(:func:`foreign_offset_warnings`).
"""

import datetime
import zoneinfo

from conference.venue_time import NonexistentTimeError, venue_datetime
from schedule.importing.errors import ImportFileError, let_through_by
from schedule.importing.limits import YEARS
from schedule.importing.zones import unknown_zone_message, zone_named

ONE_DAY = datetime.timedelta(days=1)
TIME_ZONE_HINT = (
    "add <time_zone_name> with the venue's IANA zone to the file, or pass --timezone ZONE, "
    "e.g. Europe/Berlin"
)


def fixed_offset_zone(offset):
    """The IANA zone that is always ``offset`` from UTC, or ``None`` if there is none.

    Only whole hours have one; the ``Etc/GMT`` zones count the other way round
    (POSIX's sign): UTC+01:00 is ``Etc/GMT-1``.
    """
    hours, rest = divmod(offset, datetime.timedelta(hours=1))
    if rest or not -12 <= hours <= 14:
        return None
    return zoneinfo.ZoneInfo("UTC" if hours == 0 else f"Etc/GMT{-hours:+d}")


def format_offset(offset):
    sign = "-" if offset < datetime.timedelta(0) else "+"
    minutes = abs(offset) // datetime.timedelta(minutes=1)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def date_offsets(schedule):
    """``{offset: line of its first <date>}`` over the talks whose ``<date>`` has one."""
    offsets = {}
    for talk in schedule.talks:
        if talk.date is not None and talk.date.tzinfo is not None:
            offsets.setdefault(talk.date.utcoffset(), talk.time_line)
    return offsets


def zone_fits(zone, schedule):
    """Whether every ``<date>`` offset is the one ``zone`` has at that instant."""
    return all(
        talk.date.astimezone(zone).utcoffset() == talk.date.utcoffset()
        for talk in schedule.talks
        if talk.date is not None and talk.date.tzinfo is not None
    )


def _given_zone(name, schedule, *, source):
    """``(zone, warnings)`` for the zone the organiser named, which wins over the file's."""
    zone = zone_named(name)
    if zone is None:
        message = unknown_zone_message(name, where=" (--timezone)", example="Europe/Berlin")
        raise ImportFileError([(None, message)], source)
    if schedule.time_zone is None or schedule.time_zone.key == zone.key:
        return zone, []
    line = schedule.field_lines.get("time_zone", schedule.line)
    return zone, [(line, f"<time_zone_name> says {schedule.time_zone.key}; using {zone.key}")]


def schedule_zone(schedule, *, current=None, given=None, source="<frab>"):
    """``(zone, warnings)``: the venue's zone for ``schedule``.

    ``given`` is the IANA name the organiser passed (``--timezone``), if any;
    ``current`` is the existing event's zone, if there is one. ``warnings`` are
    ``(line, message)``. Raises :class:`ImportFileError` when no zone can be told.
    """
    if given:
        return _given_zone(given, schedule, source=source)
    if schedule.time_zone is not None:
        return schedule.time_zone, []
    offsets = date_offsets(schedule)
    listed = ", ".join(
        f"{format_offset(offset)} (line {line})" for offset, line in sorted(offsets.items())
    )
    if current is not None:
        if zone_fits(current, schedule):
            return current, []
        message = (
            f"no <time_zone_name>, and the <date> offsets {listed} are not those of the "
            f"event's zone {current.key}; {TIME_ZONE_HINT}"
        )
    elif not offsets:
        message = (
            f"no time zone: no <time_zone_name>, and no <date> with an offset; {TIME_ZONE_HINT}"
        )
    elif len(offsets) > 1 or (zone := fixed_offset_zone(next(iter(offsets)))) is None:
        message = (
            f"no <time_zone_name>, and the <date> offsets {listed} fit no fixed-offset zone; "
            f"{TIME_ZONE_HINT}"
        )
    else:
        warning = (
            f"no <time_zone_name>: using {zone.key}, the offset of every <date>; "
            "set the event's zone to the venue's own for pages in summer and winter time"
        )
        return zone, [(schedule.line, warning)]
    raise ImportFileError([(schedule.line, let_through_by("--timezone", message))], source)


def _day_begins(day, schedule, zone):
    """The venue's clock time when ``day`` begins, where the file says."""
    if day.start is not None:
        start = day.start.astimezone(zone) if day.start.tzinfo else day.start
        if day.date is None or start.date() == day.date:
            return start.time()
    return schedule.day_change


def _start_from_day(talk, schedule, zone):
    """The start of a talk without ``<date>``: its day's date and its clock."""
    date = talk.day.date
    begins = _day_begins(talk.day, schedule, zone)
    if begins is not None and talk.clock < begins:
        date += ONE_DAY
    return venue_datetime(datetime.datetime.combine(date, talk.clock), zone)


def _outside_day(start, day, zone):
    """Whether ``start`` falls outside ``day``, as far as the file bounds it."""
    if day.start is not None and day.end is not None and day.start.tzinfo and day.end.tzinfo:
        return not day.start <= start <= day.end
    if day.date is not None:
        return start.astimezone(zone).date() not in (day.date, day.date + ONE_DAY)
    return False


def _has_foreign_offset(talk, zone):
    """Whether the talk's ``<date>`` has an offset that is not ``zone``'s at that instant."""
    date = talk.date
    return (
        date is not None
        and date.tzinfo is not None
        and date.astimezone(zone).utcoffset() != date.utcoffset()
    )


def _on_another_clock(talk, zone):
    """Whether the talk is written on the clock of another place than the venue.

    A ``<date>`` in UTC whose ``<start>`` is the venue's clock (wafer writes
    them so), or one in UTC without ``<start>``, only spells the instant
    differently: that is not worth a warning.
    """
    if not _has_foreign_offset(talk, zone):
        return False
    if talk.clock is None:
        return bool(talk.date.utcoffset())
    venue = talk.date.astimezone(zone)
    return (venue.hour, venue.minute) != (talk.clock.hour, talk.clock.minute)


def foreign_offset_warnings(schedule, zone):
    """``(line, message)`` per talk written on another place's clock than ``zone``'s.

    :func:`talk_times` takes their ``<date>``'s instants; these say so, one per talk.
    """
    warnings = []
    for talk in schedule.talks:
        if _on_another_clock(talk, zone):
            venue = talk.date.astimezone(zone)
            warnings.append(
                (
                    talk.time_line,
                    f"{talk.label}: <date> {talk.date.isoformat()} is not on the offset of "
                    f"{zone.key} ({format_offset(venue.utcoffset())} then); using its instant, "
                    f"{venue:%Y-%m-%d %H:%M} in {zone.key}",
                )
            )
    return warnings


def _clock_fits(talk, start, zone):
    """Whether ``<start>`` is the venue's clock at ``start``, or that of ``<date>``'s offset."""
    clock = talk.clock
    if clock is None or (start.hour, start.minute) == (clock.hour, clock.minute):
        return True
    # A talk streamed from another city gives its own clock, which its <date> agrees with.
    own = talk.date
    return _has_foreign_offset(talk, zone) and (own.hour, own.minute) == (clock.hour, clock.minute)


def talk_times(schedule, zone, *, source="<frab>"):
    """``(times, warnings)``: aware ``(start, end)`` per talk in file order, in ``zone``.

    Raises :class:`ImportFileError` for a ``<start>`` that contradicts ``<date>``, and
    for clock times the zone skips. A ``<date>`` on another offset than the zone's is
    taken as the instant it names; :func:`foreign_offset_warnings` reports those.
    """
    times, warnings, errors = [], [], []
    for talk in schedule.talks:
        try:
            if talk.date is None:
                start = _start_from_day(talk, schedule, zone)
            elif talk.date.tzinfo is None:
                start = venue_datetime(talk.date, zone)
            else:
                start = talk.date.astimezone(zone)
        except NonexistentTimeError as error:
            errors.append((talk.time_line, f"{talk.label}: {error}"))
            continue
        clock = talk.clock
        if not _clock_fits(talk, start, zone):
            errors.append(
                (
                    talk.field_lines.get("start", talk.line),
                    f"{talk.label}: <date> {talk.date.isoformat()} is {start:%H:%M} in "
                    f"{zone.key}, but <start> says {clock:%H:%M}",
                )
            )
            continue
        if _outside_day(start, talk.day, zone):
            warnings.append(
                (
                    talk.time_line,
                    f"{talk.label}: {start:%Y-%m-%d %H:%M} {zone.key} is outside its "
                    f'<day index="{talk.day.index}"> (line {talk.day.line}); using the time',
                )
            )
        # Elapsed time, not wall-clock time, across a change of the clocks.
        end = (start.astimezone(datetime.UTC) + talk.duration).astimezone(zone)
        times.append((start, end))
    if errors:
        raise ImportFileError(errors, source)
    return times, warnings


def _local_date(value, zone, *, is_end=False):
    if not isinstance(value, datetime.datetime):
        return value
    local = value.astimezone(zone) if value.tzinfo else value
    # An event that ends at midnight ends on the day before.
    if is_end and local.time() == datetime.time(0):
        return local.date() - ONE_DAY
    return local.date()


def event_dates(schedule, zone, times, *, source="<frab>"):
    """``(start_date, end_date)`` of the event at the venue.

    From the conference's ``<start>`` and ``<end>`` (or ``<days>``), else from
    the days' dates, else from the talks. Raises :class:`ImportFileError` when the
    file gives none, or an end before the start.
    """
    start = _local_date(schedule.start, zone) if schedule.start else None
    end = _local_date(schedule.end, zone, is_end=True) if schedule.end else None
    if start is not None and end is None and schedule.days_count:
        # Checked before adding: a count of days past the last year would overflow.
        if schedule.days_count - 1 > (datetime.date(YEARS[1], 12, 31) - start).days:
            line = schedule.field_lines.get("end_date", schedule.line)
            message = (
                f"<days> {schedule.days_count}: a conference from {start} would end after "
                f"the year {YEARS[1]}"
            )
            raise ImportFileError([(line, message)], source)
        end = start + ONE_DAY * (schedule.days_count - 1)
    day_dates = sorted(day.date for day in schedule.days if day.date is not None)
    first_talk = min((talk_start for talk_start, _ in times), default=None)
    last_talk = max((talk_end for _, talk_end in times), default=None)
    if start is None:
        start = day_dates[0] if day_dates else first_talk and first_talk.astimezone(zone).date()
    if end is None:
        end = (
            day_dates[-1] if day_dates else last_talk and _local_date(last_talk, zone, is_end=True)
        )
    if start is None:
        raise ImportFileError(
            [
                (
                    schedule.line,
                    "the conference has no dates: expected <start> and <end>, <day date=…> "
                    "or talks",
                )
            ],
            source,
        )
    end = end or start
    if end < start:
        line = schedule.field_lines.get("end_date", schedule.line)
        raise ImportFileError(
            [(line, f"the conference ends ({end}) before it starts ({start})")], source
        )
    return start, end
