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


# Zones people know, in the order a suggestion prefers them; the first that fits is named.
WELL_KNOWN_ZONES = (
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Madrid",
    "Europe/Helsinki",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
    "Atlantic/Azores",
    "America/Sao_Paulo",
    "America/Halifax",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Pacific/Pago_Pago",
)


def is_fixed_offset_zone(name):
    """Whether ``name`` is one of the ``Etc/GMT±N`` zones: an offset, no place, no summer time."""
    return name.startswith("Etc/GMT") and name not in ("Etc/GMT", "Etc/GMT+0", "Etc/GMT-0")


def zones_fitting(instants, *, accept=None):
    """IANA zones (well-known ones first) that give every aware datetime in ``instants`` its offset.

    ``accept`` filters the names further (a schema's pattern). Only zones of a
    place (``Region/City``) are named, never another ``Etc`` offset or an alias
    such as ``US/Eastern``.
    """
    instants = list(instants)
    names = [
        *WELL_KNOWN_ZONES,
        *sorted(set(known_zones()) - set(WELL_KNOWN_ZONES)),
    ]
    fitting = []
    for name in names:
        region = name.split("/", 1)[0]
        if "/" not in name or region in ("Etc", "US", "SystemV", "Brazil", "Canada", "Chile"):
            continue
        if accept is not None and not accept(name):
            continue
        zone = zoneinfo.ZoneInfo(name)
        if all(instant.astimezone(zone).utcoffset() == instant.utcoffset() for instant in instants):
            fitting.append(name)
    return fitting


def fixed_offset_advice(name, *, instants, how):
    """What an import says of an ``Etc/GMT±N`` zone, with a real zone to name; None for others.

    ``instants`` are the talks' (aware) starts, so the suggestion keeps their
    times; ``how`` says where the zone is named ("with --timezone").
    """
    if not is_fixed_offset_zone(name):
        return None
    zone = zoneinfo.ZoneInfo(name)
    suggestions = zones_fitting(instant.astimezone(zone) for instant in instants)[:1]
    example = f", e.g. {suggestions[0]}," if suggestions else ""
    return f"{name} is a fixed offset with no summer time; name the venue's zone{example} {how}"
