"""c3voc schedule.json, as pretalx, frab and our own export write it, read into the XML's records.

:func:`parse_frab_json` gives the same :class:`FrabSchedule` that
:func:`~schedule.formats.frab.parser.document.parse_frab` gives for the XML,
so the zones, times and the whole import are shared. It is as lenient as the
XML reader where real files differ (ids as numbers or text, ``null`` for
empty values, ``name`` or ``public_name`` for a person) and as strict where
the data would be wrong. Each problem names its line and its JSON path, such
as ``schedule.conference.days[1].rooms["Hall"][3]: no "title"``.
"""

from urllib.parse import urljoin

from schedule.formats.frab.parser.json_reader import JSONReadError, LinedObject, read_json
from schedule.formats.frab.parser.records import (
    FrabDay,
    FrabPerson,
    FrabRoom,
    FrabSchedule,
    FrabTalk,
    FrabTrack,
)
from schedule.formats.frab.parser.values import (
    COLOUR,
    block_text,
    inline_text,
    joined_text,
    parse_clock,
    parse_date,
    parse_date_or_datetime,
    parse_datetime,
    parse_duration,
    parse_guid,
    parse_uuid,
    talk_kind,
    talk_label,
)
from schedule.formats.frab.rooms import ROOMLESS_ROOM_NAME, roomless_room_guid
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import ImportLimits, excerpt, too_many_talks_message
from schedule.importing.zones import unknown_zone_message, zone_named


class _TooManyTalks(Exception):
    pass


def _key(path, name):
    return f"{path}.{name}"


def _item(path, index):
    return f"{path}[{index}]"


def _entry(path, name):
    return f'{path}["{excerpt(name)}"]'


class _JSONScheduleReader:
    """Walks the document once, collecting the schedule's parts and every problem."""

    def __init__(self, limits):
        self.limits = limits
        self.errors = []
        self.warnings = []
        self.rooms = {}
        self.tracks = {}
        self.first_with_key = {}
        self.talk_count = 0
        self.base_url = ""
        self.acronym = ""
        self.room_guids = {}  # room name -> the guid the conference's rooms give it
        self.roomless_room = ""

    def error(self, obj, path, message):
        self.errors.append((getattr(obj, "line", None), f"{path}: {message}"))

    def warn(self, obj, path, message):
        self.warnings.append((getattr(obj, "line", None), f"{path}: {message}"))

    def object_at(self, parent, name, path, *, required=True):
        value = parent.get(name)
        if isinstance(value, LinedObject):
            return value
        if value is not None or required:
            self.error(parent, path, f'expected an object "{name}"')
        return None

    def list_at(self, parent, name, path):
        value = parent.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(parent, _key(path, name), "expected a list")
            return []
        return value

    def text(self, obj, name, path):
        """The text of ``obj[name]``: "" for none or null, numbers as written, else an error."""
        value = obj.get(name)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.error(obj, _key(path, name), f"expected text, not {type(value).__name__}")
        return ""

    def value(self, obj, name, parse, path, *, what):
        text = self.text(obj, name, path).strip()
        if not text:
            return None
        try:
            return parse(text)
        except ValueError as error:
            self.error(obj, _key(path, name), f"{what}{error}")
            return None

    def read(self, root):
        if not isinstance(root, LinedObject):
            self.errors.append((1, "expected a schedule.json: the document is not an object"))
            return None
        schedule = self.object_at(root, "schedule", "schedule")
        if schedule is None:
            return None
        self.base_url = self.text(schedule, "base_url", "schedule").strip()
        conference = self.object_at(schedule, "conference", "schedule.conference")
        if conference is None:
            return None
        if schedule.get("events"):
            # The CCC hub's schedule2 lists talks apart from the days, keyed to rooms by guid.
            self.error(
                schedule,
                "schedule.events",
                "talks listed apart from the days (the hub's schedule2 format) are not read; "
                "use the site's schedule.json (v1) or schedule.xml",
            )
            return None
        path = "schedule.conference"
        self.acronym = inline_text(self.text(conference, "acronym", path))
        self._read_conference_rooms(conference, path)
        self._read_declared_tracks(conference, path)
        days, talks = [], []
        for index, day in enumerate(self.list_at(conference, "days", path)):
            day_path = _item(_key(path, "days"), index)
            if not isinstance(day, LinedObject):
                self.error(conference, day_path, "expected an object")
                continue
            frab_day = self._read_day(day, day_path)
            days.append(frab_day)
            talks += self._read_day_talks(day, day_path, frab_day)
        return self._read_conference(conference, path, days=tuple(days), talks=tuple(talks))

    def _read_conference(self, conference, path, *, days, talks):
        line = conference.line
        title = inline_text(self.text(conference, "title", path))
        if not title and not self.acronym:
            self.error(conference, path, 'the conference has neither "title" nor "acronym"')
        start = self.value(conference, "start", parse_date_or_datetime, path, what="")
        end = self.value(conference, "end", parse_date_or_datetime, path, what="")
        days_count = conference.get("daysCount")
        if days_count is not None and (
            not isinstance(days_count, int) or isinstance(days_count, bool) or days_count < 1
        ):
            self.error(conference, _key(path, "daysCount"), "expected a whole number above zero")
            days_count = None
        name = self.text(conference, "time_zone_name", path).strip()
        time_zone = zone_named(name) if name else None
        if name and time_zone is None:
            self.error(
                conference,
                _key(path, "time_zone_name"),
                unknown_zone_message(name, example="Europe/Berlin"),
            )
        website = self.text(conference, "url", path).strip()
        if website and not website.startswith(("http://", "https://")):
            self.warn(conference, _key(path, "url"), f'"{excerpt(website)}" is not used')
            website = ""
        location = "" if self.roomless_room == ROOMLESS_ROOM_NAME else self.roomless_room
        return FrabSchedule(
            title=title or self.acronym,
            acronym=self.acronym,
            start=start,
            end=end,
            days_count=days_count,
            time_zone=time_zone,
            day_change=None,
            website=website,
            location=location,
            line=line,
            rooms=tuple(self.rooms.values()),
            tracks=tuple(self.tracks.values()),
            days=days,
            talks=talks,
            warnings=tuple(self.warnings),
            base_url=self.base_url,
            field_lines={
                "name": line,
                "start_date": line,
                "end_date": line,
                "time_zone": line,
            },
        )

    def _read_conference_rooms(self, conference, path):
        rooms_path = _key(path, "rooms")
        for index, room in enumerate(self.list_at(conference, "rooms", path)):
            room_path = _item(rooms_path, index)
            if not isinstance(room, LinedObject):
                self.error(conference, room_path, "expected an object")
                continue
            name = inline_text(self.text(room, "name", room_path))
            if not name:
                self.error(room, room_path, 'a room without a "name"')
                continue
            self.room_guids[name] = self.text(room, "guid", room_path).strip()
            self._add_room(name, room, slug=self.text(room, "slug", room_path))

    def _add_room(self, name, obj, *, slug=""):
        """The room's name as the talks refer to it; "" for our export's stand-in for none."""
        if self.room_guids.get(name) == str(roomless_room_guid(self.acronym, name)):
            self.roomless_room = name
            return ""
        return self.rooms.setdefault(
            name.casefold(),
            FrabRoom(name=name, slug=slug.strip(), line=getattr(obj, "line", 0)),
        ).name

    def _read_declared_tracks(self, conference, path):
        tracks_path = _key(path, "tracks")
        for index, track in enumerate(self.list_at(conference, "tracks", path)):
            track_path = _item(tracks_path, index)
            if not isinstance(track, LinedObject):
                self.error(conference, track_path, "expected an object")
                continue
            name = inline_text(self.text(track, "name", track_path))
            if not name:
                self.warn(track, track_path, "a track without a name is left out")
                continue
            colour = self.text(track, "color", track_path).strip()
            if colour and not COLOUR.match(colour):
                self.warn(
                    track,
                    _key(track_path, "color"),
                    f'track "{excerpt(name)}": colour "{excerpt(colour)}" is not #rrggbb; using '
                    "a default",
                )
                colour = ""
            self._add_track(
                name, slug=self.text(track, "slug", track_path), colour=colour, obj=track
            )

    def _add_track(self, name, *, slug, colour, obj):
        key = name.casefold()
        if key not in self.tracks:
            self.tracks[key] = FrabTrack(
                name=name, slug=slug.strip(), colour=colour.lower(), line=obj.line
            )
        return self.tracks[key].name

    def _read_day(self, day, path):
        values = {
            name: self.value(day, key, parse, path, what="")
            for name, key, parse in (
                ("date", "date", parse_date),
                ("start", "day_start", parse_datetime),
                ("end", "day_end", parse_datetime),
            )
        }
        index = day.get("index")
        return FrabDay(
            index=index if isinstance(index, int) and not isinstance(index, bool) else None,
            line=day.line,
            **values,
        )

    def _read_day_talks(self, day, path, frab_day):
        rooms = day.get("rooms")
        rooms_path = _key(path, "rooms")
        if rooms is None:
            return []
        if not isinstance(rooms, LinedObject):
            self.error(day, rooms_path, "expected an object of room names to talks")
            return []
        talks = []
        for room_name, entries in rooms.items():
            room_path = _entry(rooms_path, room_name)
            name = inline_text(room_name)
            if not name:
                self.error(rooms, room_path, "a room without a name")
                continue
            if not isinstance(entries, list):
                self.error(rooms, room_path, "expected a list of talks")
                continue
            room = self._add_room(name, rooms)
            for index, entry in enumerate(entries):
                talk_path = _item(room_path, index)
                if not isinstance(entry, LinedObject):
                    self.error(rooms, talk_path, "expected an object")
                    continue
                self.talk_count += 1
                if self.talk_count > self.limits.max_talks:
                    self.errors.append((entry.line, too_many_talks_message(self.limits)))
                    raise _TooManyTalks
                talk = self._read_talk(entry, talk_path, day=frab_day, room=room)
                if talk is not None:
                    talks.append(talk)
        return talks

    def _read_talk(self, entry, path, *, day, room):
        frab_id = self.text(entry, "id", path).strip()
        guid_text = self.text(entry, "guid", path).strip()
        title = inline_text(self.text(entry, "title", path))
        label = talk_label(frab_id or guid_text, title)
        errors_before = len(self.errors)
        guid = parse_guid(guid_text) if guid_text else None
        if not guid and not frab_id:
            self.error(entry, path, f"{label}: without guid or id it cannot be matched again")
        else:
            self._check_key(entry, path, guid=guid, shown=guid_text or frab_id, label=label)
        if not title:
            self.error(entry, path, f'{label}: no "title"')
        talk_room = inline_text(self.text(entry, "room", path))
        if room and talk_room and talk_room.casefold() != room.casefold():
            self.warn(
                entry,
                _key(path, "room"),
                f'{label}: "room" says "{excerpt(talk_room)}" but the talk is listed in room '
                f'"{excerpt(room)}"; using "{excerpt(room)}"',
            )
        what = f"{label}: "
        date = self.value(entry, "date", parse_datetime, path, what=what)
        clock = self.value(entry, "start", parse_clock, path, what=what)
        if entry.get("date") in (None, "") and entry.get("start") in (None, ""):
            self.error(entry, path, f'{label}: no "date" and no "start": the talk has no time')
        elif entry.get("date") in (None, "") and day.date is None:
            self.error(entry, path, f'{label}: no "date", and its day has no "date"')
        duration = self.value(entry, "duration", parse_duration, path, what=what)
        if entry.get("duration") in (None, ""):
            self.error(entry, path, f'{label}: no "duration"')
        elif duration is not None and not duration:
            self.error(entry, _key(path, "duration"), f"{label}: the duration is zero")
        do_not_record = entry.get("do_not_record", False)
        if not isinstance(do_not_record, bool):
            self.error(entry, _key(path, "do_not_record"), f"{label}: expected true or false")
        track = inline_text(self.text(entry, "track", path))
        if track:
            track = self._add_track(track, slug="", colour="", obj=entry)
        persons = self._read_persons(entry, path, label)
        if len(self.errors) > errors_before:
            return None
        type_name = inline_text(self.text(entry, "type", path))
        return FrabTalk(
            guid=guid,
            guid_text=guid_text,
            frab_id=frab_id,
            title=title,
            subtitle=inline_text(self.text(entry, "subtitle", path)),
            type_name=type_name,
            kind=talk_kind(type_name),
            abstract=joined_text(
                block_text(self.text(entry, "abstract", path)),
                block_text(self.text(entry, "description", path)),
            ),
            language=inline_text(self.text(entry, "language", path)),
            do_not_record=do_not_record,
            track=track,
            room=room,
            slug=self.text(entry, "slug", path).strip(),
            source_url=self._url(entry, path, label),
            date=date,
            clock=clock,
            duration=duration,
            day=day,
            persons=persons,
            line=entry.line,
            field_lines={"start": entry.line},
        )

    def _url(self, entry, path, label):
        url = self.text(entry, "url", path).strip()
        if not url or url.startswith(("http://", "https://")):
            return url
        absolute = urljoin(self.base_url, url) if self.base_url else ""
        if absolute.startswith(("http://", "https://")):
            return absolute
        self.warn(entry, _key(path, "url"), f'{label}: "{excerpt(url)}" is not an http(s) URL')
        return ""

    def _read_persons(self, entry, path, label):
        persons, seen = [], {}
        persons_path = _key(path, "persons")
        for index, person in enumerate(self.list_at(entry, "persons", path)):
            person_path = _item(persons_path, index)
            if not isinstance(person, LinedObject):
                self.error(entry, person_path, f"{label}: expected an object")
                continue
            name = inline_text(
                self.text(person, "public_name", person_path)
                or self.text(person, "name", person_path)
            )
            if not name:
                self.error(person, person_path, f"{label}: a person without a name")
                continue
            what = f'{label}: person "{excerpt(name)}": '
            guid = self.value(person, "guid", parse_uuid, person_path, what=what)
            person_id = self.text(person, "id", person_path).strip()
            key = guid or person_id or name.casefold()
            if key in seen:
                self.warn(
                    person,
                    person_path,
                    f'{label}: person "{excerpt(name)}" is listed twice (first at '
                    f"{seen[key]}); kept once",
                )
                continue
            seen[key] = person_path
            biography = block_text(self.text(person, "biography", person_path))
            persons.append(
                FrabPerson(
                    name=name,
                    guid=guid,
                    person_id=person_id,
                    biography=biography,
                    biography_line=person.line if biography else None,
                    line=person.line,
                )
            )
        return tuple(persons)

    def _check_key(self, entry, path, *, guid, shown, label):
        key = ("guid", guid) if guid else ("id", shown)
        first = self.first_with_key.setdefault(key, (entry, path, label))
        if first[0] is not entry:
            self.error(
                entry,
                path,
                f"{label}: {key[0]} {excerpt(shown)} is already used by {first[2]} at {first[1]}",
            )


def parse_frab_json(data, *, source="<schedule.json>", limits=None):
    """The :class:`FrabSchedule` in the schedule.json ``data`` (bytes).

    Raises :class:`ImportFileError` with every problem found, or at once at the
    first talk past ``limits.max_talks`` (an :class:`ImportLimits`).
    """
    limits = limits or ImportLimits()
    try:
        root = read_json(data)
    except JSONReadError as error:
        raise ImportFileError([(error.line, error.message)], source) from None
    reader = _JSONScheduleReader(limits)
    try:
        schedule = reader.read(root)
    except _TooManyTalks:
        schedule = None
    if reader.errors or schedule is None:
        raise ImportFileError(reader.errors, source)
    return schedule
