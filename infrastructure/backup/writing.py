"""Writing a backup: one event, its speakers and their photos, to one zip archive.

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

from conference.models import Event
from infrastructure.backup.archive import (
    DATA,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PARTS,
    PHOTO_FIELDS,
    PHOTOS,
    RELATIONS,
    BackupError,
    applied_migrations,
    plain_fields,
)
from infrastructure.backup.results import BackupResult
from schedule.models import TalkSpeaker
from speakers.models import Speaker, SpeakerLink


def _dumped(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _record(obj, **relations):
    model = type(obj)
    found = {f.name for f in model._meta.concrete_fields if f.is_relation}
    if found != RELATIONS[model]:
        raise BackupError(
            f"{model.__name__} has the relations {sorted(found)}, the backup knows "
            f"{sorted(RELATIONS[model])}: teach infrastructure/backup/archive.py the new ones first."
        )
    record = {"id": obj.pk}
    record.update({f.name: _dumped(f.value_from_object(obj)) for f in plain_fields(model)})
    record.update(relations)
    return record


def _app_version():
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _event_data(event):
    """``data.json``'s content for ``event``, and the speakers whose photos go with it."""
    speakers = list(
        Speaker.objects.filter(talk_speakers__talk__event=event)
        .distinct()
        .select_related("user")
        .order_by("pk")
    )
    links = SpeakerLink.objects.filter(speaker__in=speakers).select_related("speaker")
    talk_speakers = TalkSpeaker.objects.filter(talk__event=event).select_related("talk", "speaker")
    data = {
        "event": _record(event),
        "rooms": [_record(room) for room in event.rooms.order_by("pk")],
        "tracks": [_record(track) for track in event.tracks.order_by("pk")],
        "speakers": [
            _record(s, user=s.user.get_username() if s.user_id else None) for s in speakers
        ],
        "speaker_links": [
            _record(link, speaker=str(link.speaker.uuid)) for link in links.order_by("pk")
        ],
        "talks": [
            _record(
                talk,
                room=talk.room.slug if talk.room_id else None,
                track=talk.track.slug if talk.track_id else None,
            )
            for talk in event.talks.select_related("room", "track").order_by("pk")
        ],
        "talk_speakers": [
            _record(link, talk=str(link.talk.uuid), speaker=str(link.speaker.uuid))
            for link in talk_speakers.order_by("pk")
        ],
    }
    return data, speakers


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
        event = Event.objects.filter(slug=event_slug).first()
        if event is None:
            raise BackupError(f"No event has the slug “{event_slug}”.")
        data, speakers = _event_data(event)
        migrations = applied_migrations()
    now = timezone.now().astimezone(datetime.UTC)
    path = Path(output or f"{event_slug}-{now:%Y%m%dT%H%M%SZ}.zip")
    counts = {part: len(data[part]) for part in PARTS}
    files, missing = {}, []
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            payload = json.dumps(data, ensure_ascii=False, indent=1).encode()
            _add_member(zf, files, DATA, payload)
            for speaker in speakers:
                for photo in (getattr(speaker, name) for name in PHOTO_FIELDS):
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
