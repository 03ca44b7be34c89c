"""frab schedule XML and JSON read into plain data, without the database.

- ``reader``: untrusted bytes to an ElementTree with line numbers, entities refused.
- ``values``: single values (durations, clocks, dates, kinds, prose) from their text.
- ``records``: the dataclasses a schedule is read into, and :class:`ImportFileError`.
- ``document``: :func:`parse_frab`, the walk over the XML tree.
- ``json_reader``: untrusted JSON to Python values that know their lines.
- ``json_document``: :func:`parse_frab_json`, schedule.json into the same records.
- ``detect``: :func:`parse_schedule`, either format, told by its content.
- ``times``: the venue's zone, the talks' instants and the event's dates.

The importer that writes it all to the database is ``schedule.formats.frab.importer``.
"""

from schedule.formats.frab.parser.detect import parse_schedule
from schedule.formats.frab.parser.document import parse_frab
from schedule.formats.frab.parser.json_document import parse_frab_json
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
    "parse_frab_json",
    "parse_schedule",
    "schedule_zone",
    "talk_times",
]
