"""Writing a backup: one event, its sections' rows and their files, to one zip archive.

The event's rows are read in one transaction (one snapshot on PostgreSQL) and
written under a temporary name, so the archive appears whole or not at all.
"""

import datetime
import hashlib
import json
import os
import tempfile
import tomllib
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from infrastructure.backup import sections
from infrastructure.backup.archive import (
    DATA,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PHOTOS,
    BackupError,
    applied_migrations,
    plain_fields,
)
from infrastructure.backup.results import BackupResult


def _dumped(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _record(section, obj):
    model = section.model
    found = {f.name for f in model._meta.concrete_fields if f.is_relation}
    if found != section.relations:
        raise BackupError(
            f"{model.__name__} has the relations {sorted(found)}, the backup knows "
            f"{sorted(section.relations)}: teach its section in "
            f"{model._meta.app_label}/backup.py the new ones first."
        )
    record = {"id": obj.pk}
    record.update({f.name: _dumped(f.value_from_object(obj)) for f in plain_fields(model)})
    record.update(section.keys(obj))
    return record


def _app_version():
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _event_data(event):
    """``data.json``'s content for ``event``, and the rows written, by section."""
    dumped = {}
    for section in sections.sections():
        dumped[section.part] = list(section.rows(event, dumped))
    data = {
        section.part: [_record(section, obj) for obj in dumped[section.part]]
        for section in sections.sections()
    }
    data[sections.EVENT] = data[sections.EVENT][0]
    return data, dumped


def _files(dumped):
    """The files of the rows written, as ``FieldFile``s (one may come twice)."""
    for section in sections.parts():
        for obj in dumped[section.part]:
            for name in section.files:
                yield getattr(obj, name)


def _add_member(archive, files, name, payload):
    files[name] = {"sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}
    archive.writestr(name, payload)


def event_backup(*, event_slug, output=None):
    """Write the event ``event_slug`` with its speakers and their photos to one zip archive.

    ``output`` defaults to ``<slug>-<UTC time>.zip`` in the current directory;
    the file appears whole or not at all. A photo missing from the storage is
    listed in the manifest and the result rather than stopping the backup.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql" and not connection.savepoint_ids:
            # Every query reads one snapshot, however busy the site is meanwhile.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        event = sections.event_section().model.objects.filter(slug=event_slug).first()
        if event is None:
            raise BackupError(f"No event has the slug “{event_slug}”.")
        data, dumped = _event_data(event)
        migrations = applied_migrations()
    now = timezone.now().astimezone(datetime.UTC)
    path = Path(output or f"{event_slug}-{now:%Y%m%dT%H%M%SZ}.zip")
    counts = {section.part: len(data[section.part]) for section in sections.parts()}
    files, missing = {}, []
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            payload = json.dumps(data, ensure_ascii=False, indent=1).encode()
            _add_member(zf, files, DATA, payload)
            for photo in _files(dumped):
                if not photo.name or PHOTOS + photo.name in files:
                    continue
                if not photo.storage.exists(photo.name):
                    missing.append(photo.name)
                    continue
                with photo.storage.open(photo.name, "rb") as file:
                    _add_member(zf, files, PHOTOS + photo.name, file.read())
            counts["photos"] = len(files) - 1
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": _app_version(),
                "migrations": migrations,
                "created_at": now.isoformat(),
                "event": event_slug,
                "counts": counts,
                "missing_photos": missing,
                "files": files,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1).encode())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return BackupResult(path=path, event_slug=event_slug, counts=counts, missing_photos=missing)
