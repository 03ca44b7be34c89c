"""The neutral structure both schedule exports are rendered from, and how it is built.

Every rule the formats' readers depend on is applied here, once, so that the
XML and JSON renderers only give the same values a form.
"""

import dataclasses
import datetime
import hashlib
import json
import math
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urljoin

from django.db.models import Max
from django.urls import reverse
from django.utils.text import slugify

from infrastructure.rich_text import export_source, web_url
from schedule.formats.frab.rooms import (
    ROOM_GUID_NAMESPACE,
    ROOMLESS_ROOM_NAME,
    roomless_room_guid,
)
from schedule.formats.ical.exporter import talk_url
from schedule.importing.people import guid_of_external_id
from schedule.models import Release, Talk
from schedule.selectors import schedule_talks

# Part of the version: bump it when the files change form while the data stays
# the same, so that readers holding the old form fetch the new one.
FORMAT_REVISION = "1"
GENERATOR_NAME = "conference"
TALK_LINK_TITLE = "Talk page"
ACRONYM_MIN_LENGTH = 4
SLUG_TITLE_LENGTH = 60
# Readers parse a duration as hours and minutes of one day.
LONGEST_DURATION_MINUTES = 23 * 60 + 59
_MINUTE = datetime.timedelta(minutes=1)

# Everything outside XML 1.0's Char production: most C0 controls, lone
# surrogates, U+FFFE and U+FFFF.
_NOT_XML_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TRACK_SLUG = re.compile(r"[a-z][a-z0-9-]*[a-z0-9]")  # what both schemas accept


@dataclass(frozen=True)
class ExportPerson:
    id: int
    guid: uuid.UUID
    name: str


@dataclass(frozen=True)
class ExportLink:
    url: str
    title: str
    type: str  # one of the JSON Schema's reference types: "web", "slides", …


@dataclass(frozen=True)
class ExportTalk:
    id: int
    guid: uuid.UUID
    start: datetime.datetime  # the venue's clock
    end: datetime.datetime
    room: str
    slug: str
    url: str
    title: str
    subtitle: str
    track: str | None
    type: str
    language: str
    abstract: str
    description: str
    recording_license: str
    do_not_record: bool
    persons: tuple[ExportPerson, ...]
    links: tuple[ExportLink, ...]

    @property
    def duration(self):
        # Elapsed time, not the clocks' difference: two times of one zone subtract
        # as wall clocks, which is an hour off across a change of the clocks.
        return self.end.astimezone(datetime.UTC) - self.start.astimezone(datetime.UTC)


@dataclass(frozen=True)
class ExportRoom:
    name: str
    guid: uuid.UUID


@dataclass(frozen=True)
class ExportDayRoom:
    room: ExportRoom
    talks: tuple[ExportTalk, ...]


@dataclass(frozen=True)
class ExportDay:
    index: int
    date: datetime.date
    start: datetime.datetime  # the venue's clock
    end: datetime.datetime
    rooms: tuple[ExportDayRoom, ...]  # every room of the export, in order


@dataclass(frozen=True)
class ExportTrack:
    name: str
    color: str
    slug: str  # "" when the track's slug fits neither schema's pattern


@dataclass(frozen=True)
class ScheduleExport:
    version: str
    generator: str
    base_url: str
    url: str
    acronym: str
    title: str
    start: datetime.date
    end: datetime.date
    time_zone_name: str
    timeslot_duration: datetime.timedelta
    tracks: tuple[ExportTrack, ...]
    rooms: tuple[ExportRoom, ...]
    days: tuple[ExportDay, ...]

    @property
    def talks(self):
        return [talk for day in self.days for day_room in day.rooms for talk in day_room.talks]


def export_text(value):
    """``value`` as text any reader takes: only characters XML 1.0 allows, ``\\n`` line ends.

    XML parsers turn a carriage return into a line feed, so the XML and JSON
    files would otherwise disagree about text that has one.
    """
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML_CHARACTER.sub("", value)


def export_acronym(event):
    """The event's slug as both schemas' acronym: ``[a-z0-9_]{4,}`` ("kvm-forum" → "kvm_forum")."""
    acronym = re.sub(r"[^a-z0-9_]", "", event.slug.lower().replace("-", "_"))
    return acronym.ljust(ACRONYM_MIN_LENGTH, "_")


def export_slug(talk, *, acronym):
    """``<acronym>-<id>-<title>``: unique through the id, and of the form both schemas want.

    Lowercase ASCII ending in a letter or digit; a title with nothing to
    slugify (only punctuation or non-Latin script) leaves the id, padded with
    zeros to the four characters the XSD asks for after the acronym.
    """
    title = slugify(talk.title)[:SLUG_TITLE_LENGTH].strip("-_")
    tail = "-".join(part for part in (str(talk.stable_id), title) if part)
    if len(tail) < 4:
        tail = "-".join(part for part in (f"{talk.stable_id:04d}", title) if part)
    return f"{acronym}-{tail}"


def export_person_guid(speaker):
    """The guid the speaker was imported with, else the speaker's own UUID: stable either way.

    Giving back the imported guid lets the file's source, and our import, find
    the same person again; the UUID is the speaker's for good (it never changes).
    """
    return guid_of_external_id(speaker.external_id) or speaker.uuid


def room_guid(event, name):
    """The guid of the event's room called ``name``, the same in every export."""
    return uuid.uuid5(ROOM_GUID_NAMESPACE, f"room:{event.slug}:{name}")


def hours_minutes(delta):
    """``HH:MM`` of whole minutes, as readers expect a duration; at most 23:59."""
    minutes = min(int(delta.total_seconds() // 60), LONGEST_DURATION_MINUTES)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def export_datetime(value):
    """An aware datetime in ISO 8601 with its offset: ``2012-11-07T09:00:00+01:00``."""
    return value.isoformat(timespec="seconds")


def _room_names(event, rooms, *, has_roomless_talks):
    """Each room's name in the exports by pk (``None``: talks without a room), unique, in order.

    Both formats key talks by room name, so two rooms of one name would merge:
    the later ones get a number.
    """
    wanted = [(room.pk, room.name) for room in rooms]
    if has_roomless_talks:
        wanted.append((None, event.location))
    names, taken = {}, set()
    for key, name in wanted:
        base = " ".join(export_text(name).split()) or ROOMLESS_ROOM_NAME
        candidate, number = base, 2
        while candidate in taken:
            candidate = f"{base} ({number})"
            number += 1
        names[key] = candidate
        taken.add(candidate)
    return names


def _timeslot(talks):
    """The longest step (an hour at most) of which every start and length is a multiple."""
    minutes = [60]
    for talk in talks:
        minutes += [talk.start.hour * 60 + talk.start.minute, int(talk.duration / _MINUTE)]
    return datetime.timedelta(minutes=math.gcd(*minutes))


def _export_talk(talk, *, event, acronym, room_name, base_url):
    url = talk_url(talk, event=event, base_url=base_url)
    return ExportTalk(
        id=talk.stable_id,
        guid=talk.uuid,
        start=event.local_time(talk.start),
        end=event.local_time(talk.end),
        room=room_name,
        slug=export_slug(talk, acronym=acronym),
        url=url,
        title=export_text(talk.title),
        subtitle=export_text(talk.subtitle),
        track=export_text(talk.track.name) if talk.track_id else None,
        type=export_text(talk.kind),
        language=export_text(talk.language),
        # The abstract as it is stored, not rendered (see export_source): an import
        # stores it back unchanged, "Aktivist\*innen" and every line break kept.
        abstract=export_text(export_source(talk.abstract)),
        # The abstract is all the text a talk has, and readers that show both
        # fields one after the other would show it twice.
        description="",
        recording_license="",
        do_not_record=talk.do_not_record,
        persons=tuple(
            ExportPerson(
                id=link.speaker.pk,
                guid=export_person_guid(link.speaker),
                name=export_text(link.speaker.name),
            )
            for link in talk.talk_speakers.all()
        ),
        links=(ExportLink(url=url, title=TALK_LINK_TITLE, type="web"),),
    )


def _export_days(event, talks, rooms):
    """The days of the event and of any talk outside them, each with every room's talks.

    ``talks`` are ``(room key, ExportTalk)`` pairs in time order; ``rooms`` maps
    room keys to rooms in the order the files list them.
    """
    by_day_and_room = defaultdict(list)
    for key, talk in talks:
        by_day_and_room[event.local_date(talk.start), key].append(talk)
    dates = sorted(set(event.days) | {date for date, _ in by_day_and_room})
    days = []
    for index, date in enumerate(dates, start=1):
        day_rooms = tuple(
            ExportDayRoom(room=room, talks=tuple(by_day_and_room.get((date, key), ())))
            for key, room in rooms.items()
        )
        start, end = (event.local_time(instant) for instant in event.day_bounds(date))
        days.append(
            ExportDay(
                index=index,
                date=date,
                start=start,
                # A talk that runs past midnight keeps its day open until it ends.
                end=max([end, *(t.end for r in day_rooms for t in r.talks)]),
                rooms=day_rooms,
            )
        )
    return tuple(days)


def export_etag(export):
    """The first 12 hex digits of a SHA-256 of everything ``export`` shows, version included.

    The version is the release's name, but rooms and speakers' names stay live
    between releases, so the ETag follows the content, not the name alone.
    """
    content = dataclasses.asdict(export)
    payload = json.dumps([FORMAT_REVISION, content], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def schedule_export_data(event, *, base_url, release=None):
    """What both exports show of a release of ``event`` (its current one by default).

    Five queries. ``base_url`` is the site's root, such as
    ``"https://example.org/"``; every address in the exports is absolute on it.
    The version is the release's name.
    """
    if release is None:
        release = Release.objects.filter(event=event, is_current=True).first()
    rooms = list(event.rooms.all())
    tracks = list(event.tracks.all())
    talks = list(schedule_talks(event, release=release)) if release else []
    acronym = export_acronym(event)
    names = _room_names(event, rooms, has_roomless_talks=any(t.room_id is None for t in talks))
    export_rooms = {
        key: ExportRoom(
            name=name,
            # The room of talks without one has a guid that tells an importer it is none.
            guid=roomless_room_guid(acronym, name) if key is None else room_guid(event, name),
        )
        for key, name in names.items()
    }
    exported = [
        (
            talk.room_id,
            _export_talk(
                talk, event=event, acronym=acronym, room_name=names[talk.room_id], base_url=base_url
            ),
        )
        for talk in talks
    ]
    days = _export_days(event, exported, export_rooms)
    return ScheduleExport(
        version=release.name if release else "",
        generator=GENERATOR_NAME,
        base_url=base_url,
        url=web_url(event.website) or urljoin(base_url, reverse("event_detail", args=[event.slug])),
        acronym=acronym,
        title=export_text(event.name),
        start=days[0].date if days else event.start_date,
        end=days[-1].date if days else event.end_date,
        time_zone_name=event.time_zone,
        timeslot_duration=_timeslot([talk for _, talk in exported]),
        tracks=tuple(
            ExportTrack(
                name=export_text(track.name),
                color=track.colour.lower(),
                slug=track.slug if _TRACK_SLUG.fullmatch(track.slug) else "",
            )
            for track in tracks
        ),
        rooms=tuple(export_rooms.values()),
        days=days,
    )


def schedule_last_modified(event, release=None):
    """The latest change to the event, the release's talks or their speakers; one query.

    A release's talks are stamped when it is made; speakers count, because
    renaming one changes the exports. Changes that leave no row of their own
    to say so (a room renamed) move the event's ``updated`` on
    (infrastructure.page_cache.event_pages_changed).
    """
    talks = Talk.released.of(release) if release else Talk.released.current_of(event)
    stamps = talks.aggregate(talks=Max("updated"), speakers=Max("speakers__updated"))
    return max(
        stamp for stamp in (event.updated, stamps["talks"], stamps["speakers"]) if stamp is not None
    )
