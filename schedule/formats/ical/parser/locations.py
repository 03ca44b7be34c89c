"""The venue and the rooms that an iCalendar file's LOCATIONs name."""


def _parts(location):
    return [part.strip() for part in location.split(",") if part.strip()]


def _folded(parts):
    return [part.casefold() for part in parts]


def _common_tail(locations):
    """The comma-separated parts that end every location, as written in the first."""
    split = [_parts(location) for location in locations]
    tail = 0
    while all(len(parts) > tail for parts in split) and (
        len({parts[-1 - tail].casefold() for parts in split}) == 1
    ):
        tail += 1
    return split[0][len(split[0]) - tail :] if tail else []


def _venue_parts(distinct, venue):
    if len(distinct) > 1 and (tail := _common_tail(distinct)):
        return tail
    venue_parts = _parts(venue)
    if venue_parts and any(
        _folded(_parts(location)[-len(venue_parts) :]) == _folded(venue_parts)
        for location in distinct
    ):
        return venue_parts
    if len(distinct) == 1 and len(_parts(distinct[0])) > 1:
        return _parts(distinct[0])
    return []


def location_rooms(locations, *, venue=""):
    """``(venue, {location: room name}, {locations naming several rooms})`` for a file.

    A LOCATION is "Room" or "Room, Venue" (our own export writes "Room, Event
    location"). The venue is the comma-separated tail that all the file's
    locations share, such as "Barcelona, Spain" (the file's own evidence comes
    first, so that the rooms stay the same when organisers edit the event).
    When the file cannot tell, the venue is ``venue`` (the existing event's
    location) where a location ends with it, else a lone location of several
    parts ("Barcelona, Spain") is all venue, while a lone single name ("Main
    Hall") is a room. A location that lists several of the file's rooms
    ("Arena, Room 8, Room 5": a break in every room) gets no room (""), as does
    a location that is only the venue.
    """
    distinct = sorted({location for location in locations if location})
    if not distinct:
        return "", {}, set()
    tail = _venue_parts(distinct, venue)
    rooms = {}
    for location in distinct:
        parts = _parts(location)
        if tail and _folded(parts[-len(tail) :]) == _folded(tail):
            parts = parts[: len(parts) - len(tail)]
        rooms[location] = ", ".join(parts)
    single = {room.casefold() for room in rooms.values() if room and "," not in room}
    several = {
        location
        for location, room in rooms.items()
        if "," in room and all(part in single for part in _folded(_parts(room)))
    }
    for location in several:
        rooms[location] = ""
    return ", ".join(tail), rooms, several
