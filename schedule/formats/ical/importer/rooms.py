"""The rooms of an iCalendar import: from LOCATION without the venue, matched by name or slug."""

from django.utils.text import slugify

from conference.models import Room
from infrastructure.slugs import UniqueSlugs
from schedule.formats.ical.parser import location_rooms
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import excerpt
from schedule.importing.names import name_key
from schedule.importing.writer import (
    row_errors,
)

ROOM_SLUG_MAX_LENGTH = 100  # Room.slug's max_length: a room is also matched on its slug


def _room_slug(name):
    return slugify(name)[:ROOM_SLUG_MAX_LENGTH].strip("-")


def rooms_sync(*, event, uses, result, source, limits):
    """The Room of every room name in ``uses`` (name -> its lines in the file); warnings.

    Spellings that differ only in case, accents or punctuation ("Amphithéâtre",
    "Amphithéatre") are one room, named as most of the file spells it. New
    rooms are checked without a query each and inserted in one statement.
    """
    existing = list(event.rooms.all())
    by_name = {name_key(room.name): room for room in existing}
    by_slug = {room.slug: room for room in existing}
    groups = {}  # an existing room, or the key of a new one -> the names it gathers
    for name in uses:
        slug = _room_slug(name)
        room = by_name.get(name_key(name)) or (by_slug.get(slug) if slug else None)
        groups.setdefault(room or slug or name_key(name), []).append(name)

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
        slug = taken_slugs.make(_room_slug(name) or "room", max_length=ROOM_SLUG_MAX_LENGTH)
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
        raise ImportFileError(errors, source)
    Room.objects.bulk_create(created)
    for name, lines in uses.items():
        if name_key(rooms[name].name) != name_key(name):
            events = f"{len(lines)} event{'s' if len(lines) != 1 else ''}"
            warnings.append(
                f'{source}:{lines[0]}: LOCATION "{excerpt(name)}" is taken as the room '
                f'"{excerpt(rooms[name].name)}" ({events})'
            )
    return rooms, warnings


def rooms_plan(calendar, event, *, source):
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
