"""frab schedule XML read into plain data, without the database.

- ``reader``: untrusted bytes to an ElementTree with line numbers, entities refused.
- ``values``: single values (durations, clocks, dates, kinds, prose) from their text.
- ``records``: the dataclasses a schedule is read into, and :class:`ImportFileError`.
- ``parser``: :func:`parse_frab`, the walk over the tree.
- ``times``: the venue's zone, the talks' instants and the event's dates.

The importer that writes it all to the database is ``schedule.formats.frab.importer``.
"""

from schedule.formats.frab.parser.document import parse_frab
from schedule.formats.frab.parser.records import (
    FrabDay,
    FrabPerson,
    FrabRoom,
    FrabSchedule,
    FrabTalk,
    FrabTrack,
)
from schedule.formats.frab.parser.times import (
    event_dates,
    foreign_offset_warnings,
    schedule_zone,
    talk_times,
)

__all__ = [
    "FrabDay",
    "FrabPerson",
    "FrabRoom",
    "FrabSchedule",
    "FrabTalk",
    "FrabTrack",
    "event_dates",
    "foreign_offset_warnings",
    "parse_frab",
    "schedule_zone",
    "talk_times",
]
