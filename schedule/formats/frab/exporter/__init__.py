"""The published schedule in the c3voc (frab) formats: schedule.xml and schedule.json.

Schedule apps (Giggity, EventFahrplan, ConfClerk) and the c3voc video tools
read these files. ``schedule_export_data`` gathers what both show into one
neutral structure; ``render_schedule_xml`` and ``render_schedule_json`` only
give it a form, so the two files never disagree. The rules readers depend on
(``shared/formats/README.md``) are kept in the structure, not in the renderers:

- Identities are stable: a talk's id and guid are its working talk's primary
  key (``Talk.stable_id``, the same in every release) and its UUID, a
  speaker's its primary key and UUID, a room's guid is derived from the
  event's slug and the room's name.
- Times are the venue's clock with its UTC offset; a day runs from midnight
  to midnight at the venue (later when a talk ends after midnight).
- Durations are ``HH:MM`` below a day, of the time that passes (not the
  clocks' difference across a change of the clocks); slugs and the acronym
  fit the patterns of both schemas; links hold absolute http(s) addresses only.
- Text carries no character XML 1.0 forbids, so a stray control character in
  a title cannot make the XML unreadable.
- Talks without a room (the 2012 agenda has no rooms at all) share one room
  named after the event's location, "Main" when it has none: every talk in
  the formats needs a room, and the location says truthfully where they are
  without inventing a hall. That room's guid is its own
  (``schedule.formats.frab.rooms``), so that importing the file back creates
  no room: its talks stay roomless and the event gets the location.
- The version is the name of the release shown; the ETag is a hash of the
  content (``export_etag``), so it changes whenever anything shown changes
  and only then: names of rooms and speakers stay live between releases.
"""

from schedule.formats.frab.exporter.data import (
    ScheduleExport,
    export_acronym,
    export_etag,
    export_slug,
    room_guid,
    schedule_export_data,
    schedule_last_modified,
)
from schedule.formats.frab.exporter.frab_json import render_schedule_json
from schedule.formats.frab.exporter.frab_xml import render_schedule_xml

__all__ = [
    "ScheduleExport",
    "export_acronym",
    "export_etag",
    "export_slug",
    "render_schedule_json",
    "render_schedule_xml",
    "room_guid",
    "schedule_export_data",
    "schedule_last_modified",
]
