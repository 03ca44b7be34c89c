"""The schedule as c3voc schedule.json (v1, ``https://c3voc.de/schedule/schema.json``)."""

import datetime
import json
import re
import zoneinfo

from schedule.formats.frab.exporter.data import export_datetime, hours_minutes
from schedule.importing.zones import zones_fitting

JSON_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# The schema's time_zone_name pattern, applied as jsonschema applies it (a search).
_JSON_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def json_zone_name(export):
    """The event's zone as the schema's pattern takes it; "" only if no zone could say it.

    The pattern refuses some IANA names: aliases such as ``US/Eastern`` and the
    fixed offsets ``Etc/GMT-2``. Those are named by a zone of a place that has
    the same offsets all through the event's years (``America/New_York``;
    ``Africa/Johannesburg`` for +02:00 without summer time), so readers show
    the same times. Only an offset no place keeps all year (-12:00) goes
    without a name; the offset on every time still says it.
    """
    name = export.time_zone_name
    if _JSON_ZONE_NAME.search(name):
        return name
    zone = zoneinfo.ZoneInfo(name)
    instants = [
        datetime.datetime(year, month, 1, 12, tzinfo=zone)
        for year in range(export.start.year, export.end.year + 1)
        for month in (1, 4, 7, 10)
    ] + [instant for day in export.days for instant in (day.start, day.end)]
    fitting = zones_fitting(instants, accept=_JSON_ZONE_NAME.search)
    return fitting[0] if fitting else ""


def _json_talk(talk):
    return {
        "guid": str(talk.guid),
        "id": talk.id,
        "date": export_datetime(talk.start),
        "start": f"{talk.start:%H:%M}",
        "end": export_datetime(talk.end),
        "duration": hours_minutes(talk.duration),
        "room": talk.room,
        "slug": talk.slug,
        "url": talk.url,
        "title": talk.title,
        "subtitle": talk.subtitle,
        "track": talk.track,
        "type": talk.type,
        "language": talk.language,
        "abstract": talk.abstract,
        "description": talk.description,
        "recording_license": talk.recording_license,
        "do_not_record": talk.do_not_record,
        # Both names, for readers that take only one of them (pretalx writes
        # public_name), and so no id: with name, public_name and id a person would
        # match both of the schema's person shapes, and must match exactly one.
        # The guid is the person's identity; the schema calls the id deprecated.
        "persons": [
            {"guid": str(person.guid), "name": person.name, "public_name": person.name}
            for person in talk.persons
        ],
        "links": [{"type": link.type, "url": link.url, "title": link.title} for link in talk.links],
    }


def render_schedule_json(export):
    """The schedule as c3voc schedule.json (v1), UTF-8 bytes valid against its JSON Schema."""
    conference = {
        "acronym": export.acronym,
        "title": export.title,
        "start": export.start.isoformat(),
        "end": export.end.isoformat(),
        "daysCount": len(export.days),
        "timeslot_duration": hours_minutes(export.timeslot_duration),
    }
    if zone_name := json_zone_name(export):
        conference["time_zone_name"] = zone_name
    conference |= {
        "url": export.url,
        "tracks": [
            {"name": track.name, "color": track.color}
            | ({"slug": track.slug} if track.slug else {})
            for track in export.tracks
        ],
        "rooms": [{"name": room.name, "guid": str(room.guid)} for room in export.rooms],
        "days": [
            {
                "index": day.index,
                "date": day.date.isoformat(),
                "day_start": export_datetime(day.start),
                "day_end": export_datetime(day.end),
                "rooms": {
                    day_room.room.name: [_json_talk(talk) for talk in day_room.talks]
                    for day_room in day.rooms
                },
            }
            for day in export.days
        ],
    }
    document = {
        "$schema": JSON_SCHEMA_URL,
        "generator": {"name": export.generator},
        "schedule": {
            "version": export.version,
            "base_url": export.base_url,
            "conference": conference,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()
