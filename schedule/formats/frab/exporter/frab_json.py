"""The schedule as c3voc schedule.json (v1, ``https://c3voc.de/schedule/schema.json``)."""

import json
import re

from schedule.formats.frab.exporter.data import export_datetime, hours_minutes

JSON_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# The schema's time_zone_name pattern, applied as jsonschema applies it (a search).
_JSON_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


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
        # The pretalx person shape (name) and never the frab one (public_name
        # and id together) as well: a person must match exactly one of them.
        "persons": [
            {"guid": str(person.guid), "id": person.id, "name": person.name}
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
    # The schema's pattern refuses some IANA names (US/Eastern, Etc/GMT-2); the
    # offset on every time still says it all, so leave the name out rather
    # than write an invalid file.
    if _JSON_ZONE_NAME.search(export.time_zone_name):
        conference["time_zone_name"] = export.time_zone_name
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
