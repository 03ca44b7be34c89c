"""frab schedule XML read into plain data, without the database.

- ``reader``: untrusted bytes to an ElementTree with line numbers, entities refused.
- ``values``: single values (durations, clocks, dates, kinds, prose) from their text.
- ``records``: the dataclasses a schedule is read into, and :class:`FrabError`.
- ``parser``: :func:`parse_frab`, the walk over the tree.
- ``times``: the venue's zone, the talks' instants and the event's dates.

The importer that writes it all to the database is ``schedule.services.frab_import``.
"""

from schedule.frab.parser import parse_frab
from schedule.frab.records import (
    FrabDay,
    FrabError,
    FrabPerson,
    FrabRoom,
    FrabSchedule,
    FrabTalk,
    FrabTrack,
)
from schedule.frab.times import event_dates, schedule_zone, talk_times

__all__ = [
    "FrabDay",
    "FrabError",
    "FrabPerson",
    "FrabRoom",
    "FrabSchedule",
    "FrabTalk",
    "FrabTrack",
    "event_dates",
    "parse_frab",
    "schedule_zone",
    "talk_times",
]
