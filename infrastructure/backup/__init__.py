"""Backups of one event: a versioned archive of its data and its speakers' photos, and restores.

It lives in ``conference`` because the event is the unit backed up and
restored, and the event is this app's concept: rooms, tracks, talks and
speakers all hang off it. The dump also reads ``schedule`` and ``speakers``
models, whose own code never needs to know about backups, so the whole
format is kept here, in one place:

- ``archive``: the archive's members and format version, which models and
  relations it holds, and :class:`BackupError`.
- ``writing``: :func:`event_backup`, the event's rows and photos to one zip file.
- ``checking``: the manifest's format version and checksums, and ``data.json``'s
  shape, checked before a restore reads any data.
- ``rows``: the archive's records made into rows, every problem collected.
- ``restoring``: :func:`event_restore`, all of it in one transaction, photos last.
- ``results``: what a backup or a restore did, for the commands to report.

Archives hold speakers' private email addresses, so keep them as safe as the
database.
"""

from infrastructure.backup.archive import FORMAT, FORMAT_VERSION, BackupError
from infrastructure.backup.restoring import event_restore
from infrastructure.backup.results import BackupResult, RestoreResult
from infrastructure.backup.writing import event_backup

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "event_backup",
    "event_restore",
]
