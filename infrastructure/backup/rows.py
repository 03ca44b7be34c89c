"""The archive's records made into an event's rows for a restore, every problem collected.

Each record is checked with its model's ``full_clean()``, and the parts are
created in the order of ``PARTS``; a speaker already here is reused. Old
primary keys are kept where they are free, and ``created`` and ``updated``
are put back as the archive has them.
"""

import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import connection

from conference.models import Event, Room, Track
from infrastructure.backup.archive import (
    DATA,
    PHOTO_FIELDS,
    BackupError,
    plain_fields,
    stamp_fields,
)
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker, SpeakerLink


def _uuid_key(value):
    """``value`` as a canonical UUID string, or None."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _safe_storage_name(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name


class Restore:
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
        for column in plain_fields(model):
            if column.name in record:
                try:
                    values[column.attname] = column.to_python(record[column.name])
                except ValidationError as error:
                    self.problems.append(f"{what}: {column.name}: {' '.join(error.messages)}")
        obj = model(**values, **relations)
        if keep_id:
            obj.pk = record["id"]
        stamps = {f.attname: values[f.attname] for f in stamp_fields(model) if f.attname in values}
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
        keep = self.keep_ids(Speaker, list(new.values()))
        for key, record in new.items():
            what = f"speaker {record.get('name')}"
            speaker = self.row(Speaker, record, what=what, keep_id=keep)
            if speaker.slug in taken_slugs:
                speaker.slug = Speaker.unique_slug_for(speaker.slug)
                self.result.warnings.append(
                    f"{what}: the slug {record['slug']} is taken here; now {speaker.slug}."
                )
            if record.get("user"):
                # A username is no proof of a person: here it may name someone
                # else, a superuser even, and the archive may be forged. Signing
                # in as a speaker is the invitation's to grant, or a superuser's.
                self.result.warnings.append(
                    f"{what}: not linked to the account {record['user']}: a restore links no "
                    "speaker to an account (one of that name here may be someone else's). "
                    "A superuser can link it in the admin, or invite the speaker for a new one."
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
