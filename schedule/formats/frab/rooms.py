"""Room guids of the frab files, shared by the exporter and the parser (no database).

Every talk in the formats needs a room, so the exporter lists talks without
one in a room named after the event's location (or "Main"). That room does
not exist: its guid says so, so that importing our own export (the 2012
agenda has no rooms) leaves those talks roomless rather than creating a room
named after the venue. The room's name is the event's location, which the
files say nowhere else.
"""

import uuid

# The room of roomless talks when the event has no location either.
ROOMLESS_ROOM_NAME = "Main"
# Fixed for good: changing it would change every room's guid in every export.
ROOM_GUID_NAMESPACE = uuid.UUID("3507677d-aec8-495e-821c-3dffe3fcec03")


def roomless_room_guid(acronym, name):
    """The guid of the room ``name`` the export of ``acronym`` lists roomless talks in."""
    return uuid.uuid5(ROOM_GUID_NAMESPACE, f"roomless:{acronym}:{name}")
