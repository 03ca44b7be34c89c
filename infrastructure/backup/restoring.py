"""Restoring an event from an archive: all or nothing, photos written last.

A restore checks the format version and every checksum before it reads any
data. It then validates every row, writes photos only after the rows are in,
and does all of it in one transaction. Any photo it wrote is deleted again if
that transaction fails. Checksums catch a changed or damaged archive, not a
forged one: anyone who can edit the archive can also edit the manifest.
"""

import zipfile

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction

from infrastructure.backup import sections
from infrastructure.backup.archive import PHOTOS, BackupError
from infrastructure.backup.checking import checked_data, checked_manifest, migration_warnings
from infrastructure.backup.results import RestoreResult
from infrastructure.backup.rows import Restore
from infrastructure.page_cache import event_pages_changed


def _checked_files(archive, files, result):
    """The files to write, as ``(row, field, member)``; each is checked by its section."""
    names, wanted, problems = set(archive.namelist()), [], []
    for section, row, name in files:
        member = PHOTOS + getattr(row, name).name
        if member not in names:
            result.warnings.append(
                f"{row._meta.verbose_name} {row}: {name} {member} was missing when the "
                "backup was made."
            )
            continue
        if problem := section.file_problem(archive.read(member)):
            problems.append(f"{member}: {problem}.")
        wanted.append((row, name, member))
    if problems:
        raise BackupError(*problems)
    return wanted


def _write_files(archive, files, written):
    """Store each file under its old name, or a free one beside it; ``written`` lists them."""
    for row, name, member in files:
        file, payload = getattr(row, name), archive.read(member)
        if file.storage.exists(file.name):
            with file.storage.open(file.name, "rb") as stored:
                if stored.read() == payload:
                    continue  # already there: not ours to delete should the restore fail
        stored_name = file.storage.save(file.name, ContentFile(payload))
        written.append((file.storage, stored_name))
        if stored_name != file.name:
            type(row)._default_manager.filter(pk=row.pk).update(**{name: stored_name})
    return len(written)


def event_restore(*, path, as_slug=None, replace=False, dry_run=False):
    """Restore the event in the backup archive at ``path``; all or nothing.

    ``as_slug`` restores it under another slug (talks whose UUIDs are taken
    get new ones); ``replace`` deletes an event of that slug first, else its
    existence stops the restore. A dry run checks and creates everything, then
    rolls it back, and writes no photo. Raises ``BackupError``.
    """
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{path} is not a backup archive (a zip file): {error}.") from None
    written = []
    with archive:
        manifest = checked_manifest(archive)
        data = checked_data(archive, manifest)
        slug = as_slug or data[sections.EVENT].get("slug") or ""
        result = RestoreResult(event_slug=slug, dry_run=dry_run)
        result.warnings += migration_warnings(manifest)
        try:
            with transaction.atomic():
                restore = Restore(
                    data,
                    slug=slug,
                    copy=as_slug is not None,
                    result=result,
                    format_version=manifest["format_version"],
                )
                photos = _checked_files(archive, restore.run(replace=replace), result)
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    result.counts["photos"] = _write_files(archive, photos, written)
                    event_pages_changed(slug)
        except DatabaseError as error:
            _delete(written)
            raise BackupError(
                f"The database refused the backup's data: {str(error).splitlines()[0]}."
            ) from error
        except BaseException:
            _delete(written)
            raise
    return result


def _delete(written):
    for storage, name in written:
        storage.delete(name)
