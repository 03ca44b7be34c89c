"""Operations that change several schedule rows at once, each in one transaction.

Importing and exporting files is not here: see ``schedule.formats`` and ``schedule.importing``.

- ``rooms``: giving roomless talks rooms, as few as their overlaps require.
- ``bulk``: edits of many selected talks at once (track, room, publication, times), and CSV.
- ``board``: moving and swapping talks on the schedule board, refused on a clash or a conflict.
"""

from schedule.services.bulk import (
    BulkEditError,
    BulkEditResult,
    talks_cancel,
    talks_export_csv,
    talks_publish,
    talks_set_room,
    talks_set_track,
    talks_shift,
    talks_unpublish,
)
from schedule.services.rooms import RoomAssignmentError, RoomAssignmentResult, rooms_assign

__all__ = [
    "BulkEditError",
    "BulkEditResult",
    "RoomAssignmentError",
    "RoomAssignmentResult",
    "rooms_assign",
    "talks_cancel",
    "talks_export_csv",
    "talks_publish",
    "talks_set_room",
    "talks_set_track",
    "talks_shift",
    "talks_unpublish",
]
