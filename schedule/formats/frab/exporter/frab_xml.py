"""The schedule as c3voc (frab) schedule XML, built with ElementTree, so text is escaped."""

import xml.etree.ElementTree as ET

from schedule.formats.frab.exporter.data import export_datetime, hours_minutes


def _element(parent, tag, text="", **attributes):
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _xml_talk(parent, talk):
    element = _element(parent, "event", id=str(talk.id), guid=str(talk.guid))
    _element(element, "date", export_datetime(talk.start))
    _element(element, "start", f"{talk.start:%H:%M}")
    _element(element, "duration", hours_minutes(talk.duration))
    _element(element, "room", talk.room)
    _element(element, "slug", talk.slug)
    _element(element, "url", talk.url)
    recording = _element(element, "recording")
    _element(recording, "license", talk.recording_license)
    _element(recording, "optout", "true" if talk.do_not_record else "false")
    _element(element, "title", talk.title)
    _element(element, "subtitle", talk.subtitle)
    _element(element, "track", talk.track or "")
    _element(element, "type", talk.type)
    _element(element, "language", talk.language)
    _element(element, "abstract", talk.abstract)
    _element(element, "description", talk.description)
    persons = _element(element, "persons")
    for person in talk.persons:
        _element(persons, "person", person.name, id=str(person.id), guid=str(person.guid))
    links = _element(element, "links")
    for link in talk.links:
        # Text only: child elements of a link have been read as the talk's title.
        _element(links, "link", link.title, href=link.url)


def render_schedule_xml(export):
    """The schedule as c3voc schedule XML, UTF-8 bytes valid against the c3voc XSD.

    ``<schedule>`` and ``<conference>`` open within the first few hundred
    bytes, as a reader that sniffs only the start of the file needs.
    """
    root = ET.Element("schedule")
    _element(root, "generator", name=export.generator)
    _element(root, "version", export.version)
    conference = _element(root, "conference")
    _element(conference, "acronym", export.acronym)
    _element(conference, "title", export.title)
    _element(conference, "start", export.start.isoformat())
    _element(conference, "end", export.end.isoformat())
    _element(conference, "days", str(len(export.days)))
    _element(conference, "timeslot_duration", hours_minutes(export.timeslot_duration))
    _element(conference, "time_zone_name", export.time_zone_name)
    _element(conference, "base_url", export.base_url)
    _element(conference, "url", export.url)
    for track in export.tracks:
        attributes = {"name": track.name, "color": track.color}
        if track.slug:
            attributes["slug"] = track.slug
        _element(conference, "track", track.name, **attributes)
    for day in export.days:
        day_element = _element(
            root,
            "day",
            index=str(day.index),
            date=day.date.isoformat(),
            start=export_datetime(day.start),
            end=export_datetime(day.end),
        )
        for day_room in day.rooms:
            room = _element(
                day_element, "room", name=day_room.room.name, guid=str(day_room.room.guid)
            )
            for talk in day_room.talks:
                _xml_talk(room, talk)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
