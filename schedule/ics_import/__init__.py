"""Read an iCalendar (RFC 5545) file into plain data for the importer, without the database.

The values are decoded by the ``icalendar`` package; this package adds what it
lacks for an importer: line numbers, and refusing what it lets through.

- ``records``: the dataclasses a calendar is read into, :class:`IcsError`, and
  the talks' external ids.
- ``content_lines``: the file's bytes unfolded into content lines, and the
  components' structure, with lines.
- ``events``: one VEVENT read and checked: its times, description and speakers.
- ``parser``: :func:`parse_ics`, the whole file, its speakers settled across events.
- ``times``: :func:`event_times`, an event's aware start and end in the event's zone.
- ``locations``: :func:`location_rooms`, the venue and the rooms the LOCATIONs name.

The importer that decides what the readings mean for the database is
``schedule.services.ics_import``.
"""

from schedule.ics_import.content_lines import content_lines
from schedule.ics_import.locations import location_rooms
from schedule.ics_import.parser import parse_ics
from schedule.ics_import.records import (
    IcsCalendar,
    IcsError,
    IcsEvent,
    IcsSpeaker,
    IcsTimeError,
    clean_name,
    talk_external_id,
)
from schedule.ics_import.times import event_times, is_iana_zone

__all__ = [
    "IcsCalendar",
    "IcsError",
    "IcsEvent",
    "IcsSpeaker",
    "IcsTimeError",
    "clean_name",
    "content_lines",
    "event_times",
    "is_iana_zone",
    "location_rooms",
    "parse_ics",
    "talk_external_id",
]
