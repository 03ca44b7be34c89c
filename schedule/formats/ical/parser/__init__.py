"""Read an iCalendar (RFC 5545) file into plain data for the importer, without the database.

The values are decoded by the ``icalendar`` package; this package adds what it
lacks for an importer: line numbers, and refusing what it lets through.

The file is read once, and its bytes unfolded once (``content_lines``), each
content line keeping the physical line it began on; ``icalendar`` then parses
those same lines. Its parser keeps no positions (a component, a property, a
parse error carry no line), so the one thing done by hand is what gives the
lines: unfolding and the BEGIN/END structure, not the values.

- ``records``: the dataclasses a calendar is read into, :class:`ImportFileError`, and
  the talks' external ids.
- ``content_lines``: the file's bytes unfolded into content lines, and the
  components' structure, with lines.
- ``events``: one VEVENT read and checked: its times, description and speakers;
  an all-day event or one of no length is skipped with a warning.
- ``document``: :func:`parse_ics`, the whole file, its speakers settled across events.
- ``recurrences``: one talk per occurrence of a recurring event, and each talk's
  key (UID, and RECURRENCE-ID or start where a UID names several events).
- ``pretalx_titles``: a pretalx calendar's speakers, read from its titles.
- ``times``: :func:`event_times`, an event's aware start and end in the event's zone.
- ``locations``: :func:`location_rooms`, the venue and the rooms the LOCATIONs name.

The importer that decides what the readings mean for the database is
``schedule.formats.ical.importer``.
"""

from schedule.formats.ical.parser.content_lines import content_lines
from schedule.formats.ical.parser.document import parse_ics
from schedule.formats.ical.parser.locations import location_rooms
from schedule.formats.ical.parser.records import (
    IcsCalendar,
    IcsEvent,
    IcsSpeaker,
    IcsTimeError,
    clean_name,
    talk_external_id,
)
from schedule.formats.ical.parser.times import event_times

__all__ = [
    "IcsCalendar",
    "IcsEvent",
    "IcsSpeaker",
    "IcsTimeError",
    "clean_name",
    "content_lines",
    "event_times",
    "location_rooms",
    "parse_ics",
    "talk_external_id",
]
