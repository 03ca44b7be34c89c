"""Backups of one event: a versioned archive of its data and its speakers' photos, and restores.

It lives in ``conference`` because the event is the unit backed up and
restored, and the event is this app's concept: rooms, tracks, talks and
speakers all hang off it. The dump also reads ``schedule`` and ``speakers``
models, whose own code never needs to know about backups, so the whole
format is kept here, in one place.

An archive is a zip file holding:

- ``manifest.json``: the format and its version, the site's version and each
  app's applied migrations, when and of which event it was made, how many of
  each thing it holds, and the SHA-256 and size of every other member;
- ``data.json``: the event, its rooms, tracks and talks, the speakers of its
  talks with their links, and which speaker gives which talk in which
  position. Records point at each other by natural keys (slugs, UUIDs, a
  user's username), never by database ids, so an archive restores into any
  database. A record keeps its old primary key under ``"id"`` only so that a
  restore can keep it where it is free, because the schedule exports number
  talks and persons by primary key. ``created`` and ``updated`` are restored
  exactly, because calendars and exports show them;
- ``photos/<storage name>``: the speakers' photos and thumbnails.

A restore checks the format version and every checksum before it reads any
data. It then validates every row, writes photos only after the rows are in,
and does all of it in one transaction. Any photo it wrote is deleted again if
that transaction fails. Checksums catch a changed or damaged archive, not a
forged one: anyone who can edit the archive can also edit the manifest.
Archives hold speakers' private email addresses, so keep them as safe as the
database.
"""

import datetime
import hashlib
import io
import json
import os
import tempfile
import tomllib
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from PIL import Image

from conference.models import Event, Room, Track
from conference.page_cache import event_pages_changed
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker, SpeakerLink
from speakers.photos import DECODING_ERRORS, READABLE_FORMATS

FORMAT = "conference-event-backup"
FORMAT_VERSION = 1  # Bump when the archive changes form; restores refuse newer versions.
MANIFEST = "manifest.json"
DATA = "data.json"
PHOTOS = "photos/"
APPS = ("conference", "schedule", "speakers")
PHOTO_FIELDS = ("photo", "photo_thumbnail")
# The parts of data.json besides the event, in the order a restore creates them.
PARTS = {
    "rooms": Room,
    "tracks": Track,
    "speakers": Speaker,
    "speaker_links": SpeakerLink,
    "talks": Talk,
    "talk_speakers": TalkSpeaker,
}
# The relations each model has, all written by natural key (a record's event
# is the archive's). A relation added to a model and not here stops backups
# instead of being left out of them.
RELATIONS = {
    Event: set(),
    Room: {"event"},
    Track: {"event"},
    Speaker: {"user"},
    SpeakerLink: {"speaker"},
    Talk: {"event", "room", "track"},
    TalkSpeaker: {"talk", "speaker"},
}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be written or restored; ``messages`` say why, one per problem."""

    def __init__(self, *messages):
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def _counted(counts):
    """``{"talks": 1, "talk_speakers": 2}`` as “1 talk, 2 talk speakers”."""
    return ", ".join(_number(count, part.replace("_", " ")) for part, count in counts.items())


def _number(count, plural):
    return f"{count} {plural.removesuffix('s') if count == 1 else plural}"


@dataclass
class BackupResult:
    path: Path
    event_slug: str
    counts: dict
    missing_photos: list = field(default_factory=list)

    def summary(self):
        return f"Backed up {self.event_slug} to {self.path}: {_counted(self.counts)}."


@dataclass
class RestoreResult:
    """What a restore did (or, on a dry run, would do)."""

    event_slug: str
    dry_run: bool
    replaced: bool = False
    counts: dict = field(default_factory=dict)  # rows created (and photos written), by part
    speakers_reused: int = 0
    warnings: list = field(default_factory=list)

    def summary(self):
        action = "replaced" if self.replaced else "restored"
        return (
            f"Event {self.event_slug} {action}: {_counted(self.counts)}; "
            f"{_number(self.speakers_reused, 'speakers')} already here reused."
        )


# Writing ---------------------------------------------------------------------------------


def _plain_fields(model):
    """The model's own columns: not the primary key, not relations (written by natural key)."""
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.is_relation]


def _stamp_fields(model):
    """Columns Django sets itself on save; a restore puts the archive's values back after."""
    return [
        f
        for f in _plain_fields(model)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


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
            f"{sorted(RELATIONS[model])}: teach conference/backup.py the new ones first."
        )
    record = {"id": obj.pk}
    record.update({f.name: _dumped(f.value_from_object(obj)) for f in _plain_fields(model)})
    record.update(relations)
    return record


def _app_version():
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _applied_migrations():
    applied = MigrationRecorder(connection).applied_migrations()
    return {app: sorted(name for label, name in applied if label == app) for app in APPS}


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
        migrations = _applied_migrations()
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


# Reading and checking an archive ---------------------------------------------------------


def _digest(archive, name):
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(name) as member:
            while chunk := member.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, OSError) as error:  # a damaged member fails its CRC
        return f"unreadable ({error})", size
    return digest.hexdigest(), size


def _checked_manifest(archive):
    """The manifest, once its format version and every member's checksum are right."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(f"The archive has no {MANIFEST}: it is not an event backup.") from None
    except (ValueError, zipfile.BadZipFile) as error:
        raise BackupError(f"{MANIFEST} cannot be read: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} does not describe an event backup ({FORMAT}).")
    version = manifest.get("format_version")
    if type(version) is not int or version < 1:
        raise BackupError(f"{MANIFEST} gives no valid format version ({version!r}).")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"The archive is in backup format version {version}, newer than the version "
            f"{FORMAT_VERSION} this site reads: restore it with the version of the site that "
            f"made it ({manifest.get('app_version', 'unknown')}) or a later one."
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or DATA not in files:
        raise BackupError(f"{MANIFEST} lists no {DATA}.")
    names = archive.namelist()
    problems = [
        f"{name}: in the archive twice." for name in sorted(set(names)) if names.count(name) > 1
    ]
    problems += [
        f"{name}: in the archive but not in the manifest."
        for name in sorted(set(names) - set(files) - {MANIFEST})
    ]
    for name, expected in sorted(files.items()):
        expected = expected if isinstance(expected, dict) else {}
        wanted = (expected.get("sha256"), expected.get("size"))
        if name not in names:
            problems.append(f"{name}: listed in the manifest but missing from the archive.")
        elif (found := _digest(archive, name)) != wanted:
            problems.append(
                f"{name}: does not match its checksum in the manifest (sha256 {found[0]}, "
                f"{found[1]} bytes; the manifest says {wanted[0]}, {wanted[1]} bytes): "
                "the archive was changed or damaged."
            )
    if problems:
        raise BackupError(*problems)
    return manifest


def _checked_data(archive, manifest):
    """``data.json``: every part a list of records with only fields this site knows."""
    try:
        data = json.loads(archive.read(DATA))
    except ValueError as error:
        raise BackupError(f"{DATA} is not valid JSON: {error}.") from None
    if not isinstance(data, dict) or not isinstance(data.get("event"), dict):
        raise BackupError(f"{DATA} holds no event.")
    problems = []
    for part, model in [("event", Event), *PARTS.items()]:
        records = [data["event"]] if part == "event" else data.get(part)
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            problems.append(f"{DATA}: {part} is not a list of records.")
            continue
        known = {"id", *(f.name for f in _plain_fields(model)), *RELATIONS[model]} - {"event"}
        for index, record in enumerate(records):
            if unknown := sorted(set(record) - known):
                problems.append(
                    f"{DATA}: {part}[{index}] has fields this site does not know "
                    f"({', '.join(unknown)}): the backup was made by a newer version."
                )
            if odd := sorted(name for name, value in record.items() if not _scalar(value)):
                problems.append(f"{DATA}: {part}[{index}]: not a plain value: {', '.join(odd)}.")
        counts = manifest.get("counts")
        counted = counts.get(part, len(records)) if isinstance(counts, dict) else len(records)
        if part != "event" and counted != len(records):
            problems.append(f"{DATA}: {len(records)} {part}, the manifest counts {counted}.")
    if problems:
        raise BackupError(*problems)
    return data


def _scalar(value):
    return value is None or isinstance(value, str | int | float)  # bool is an int


def _migration_warnings(manifest):
    theirs = manifest.get("migrations")
    if not isinstance(theirs, dict):
        return []
    ours = _applied_migrations()
    warnings = []
    for app in APPS:
        if unknown := sorted(set(theirs.get(app) or []) - set(ours[app])):
            warnings.append(
                f"The backup was made with {app} migrations not applied here "
                f"({', '.join(unknown)}); migrate first if anything is missing."
            )
    return warnings


def _uuid_key(value):
    """``value`` as a canonical UUID string, or None."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _safe_storage_name(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name


# Restoring -------------------------------------------------------------------------------


class _Restore:
    """One restore: the archive's records made into rows, with every problem collected."""

    def __init__(self, data, *, slug, copy, result):
        self.data, self.slug, self.copy, self.result = data, slug, copy, result
        self.problems = []
        self.stamps = []  # (row, {column Django sets itself: the archive's value})
        self.kept_ids = []  # (model, highest id kept)

    def run(self, *, replace):
        """Create every row; the new speakers' photos to write, as ``(speaker, field)``."""
        event = self.event(replace=replace)
        rooms = self.places("rooms", Room, event)
        tracks = self.places("tracks", Track, event)
        speakers, new_speakers = self.speakers()
        self.speaker_links(new_speakers)
        talks = self.talks(event, rooms=rooms, tracks=tracks)
        self.talk_speakers(talks, speakers)
        self.put_back_stamps()
        self.advance_sequences()
        return [
            (speaker, name)
            for speaker in new_speakers.values()
            for name in PHOTO_FIELDS
            if getattr(speaker, name).name
        ]

    # Helpers -----------------------------------------------------------------------------

    def row(self, model, record, *, what, keep_id, **relations):
        values = {}
        for column in _plain_fields(model):
            if column.name in record:
                try:
                    values[column.attname] = column.to_python(record[column.name])
                except ValidationError as error:
                    self.problems.append(f"{what}: {column.name}: {' '.join(error.messages)}")
        obj = model(**values, **relations)
        if keep_id:
            obj.pk = record["id"]
        stamps = {f.attname: values[f.attname] for f in _stamp_fields(model) if f.attname in values}
        if stamps:
            self.stamps.append((obj, stamps))
        return obj

    def clean(self, obj, *, what):
        try:
            obj.full_clean()
        except ValidationError as error:
            self.problems += [
                f"{what}: {message}" if name == "__all__" else f"{what}: {name}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]

    def stop_on_problems(self):
        if self.problems:
            raise BackupError(*self.problems)

    def keep_ids(self, model, records):
        """Whether ``records`` keep their old ids: all given, distinct and free here."""
        ids = [record.get("id") for record in records]
        free = (
            all(type(pk) is int and pk > 0 for pk in ids)
            and len(set(ids)) == len(ids)
            and not model.objects.filter(pk__in=ids).exists()
        )
        if free and ids:
            self.kept_ids.append((model, max(ids)))
        elif ids and model in (Talk, Speaker):
            self.result.warnings.append(
                f"The {model._meta.verbose_name_plural}' database ids are taken here, so they "
                "get new ones: the numeric ids (and talk slugs) in schedule.xml and "
                "schedule.json change; the guids do not."
            )
        return free

    def unique(self, part, key, *, normalise=str):
        found = {}
        for record in self.data[part]:
            value = normalise(record.get(key))
            if value in found:
                self.problems.append(f"{DATA}: two {part} have the {key} {value}.")
            found[value] = record
        return found

    def created(self, part, model, objs):
        self.stop_on_problems()
        made = model.objects.bulk_create(objs)
        self.result.counts[part] = len(made)
        return made

    # Parts -------------------------------------------------------------------------------

    def event(self, *, replace):
        existing = Event.objects.select_for_update().filter(slug=self.slug).first()
        if existing is not None and not replace:
            raise BackupError(
                f"An event with the slug “{self.slug}” exists already. Pass --replace to "
                "replace it (its rooms, tracks and talks are deleted first; speakers stay), "
                "or --as NEW-SLUG to restore the backup beside it."
            )
        if existing is not None:
            existing.delete()
            self.result.replaced = True
        record = {**self.data["event"], "slug": self.slug}
        what = f"event {self.slug}"
        event = self.row(Event, record, what=what, keep_id=self.keep_ids(Event, [record]))
        self.clean(event, what=what)
        self.stop_on_problems()
        event.save(force_insert=True)
        self.result.counts["events"] = 1
        return event

    def places(self, part, model, event):
        records = self.unique(part, "slug")
        keep = self.keep_ids(model, self.data[part])
        objs = []
        for slug, record in records.items():
            obj = self.row(model, record, what=f"{part} {slug}", keep_id=keep, event=event)
            self.clean(obj, what=f"{part} {slug}")
            objs.append(obj)
        return {obj.slug: obj for obj in self.created(part, model, objs)}

    def speakers(self):
        """Every speaker by archive UUID, and the new ones; one already here is reused as it is.

        A speaker is found by UUID, else by external id (the importers' key), so
        a person shared with another event is not duplicated; their profile,
        links and photo here are kept, being possibly newer than the archive's.
        """
        records = self.unique("speakers", "uuid", normalise=_uuid_key)
        by_uuid = {
            str(s.uuid): s for s in Speaker.objects.filter(uuid__in=list(filter(None, records)))
        }
        external_ids = [r["external_id"] for r in records.values() if r.get("external_id")]
        by_external_id = {
            s.external_id: s for s in Speaker.objects.filter(external_id__in=external_ids)
        }
        speakers, new = {}, {}
        for key, record in records.items():
            found = by_uuid.get(key) or by_external_id.get(record.get("external_id") or None)
            if found is not None:
                speakers[key] = found
                self.result.speakers_reused += 1
            else:
                new[key] = record
        taken_slugs = set(
            Speaker.objects.filter(slug__in=[r.get("slug") for r in new.values()]).values_list(
                "slug", flat=True
            )
        )
        usernames = [r["user"] for r in new.values() if r.get("user")]
        users = {
            user.get_username(): user
            for user in get_user_model()
            .objects.filter(username__in=usernames)
            .select_related("speaker")
        }
        keep = self.keep_ids(Speaker, list(new.values()))
        for key, record in new.items():
            what = f"speaker {record.get('name')}"
            speaker = self.row(Speaker, record, what=what, keep_id=keep)
            if speaker.slug in taken_slugs:
                speaker.slug = Speaker.unique_slug_for(speaker.slug)
                self.result.warnings.append(
                    f"{what}: the slug {record['slug']} is taken here; now {speaker.slug}."
                )
            user = users.get(record.get("user"))
            if user is not None and not hasattr(user, "speaker"):
                speaker.user = user
            elif record.get("user"):
                self.result.warnings.append(
                    f"{what}: not linked to the account {record['user']}, which is missing "
                    "here or has a profile already."
                )
            for name in PHOTO_FIELDS:
                if not _safe_storage_name(getattr(speaker, name).name):
                    self.problems.append(f"{what}: {name}: the file name is not safe to store.")
            self.clean(speaker, what=what)
            new[key] = speaker
        self.stop_on_problems()
        for speaker in new.values():
            speaker.save(force_insert=True)  # save(), not bulk_create(): history records it
        self.result.counts["speakers"] = len(new)
        return {**speakers, **new}, new

    def speaker_links(self, new_speakers):
        records = [
            r for r in self.data["speaker_links"] if _uuid_key(r.get("speaker")) in new_speakers
        ]
        keep = self.keep_ids(SpeakerLink, records)
        links = []
        for record in records:
            speaker = new_speakers[_uuid_key(record["speaker"])]
            what = f"link {record.get('label')} of {speaker.name}"
            link = self.row(SpeakerLink, record, what=what, keep_id=keep, speaker=speaker)
            self.clean(link, what=what)
            links.append(link)
        self.stop_on_problems()
        for link in links:
            link.save(force_insert=True)
        self.result.counts["speaker_links"] = len(links)

    def talks(self, event, *, rooms, tracks):
        records = self.unique("talks", "uuid", normalise=_uuid_key)
        elsewhere = dict(
            Talk.objects.filter(uuid__in=list(filter(None, records))).values_list(
                "uuid", "event__slug"
            )
        )
        if elsewhere and not self.copy:
            raise BackupError(
                f"{len(elsewhere)} of the backup's talks are in this database already, in the "
                f"event {', '.join(sorted(set(elsewhere.values())))}: restore with --replace "
                "under that slug, or with --as NEW-SLUG to make a copy with new UUIDs."
            )
        if elsewhere:
            self.result.warnings.append(
                f"{len(elsewhere)} talks get new UUIDs, theirs being taken by the event "
                f"{', '.join(sorted(set(elsewhere.values())))}: calendars see them as other talks."
            )
        keep = self.keep_ids(Talk, self.data["talks"])
        objs, talks = [], {}
        for key, record in records.items():
            what = f"talk {record.get('slug')}"
            places = {}
            for name, known in (("room", rooms), ("track", tracks)):
                slug = record.get(name)
                if slug is not None and slug not in known:
                    self.problems.append(f"{what}: {name} {slug} is not in the backup.")
                places[name] = known.get(slug)
            talk = self.row(Talk, record, what=what, keep_id=keep, event=event, **places)
            if talk.uuid in elsewhere:
                talk.uuid = uuid.uuid4()
            self.clean(talk, what=what)
            objs.append(talk)
            talks[key] = talk
        self.created("talks", Talk, objs)
        return talks

    def talk_speakers(self, talks, speakers):
        keep = self.keep_ids(TalkSpeaker, self.data["talk_speakers"])
        objs = []
        for record in self.data["talk_speakers"]:
            talk = talks.get(_uuid_key(record.get("talk")))
            speaker = speakers.get(_uuid_key(record.get("speaker")))
            if talk is None or speaker is None:
                self.problems.append(f"{DATA}: a talk's speaker names a talk or speaker it lacks.")
                continue
            what = f"speaker {speaker.name} of talk {talk.slug}"
            link = self.row(
                TalkSpeaker, record, what=what, keep_id=keep, talk=talk, speaker=speaker
            )
            self.clean(link, what=what)
            objs.append(link)
        self.created("talk_speakers", TalkSpeaker, objs)

    def put_back_stamps(self):
        """``created`` and ``updated`` as the archive has them; saving set them to now."""
        by_model = {}
        for obj, stamps in self.stamps:
            for attname, value in stamps.items():
                setattr(obj, attname, value)
            by_model.setdefault(type(obj), ([], set()))
            by_model[type(obj)][0].append(obj)
            by_model[type(obj)][1].update(stamps)
        for model, (objs, attnames) in by_model.items():
            model.objects.bulk_update(objs, sorted(attnames))  # sends no signal, sets no stamp

    def advance_sequences(self):
        """Move PostgreSQL's id sequences past the ids kept, never back.

        SQLite needs nothing: its AUTOINCREMENT counter follows the highest id inserted.
        """
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model, highest in self.kept_ids:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)",
                    [model._meta.db_table, model._meta.pk.column],
                )
                (sequence,) = cursor.fetchone()
                cursor.execute(f"SELECT last_value FROM {sequence}")  # a name PostgreSQL gave
                if highest >= cursor.fetchone()[0]:
                    cursor.execute("SELECT setval(%s::regclass, %s)", [sequence, highest])


def _checked_photos(archive, photos, result):
    """The photos to write, as ``(speaker, field, member)``; each is checked to be an image."""
    names, wanted, problems = set(archive.namelist()), [], []
    for speaker, name in photos:
        member = PHOTOS + getattr(speaker, name).name
        if member not in names:
            result.warnings.append(
                f"speaker {speaker.name}: {name} {member} was missing when the backup was made."
            )
            continue
        try:
            Image.open(io.BytesIO(archive.read(member)), formats=READABLE_FORMATS).verify()
        except DECODING_ERRORS:
            problems.append(f"{member}: not an image this site accepts (JPEG, PNG, WebP, GIF).")
        wanted.append((speaker, name, member))
    if problems:
        raise BackupError(*problems)
    return wanted


def _write_photos(archive, photos, written):
    """Store each photo under its old name, or a free one beside it; ``written`` lists them."""
    for speaker, name, member in photos:
        file, payload = getattr(speaker, name), archive.read(member)
        if file.storage.exists(file.name):
            with file.storage.open(file.name, "rb") as stored:
                if stored.read() == payload:
                    continue  # already there: not ours to delete should the restore fail
        stored_name = file.storage.save(file.name, ContentFile(payload))
        written.append((file.storage, stored_name))
        if stored_name != file.name:
            Speaker.objects.filter(pk=speaker.pk).update(**{name: stored_name})
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
        manifest = _checked_manifest(archive)
        data = _checked_data(archive, manifest)
        slug = as_slug or data["event"].get("slug") or ""
        result = RestoreResult(event_slug=slug, dry_run=dry_run)
        result.warnings += _migration_warnings(manifest)
        try:
            with transaction.atomic():
                restore = _Restore(data, slug=slug, copy=as_slug is not None, result=result)
                photos = _checked_photos(archive, restore.run(replace=replace), result)
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    result.counts["photos"] = _write_photos(archive, photos, written)
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
