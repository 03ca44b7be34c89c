"""Importing an iCalendar file: its events become an event's talks, rooms and speakers.

The file is read by :mod:`schedule.ics_import`; this module decides what the
readings mean for the database, in one transaction, all or nothing:

- The event's zone is ``--timezone``, else the file's X-WR-TIMEZONE, else the
  existing event's zone, else the TZID most events start in; a file of UTC or
  floating times alone, for a new event, is refused until a zone is given.
  Floating times are read in that zone.
- A talk is keyed on its UID (``Talk.external_id`` = ``ics:`` + UID), so a
  second import updates instead of duplicating. Only what the file says is
  written: title, abstract, times, room, source URL, cancellation and
  speakers; the slug, track, kind and publication stay as organisers left them.
- Rooms come from LOCATION, without the venue (see ``location_rooms``); they
  are matched by name, then by slug, and never renamed.
- A speaker in a calendar is only a name, and a name is not an identity: two
  events' "Alex Smith" may be two people. So speakers are never matched to
  existing profiles by name; each is created with the external id
  ``ics:<event slug>:<name in lower case>``, which a re-import of the file
  finds again. Organisers merge profiles by hand when two are one person.
- A new event is named after the calendar (X-WR-CALNAME), located at the
  venue and dated by its talks' span; an existing event only widens its dates
  to the talks' span, takes the zone and fills a blank location.

Nothing is ever deleted: talks missing from the file stay.
"""

import datetime
import hashlib
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from conference.models import Event, Room
from schedule.ics_import import (
    IcsError,
    IcsTimeError,
    event_times,
    is_iana_zone,
    location_rooms,
    parse_ics,
)
from schedule.import_limits import ImportLimits, excerpt, read_limited
from schedule.models import Talk
from schedule.services.frab_import.rows import (
    bulk_update_changed,
    constraint_message,
    row_errors,
    unique_errors,
)
from schedule.services.frab_import.speakers import NewSpeakers
from schedule.services.frab_import.talks import talk_links_write
from schedule.services.importing import (
    Outcome,
    UniqueSlugs,
    clash_warnings,
    event_sync,
    import_pages_changed,
    import_with_one_retry,
    speaker_name_key,
)
from speakers.models import Speaker

SLUG_MAX_LENGTH = 200  # Talk.slug's max_length
ROOM_SLUG_MAX_LENGTH = 100  # Room.slug's max_length
SPEAKER_EXTERNAL_ID_MAX_LENGTH = 200  # Speaker.external_id's max_length


@dataclass
class IcsImportResult:
    """What an import did (or, on a dry run, would do)."""

    event_slug: str
    event_outcome: Outcome
    dry_run: bool
    time_zone: str
    talks_created: int = 0
    talks_updated: int = 0
    talks_unchanged: int = 0
    talks_skipped: int = 0
    rooms_created: int = 0
    rooms_unchanged: int = 0
    speakers_created: int = 0
    speakers_unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self):
        return self.event_outcome != Outcome.UNCHANGED or any(
            (self.talks_created, self.talks_updated, self.rooms_created, self.speakers_created)
        )

    def summary(self):
        skipped = f", {self.talks_skipped} skipped" if self.talks_skipped else ""
        return (
            f"Event {self.event_slug} ({self.time_zone}): {self.event_outcome}. "
            f"Talks: {self.talks_created} created, {self.talks_updated} updated, "
            f"{self.talks_unchanged} unchanged{skipped}. "
            f"Rooms: {self.rooms_created} created, {self.rooms_unchanged} unchanged. "
            f"Speakers: {self.speakers_created} created, {self.speakers_unchanged} unchanged."
        )


def speaker_external_id(event_slug, name):
    """The id of a speaker the calendar of ``event_slug`` names ``name``; stable across imports."""
    key = speaker_name_key(name)
    external_id = f"ics:{event_slug}:{key}"
    if len(external_id) <= SPEAKER_EXTERNAL_ID_MAX_LENGTH:
        return external_id
    return f"ics:{event_slug}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


def _zone_for(zone, calendar, event, *, source):
    """The IANA zone name of the import, and the line it was read from (or ``None``)."""
    line = None
    if zone:
        name, origin = zone, "--timezone"
    elif calendar.time_zone:
        name, origin = calendar.time_zone, "X-WR-TIMEZONE"
        line = calendar.field_lines.get("time_zone")
    elif event is not None:
        return event.time_zone
    elif counts := calendar.tzid_counts():
        name, origin = counts[0][0], "the TZID most events use"
    else:
        raise IcsError(
            [
                (
                    None,
                    "no time zone: the file names none (no X-WR-TIMEZONE, no TZID: its times "
                    "are UTC or floating); pass --timezone, e.g. Europe/Berlin",
                )
            ],
            source,
        )
    if not is_iana_zone(name):
        message = f'unknown time zone "{excerpt(name)}" ({origin}): expected an IANA name such as '
        message += "Europe/Madrid; pass --timezone"
        raise IcsError([(line, message)], source)
    return name


def _zone_and_times(calendar, zone, event, *, source):
    """``(zone name, ZoneInfo, [(start, end)])``, or every problem of the file at once."""
    errors = list(calendar.errors)
    if not calendar.events:
        raise IcsError(errors or [(None, "no event of the file has a time: no talk")], source)
    try:
        zone_name = _zone_for(zone, calendar, event, source=source)
    except IcsError as error:
        raise IcsError([*errors, *error.errors], source) from None
    tz = zoneinfo.ZoneInfo(zone_name)
    times = []
    for entry in calendar.events:
        try:
            times.append(event_times(entry, tz))
        except IcsTimeError as error:
            errors.append((error.line, str(error)))
    if errors:
        raise IcsError(errors, source)
    return zone_name, tz, times


def _event_sync(*, event, event_slug, calendar, tz, venue, times, source, limits):
    first_day = min(start.astimezone(tz).date() for start, _ in times)
    # A talk ending at midnight ends on the day before.
    last_day = max(
        (end - datetime.timedelta(microseconds=1)).astimezone(tz).date() for _, end in times
    )
    if event is None:
        values = {
            "name": calendar.name or event_slug,
            "location": venue,
            "start_date": first_day,
            "end_date": last_day,
            "time_zone": tz.key,
        }
    else:
        # The name, description and publication are the organisers'.
        values = {
            "time_zone": tz.key,
            "start_date": min(event.start_date, first_day),
            "end_date": max(event.end_date, last_day),
        }
        if venue and not event.location:
            values["location"] = venue
    return event_sync(
        event=event,
        event_slug=event_slug,
        values=values,
        field_lines=calendar.field_lines,
        error_class=IcsError,
        source=source,
        limits=limits,
    )


def _room_slug(name):
    return slugify(name)[:ROOM_SLUG_MAX_LENGTH].strip("-")


def _unique_slug(base, slugs, *, fallback, max_length):
    return slugs.make(base or fallback, max_length=max_length)


def _rooms_sync(*, event, uses, result, source, limits):
    """The Room of every room name in ``uses`` (name -> its lines in the file); warnings.

    Spellings that differ only in case, accents or punctuation ("Amphithéâtre",
    "Amphithéatre") are one room, named as most of the file spells it. New
    rooms are checked without a query each and inserted in one statement.
    """
    existing = list(event.rooms.all())
    by_name = {speaker_name_key(room.name): room for room in existing}
    by_slug = {room.slug: room for room in existing}
    groups = {}  # an existing room, or the key of a new one -> the names it gathers
    for name in uses:
        slug = _room_slug(name)
        room = by_name.get(speaker_name_key(name)) or (by_slug.get(slug) if slug else None)
        groups.setdefault(room or slug or speaker_name_key(name), []).append(name)

    rooms, errors, warnings = {}, [], []
    position = max((room.position for room in existing), default=-1) + 1
    taken_slugs = UniqueSlugs(by_slug)
    new_rooms = []
    for group, names in groups.items():
        if isinstance(group, Room):
            result.rooms_unchanged += 1
            rooms |= dict.fromkeys(names, group)
        else:
            # The most used spelling names the room; on a tie, the file's first.
            name = max(names, key=lambda name: len(uses[name]))
            new_rooms.append((name, names))
    created = []
    for name, names in sorted(new_rooms, key=lambda pair: pair[0].casefold()):
        # Slugs are unique within the event by construction: ``taken_slugs`` holds its own.
        slug = _unique_slug(
            _room_slug(name), taken_slugs, fallback="room", max_length=ROOM_SLUG_MAX_LENGTH
        )
        room = Room(event=event, name=name, slug=slug, position=position)
        problems = row_errors(
            room,
            what=f'room "{excerpt(name)}"',
            field_lines={},
            default_line=uses[name][0],
            limits=limits,
        )
        if problems:
            errors.extend(problems)
            continue
        created.append(room)
        position += 1
        result.rooms_created += 1
        rooms |= dict.fromkeys(names, room)
    if errors:
        raise IcsError(errors, source)
    Room.objects.bulk_create(created)
    for name, lines in uses.items():
        if speaker_name_key(rooms[name].name) != speaker_name_key(name):
            events = f"{len(lines)} event{'s' if len(lines) != 1 else ''}"
            warnings.append(
                f'{source}:{lines[0]}: LOCATION "{excerpt(name)}" is taken as the room '
                f'"{excerpt(rooms[name].name)}" ({events})'
            )
    return rooms, warnings


def _speakers_sync(*, event_slug, calendar, result, source, limits):
    """The Speaker of every name in the calendar, keyed by ``speaker_name_key``.

    The event's speakers are read in one query (their external ids share the
    event's prefix) and the new ones inserted in bulk, with their history.
    """
    wanted = {}
    for entry in calendar.events:
        for speaker in entry.speakers:
            wanted.setdefault(speaker_name_key(speaker.name), speaker)
    ids = {key: speaker_external_id(event_slug, entry.name) for key, entry in wanted.items()}
    existing = {
        speaker.external_id: speaker
        for speaker in Speaker.objects.filter(external_id__startswith=f"ics:{event_slug}:")
    }
    new_speakers = NewSpeakers(limits=limits)
    # Every external id of a new speaker has the prefix read above.
    new_speakers.stored_external_ids.update(existing)
    speakers, errors = {}, []
    for key, entry in wanted.items():
        speaker = existing.get(ids[key])
        if speaker is not None:
            # The profile is the speaker's own now: the file never renames it.
            result.speakers_unchanged += 1
            speakers[key] = speaker
            continue
        speaker = new_speakers.make(name=entry.name, external_id=ids[key])
        problems = new_speakers.add(speaker, line=entry.line)
        if problems:
            errors.extend(problems)
            continue
        result.speakers_created += 1
        speakers[key] = speaker
    errors += new_speakers.unique_errors()
    if errors:
        raise IcsError(errors, source)
    new_speakers.write()
    return speakers


def _differs(talk, name, value):
    if name == "room":
        return talk.room_id != (value.pk if value else None)
    return getattr(talk, name) != value


def _talks_sync(*, event, calendar, times, rooms_of, speakers, result, source, limits):
    """Create or update a talk per event of the file: all checked, then written in bulk.

    The event's talks are read once, each row is validated without a query,
    and the new, changed and relinked talks are written with a statement or
    a few per kind of change, whatever the number of talks.
    """
    existing_talks = list(event.talks.order_by("pk").prefetch_related("talk_speakers"))
    existing = {talk.external_id: talk for talk in existing_talks if talk.external_id}
    taken_slugs = UniqueSlugs(talk.slug for talk in existing_talks)
    errors, new, changes, links = [], [], [], []
    for entry, (start, end) in zip(calendar.events, times, strict=True):
        values = {
            "title": entry.title,
            "abstract": entry.description,
            "start": start,
            "end": end,
            "room": rooms_of(entry.location),
            "source_url": entry.url,
            "is_cancelled": entry.is_cancelled,
        }
        chosen = [speakers[speaker_name_key(s.name)] for s in entry.speakers]
        talk = existing.get(entry.external_id)
        if talk is None:
            talk = Talk(
                event=event,
                slug=_unique_slug(
                    slugify(entry.title)[: SLUG_MAX_LENGTH - 10].strip("-"),
                    taken_slugs,
                    fallback="talk",
                    max_length=SLUG_MAX_LENGTH,
                ),
                external_id=entry.external_id,
                is_published=True,
                **values,
            )
            current_links, changed = [], None
        else:
            current_links = list(talk.talk_speakers.all())
            changed = [name for name, value in values.items() if _differs(talk, name, value)]
            same_speakers = [link.speaker_id for link in current_links] == [s.pk for s in chosen]
            if not changed and same_speakers:
                result.talks_unchanged += 1
                continue
            for name in changed:
                setattr(talk, name, values[name])

        problems = row_errors(
            talk,
            what=entry.label,
            field_lines=entry.field_lines,
            default_line=entry.line,
            limits=limits,
        )
        if problems:
            errors.extend(problems)
            continue
        if changed is None:
            new.append((talk, entry.label, entry.line))
            result.talks_created += 1
        else:
            # A talk whose speakers alone changed is updated too, as save() marked it.
            changes.append((talk, [*changed, "updated"]))
            result.talks_updated += 1
        links.append((talk, chosen, current_links))
    # Talks are matched on their external id, so a new one can only take that of an
    # earlier row of the file (a UID spelling the digest of another, too long, UID).
    errors += unique_errors(
        new,
        field="external_id",
        taken=existing,
        message=constraint_message(Talk, "talk_external_id_unique_per_event"),
    )
    if errors:
        raise IcsError(errors, source)
    Talk.objects.bulk_create([talk for talk, _, _ in new])
    now = timezone.now()  # what auto_now would set; bulk_update leaves it to us
    for talk, _ in changes:
        talk.updated = now
    bulk_update_changed(changes, update=Talk.objects.bulk_update)
    talk_links_write(links)


def _clash_warnings(*, event, calendar, source):
    """The schedule's clashes after the import, pointing at the file's lines where known."""
    line_of = {entry.external_id: entry.line for entry in calendar.events}
    return clash_warnings(
        event=event, source=source, line_of=lambda talk: line_of.get(talk.external_id)
    )


def _rooms_plan(calendar, event, *, source):
    """``(venue, {location: room name}, {room name: its lines}, warnings)``."""
    venue, room_of, several = location_rooms(
        [entry.location for entry in calendar.events],
        venue=event.location if event is not None else "",
    )
    uses, warnings = {}, []
    for entry in calendar.events:
        if entry.location in several:
            warnings.append(
                f"{source}:{entry.field_lines['room']}: {entry.label} is in several rooms "
                f'("{excerpt(entry.location)}"); imported without a room'
            )
        elif room := room_of.get(entry.location):
            uses.setdefault(room, []).append(entry.field_lines["room"])
    return venue, room_of, uses, warnings


def ics_import(*, path, event_slug, zone=None, dry_run=False, limits=None):
    """Create or update the event ``event_slug`` and its talks from the iCalendar file ``path``.

    ``zone`` is the venue's IANA zone; see the module's docstring for the
    zone used without it. All or nothing: any problem raises
    :class:`~schedule.ics_import.IcsError` (``FILE:LINE: message``) before
    anything is committed, as does a file past ``limits`` (an
    :class:`~schedule.import_limits.ImportLimits`, the defaults if ``None``).
    A dry run does all the work and rolls it back, so its counts are exact.
    Nothing is ever deleted. Two imports of one event at once take turns (see
    ``import_with_one_retry``).
    """
    source = str(path)
    limits = limits or ImportLimits()
    data = read_limited(path, limits=limits, error_class=IcsError, source=source)
    calendar = parse_ics(data, source=source, limits=limits)
    return import_with_one_retry(
        lambda: _ics_import_once(
            calendar=calendar,
            event_slug=event_slug,
            zone=zone,
            dry_run=dry_run,
            source=source,
            limits=limits,
        ),
        event_slug=event_slug,
        error_class=IcsError,
        source=source,
    )


def _ics_import_once(*, calendar, event_slug, zone, dry_run, source, limits):
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(slug=event_slug).first()
        tz_name, tz, times = _zone_and_times(calendar, zone, event, source=source)
        venue, room_of, uses, room_warnings = _rooms_plan(calendar, event, source=source)
        event, event_outcome = _event_sync(
            event=event,
            event_slug=event_slug,
            calendar=calendar,
            tz=tz,
            venue=venue,
            times=times,
            source=source,
            limits=limits,
        )
        result = IcsImportResult(
            event_slug=event_slug,
            event_outcome=event_outcome,
            dry_run=dry_run,
            time_zone=tz_name,
            talks_skipped=calendar.skipped,
            warnings=[*calendar.warnings, *room_warnings],
        )
        rooms, warnings = _rooms_sync(
            event=event, uses=uses, result=result, source=source, limits=limits
        )
        result.warnings.extend(warnings)
        speakers = _speakers_sync(
            event_slug=event_slug, calendar=calendar, result=result, source=source, limits=limits
        )
        _talks_sync(
            event=event,
            calendar=calendar,
            times=times,
            rooms_of=lambda location: rooms.get(room_of.get(location, "")),
            speakers=speakers,
            result=result,
            source=source,
            limits=limits,
        )
        if result.changed:
            # Bulk writes send no signals: the event's cached pages are marked stale here.
            import_pages_changed(event=event)
        result.warnings.extend(_clash_warnings(event=event, calendar=calendar, source=source))
        if dry_run:
            transaction.set_rollback(True)
    return result
