"""The venue's zone by its IANA name, as every importer looks it up.

No database: the parsers look up the zone a file names.
"""

import zoneinfo
from functools import cache

from schedule.importing.limits import excerpt


@cache
def known_zones():
    """The IANA names, as Event.time_zone's choices list them (read once: it scans the disk)."""
    return frozenset(zoneinfo.available_timezones())


def zone_named(name):
    """The ZoneInfo of the IANA zone ``name``, or None when there is no such zone."""
    return zoneinfo.ZoneInfo(name) if name in known_zones() else None


def unknown_zone_message(name, *, where="", example="Europe/Madrid"):
    """What an importer says of a zone name it does not know; ``where`` says who gave it."""
    return f'unknown time zone "{excerpt(name)}"{where}: expected an IANA name such as {example}'
