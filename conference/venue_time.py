"""Wall-clock times at a venue, turned into instants and back.

Times are entered and shown as the venue's clock reads them, in the event's
IANA zone, and stored as aware datetimes. A wall-clock time that the zone
skips (the hour lost when clocks go forward) is refused rather than guessed.
One that it shows twice (the hour repeated when clocks go back) is read as
the first by ``venue_datetime``, as RFC 5545 and most programs read it;
``unambiguous_venue_datetime`` refuses it unless told which, for the forms
where a person can say.

The venue's day is defined here once (``venue_day_bounds`` and
``venue_local_date``), for every page, export, admin filter and the board.
"""

import bisect
import datetime
import functools
import zoneinfo

from django.utils.translation import gettext, ngettext

ONE_DAY = datetime.timedelta(days=1)


class NonexistentTimeError(ValueError):
    """The wall-clock time does not occur in the zone on that day."""


def venue_datetime(naive, zone):
    """The instant at which clocks in ``zone`` show ``naive``."""
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise NonexistentTimeError(
            gettext("%(time)s does not exist in %(zone)s: the clocks skip it.")
            % {"time": f"{naive:%Y-%m-%d %H:%M}", "zone": zone.key}
        )
    return aware


class AmbiguousTimeError(ValueError):
    """The wall-clock time occurs twice in the zone on that day: the clocks go back."""

    def __init__(self, naive, zone, instants):
        self.naive, self.zone, self.instants = naive, zone, instants
        first, second = instants
        later = _duration_words(second.astimezone(datetime.UTC) - first.astimezone(datetime.UTC))
        super().__init__(
            gettext(
                "%(time)s happens twice in %(zone)s: first at %(first)s, then %(later)s later "
                "at %(second)s, once the clocks go back."
            )
            % {
                "time": f"{naive:%Y-%m-%d %H:%M}",
                "zone": zone.key,
                "first": offset_words(first),
                "later": later,
                "second": offset_words(second),
            }
        )


def venue_instants(naive, zone):
    """Each instant at which clocks in ``zone`` show ``naive``, earliest first.

    None when the clocks skip it, two in the hour they repeat, else one.
    """
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    instants = []
    for fold in (0, 1):
        aware = naive.replace(tzinfo=zone, fold=fold)
        shows = aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
        if shows == naive and all(aware.utcoffset() != i.utcoffset() for i in instants):
            instants.append(aware)
    return instants


def unambiguous_venue_datetime(naive, zone, *, fold=None):
    """The instant at which clocks in ``zone`` show ``naive``, refused where not one.

    A skipped time raises ``NonexistentTimeError``; a repeated one raises
    ``AmbiguousTimeError`` unless ``fold`` says which (0 the first, 1 the second).
    The instant comes in UTC: two times of one zone compare and subtract as
    wall clocks, which the repeated hour makes wrong (its second 00:30 would
    count as before the first 00:45).
    """
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    instants = venue_instants(naive, zone)
    if not instants:
        venue_datetime(naive, zone)  # raises, with its message
    if len(instants) == 1:
        return instants[0].astimezone(datetime.UTC)
    if fold is None:
        raise AmbiguousTimeError(naive, zone, instants)
    return instants[fold].astimezone(datetime.UTC)


def offset_words(aware):
    """“UTC-04:00 (CDT)”: the offset of ``aware`` and its zone's abbreviation then."""
    offset = aware.strftime("%z")
    words = f"UTC{offset[:3]}:{offset[3:]}"
    name = aware.tzname()
    # Zones without an abbreviation of their own name it by the offset ("-04").
    return words if not name or name[0] in "+-" else f"{words} ({name})"


def _duration_words(delta):
    minutes = int(delta.total_seconds() // 60)
    if minutes == 60:
        return gettext("an hour")
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def venue_wall_clock(aware, zone):
    """What clocks in ``zone`` show at the instant ``aware``, without the zone."""
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    return aware.astimezone(zone).replace(tzinfo=None)


def describe_zone(zone, at=None):
    """“Europe/Madrid (CET, UTC+01:00)”: the zone's name, abbreviation and offset."""
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    moment = (at or datetime.datetime.now(datetime.UTC)).astimezone(zone)
    offset = moment.strftime("%z")
    return f"{zone.key} ({moment.tzname()}, UTC{offset[:3]}:{offset[3:]})"


@functools.lru_cache(maxsize=4096)
def _day_start(date, zone):
    """The first instant (in UTC) at which clocks in ``zone`` show ``date`` or later.

    Usually the venue's midnight, the first one where midnight comes twice.
    Where the clocks skip midnight (America/Santiago on 2024-09-08 goes from
    23:59:59 to 01:00) it is the instant they jump, so the day starts at 01:00.
    """
    midnight = datetime.datetime.combine(date, datetime.time(), tzinfo=zone)  # fold=0: the first
    instant = midnight.astimezone(datetime.UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == midnight.replace(tzinfo=None):
        return instant
    # Midnight falls in a gap. Read with the offset after the jump it names an
    # instant before the jump, with the offset before it one after (PEP 495):
    # the jump, on a whole second as every zone's transitions are, lies between.
    before = int(midnight.replace(fold=1).timestamp())
    seconds = range(before, int(instant.timestamp()) + 1)
    jump = bisect.bisect_left(seconds, True, key=lambda second: _clock_date(second, zone) >= date)
    return datetime.datetime.fromtimestamp(seconds[jump], datetime.UTC)


def _clock_date(timestamp, zone):
    return datetime.datetime.fromtimestamp(timestamp, zone).date()


def venue_day_bounds(date, zone):
    """``(start, end)``: the instants (aware, in UTC) between which ``date`` is the venue's day.

    ``start`` is the first instant at which the venue's clocks show ``date``
    (or a later date), ``end`` that of the next day, so a day may last 23,
    23.5, 24.5 or 25 hours, and the days of an event tile its time without
    gaps or overlaps. A date the zone skipped altogether (Pacific/Kiritimati
    went from 1994-12-30 to 1995-01-01, Pacific/Apia skipped 2011-12-30) has
    ``start == end``, the instant of the jump: a day of zero length that no
    talk falls in.
    """
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    start = _day_start(date, zone)
    return start, max(start, _day_start(date + ONE_DAY, zone))


def venue_local_date(instant, zone):
    """The venue's day that the aware datetime ``instant`` falls in (see ``venue_day_bounds``).

    The date the venue's clocks show, except where clocks were turned back
    across midnight (America/Goose_Bay until 2011 went from 00:01 back to
    23:01): that hour of the day before belongs to the day that had begun.
    """
    if isinstance(zone, str):
        zone = zoneinfo.ZoneInfo(zone)
    date = instant.astimezone(zone).date()
    while instant >= _day_start(date + ONE_DAY, zone):
        date += ONE_DAY
    return date
