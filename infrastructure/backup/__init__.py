"""Backups of one event: a versioned archive of its rows and files, and restores.

The event is the unit backed up and restored, but this package knows no
model: each app registers the sections of the backup it owns (``sections``)
in its ``ready()``: ``conference`` the event, rooms and tracks, ``speakers``
the speakers of the event's talks, their links and photos, ``schedule`` the
talks and who gives them.

- ``sections``: :class:`Section` and :func:`register`, what the apps tell.
- ``archive``: the archive's members and format version, and :class:`BackupError`.
- ``writing``: :func:`event_backup`, the event's rows and files to one zip file.
- ``checking``: the manifest's format version and checksums, and ``data.json``'s
  shape, checked before a restore reads any data.
- ``rows``: the helpers with which sections make the archive's records into
  rows, every problem collected.
- ``restoring``: :func:`event_restore`, all of it in one transaction, files last.
- ``results``: what a backup or a restore did, for the commands to report.

Archives hold speakers' private email addresses, so keep them as safe as the
database.
"""

from infrastructure.backup.archive import FORMAT, FORMAT_VERSION, BackupError
from infrastructure.backup.restoring import event_restore
from infrastructure.backup.results import BackupResult, RestoreResult
from infrastructure.backup.sections import Section, register
from infrastructure.backup.writing import event_backup

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "Section",
    "event_backup",
    "event_restore",
    "register",
]
