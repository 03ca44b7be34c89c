"""Wall-clock times at a venue, turned into instants and back.

Times are entered and shown as the venue's clock reads them, in the event's
IANA zone, and stored as aware datetimes. A wall-clock time that the zone
skips (the hour lost when clocks go forward) is refused rather than guessed.
"""

import datetime
import zoneinfo


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
            f"{naive:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks skip it."
        )
    return aware


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
