"""Importing frab schedule XML (pretalx, frab, the CCC hub, wafer, FOSDEM): ``frab_import``.

Everything is matched on the file's identifiers, never on display names, so a
second run of the same file changes nothing:

- a talk on its guid, which becomes ``Talk.uuid``; a talk without guid on its
  frab id, kept as ``Talk.external_id``. A guid that is already the UUID of a
  talk of another event (the same file imported twice under two slugs, an
  export imported as a new event) is kept as ``external_id`` ``guid:<uuid>``
  and the talk gets a UUID of its own;
- a speaker on the person's guid (``Speaker.external_id`` ``guid:<uuid>``) or
  id (``<acronym>:person:<id>``, so that ids of two conferences never meet). A
  person with neither is matched by name among that talk's speakers only;
- rooms and tracks by name within the event.

What the file owns is written when it differs: a talk's title, subtitle, kind,
abstract, language, recording opt-out, room, track, times, URL and speakers;
a room's or track's position (file order) and a track's colour; the event's
name, dates and zone. Slugs, publication and speakers' profiles stay as people
left them (a blank bio is filled). Nothing is ever deleted.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from conference.models import Event, Room, Track
from schedule.clashes import schedule_problems
from schedule.frab import FrabError, event_dates, parse_frab, schedule_zone, talk_times
from schedule.models import Talk, TalkSpeaker
from schedule.services.agenda import Outcome, import_with_one_retry, speaker_name_key
from schedule.services.importing import talk_speakers_set, validation_errors
from speakers.models import Speaker

# Tracks the file gives no colour (d3's category10: distinct, and readable on white).
TRACK_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
PARTS = ("rooms", "tracks", "talks", "speakers")


@dataclass
class FrabImportResult:
    """What an import did (or, on a dry run, would do)."""

    event_slug: str
    event_outcome: Outcome
    time_zone: str
    dry_run: bool
    rooms_created: int = 0
    rooms_updated: int = 0
    rooms_unchanged: int = 0
    tracks_created: int = 0
    tracks_updated: int = 0
    tracks_unchanged: int = 0
    talks_created: int = 0
    talks_updated: int = 0
    talks_unchanged: int = 0
    speakers_created: int = 0
    speakers_updated: int = 0
    speakers_unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def count(self, part, outcome):
        name = f"{part}_{outcome}"
        setattr(self, name, getattr(self, name) + 1)

    @property
    def changed(self):
        return self.event_outcome != Outcome.UNCHANGED or any(
            getattr(self, f"{part}_{outcome}")
            for part in PARTS
            for outcome in (Outcome.CREATED, Outcome.UPDATED)
        )

    def summary(self):
        counts = " ".join(
            f"{part.title()}: {getattr(self, f'{part}_created')} created, "
            f"{getattr(self, f'{part}_updated')} updated, "
            f"{getattr(self, f'{part}_unchanged')} unchanged."
            for part in PARTS
        )
        return f"Event {self.event_slug} ({self.time_zone}): {self.event_outcome}. {counts}"


def _validation_errors(instance, **kwargs):
    # Foreign keys are not looked up again: the importer holds the very rows
    # they point to, saved in this transaction.
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    return validation_errors(instance, exclude=relations, **kwargs)


def _unique_slug(text, taken, *, fallback, max_length):
    base = slugify(text)[: max_length - 10].strip("-_") or fallback
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def _name_key(name):
    return " ".join(name.split()).casefold()


def _event_sync(*, event, event_slug, schedule, zone, dates, source):
    values = {
        "name": schedule.title,
        "start_date": dates[0],
        "end_date": dates[1],
        "time_zone": zone.key,
    }
    # Only what the file says: a file without a venue leaves the event's alone.
    values |= {name: getattr(schedule, name) for name in ("location", "website")}
    values = {name: value for name, value in values.items() if value}
    if event is None:
        event = Event(slug=event_slug, is_published=True, **values)
        changed = None
    else:
        changed = [name for name, value in values.items() if getattr(event, name) != value]
        if not changed:
            return event, Outcome.UNCHANGED
        for name in changed:
            setattr(event, name, values[name])
    errors = _validation_errors(
        event,
        what=f"event {event_slug}",
        field_lines=schedule.field_lines | {"location": schedule.line, "website": schedule.line},
        default_line=None,
    )
    if errors:
        raise FrabError(errors, source)
    if changed is None:
        event.save()
        return event, Outcome.CREATED
    # Organisers' own edits (publication, tagline, description) are left alone.
    event.save(update_fields=[*changed, "updated"])
    return event, Outcome.UPDATED


def _places_sync(*, model, part, event, entries, result, source):
    """The rooms or tracks (``model``) of ``event`` for ``entries``, by name key.

    The file's order is their position.
    """
    existing = {}
    for place in model.objects.filter(event=event).order_by("pk"):
        existing.setdefault(_name_key(place.name), place)
    taken = set(model.objects.filter(event=event).values_list("slug", flat=True))
    places, errors = {}, []
    for position, entry in enumerate(entries):
        place = existing.get(_name_key(entry.name))
        colour = getattr(entry, "colour", "")
        if place is None:
            place = model(
                event=event,
                name=entry.name,
                slug=_unique_slug(entry.slug or entry.name, taken, fallback=part, max_length=100),
                position=position,
            )
            if model is Track:
                place.colour = colour or TRACK_PALETTE[position % len(TRACK_PALETTE)]
            changed = None
        else:
            changed = []
            if place.position != position:
                place.position = position
                changed.append("position")
            # A track the file gives no colour keeps the one it has.
            if colour and place.colour.lower() != colour:
                place.colour = colour
                changed.append("colour")
            if not changed:
                places[_name_key(entry.name)] = place
                result.count(f"{part}s", Outcome.UNCHANGED)
                continue
        problems = _validation_errors(
            place,
            what=f'{part} "{entry.name}"',
            field_lines={},
            default_line=entry.line,
        )
        if problems:
            errors.extend(problems)
            continue
        if changed is None:
            place.save()
            result.count(f"{part}s", Outcome.CREATED)
        else:
            place.save(update_fields=changed)
            result.count(f"{part}s", Outcome.UPDATED)
        places[_name_key(entry.name)] = place
    if errors:
        raise FrabError(errors, source)
    return places


def speaker_external_id(person, *, namespace):
    """``guid:<uuid>``, ``<namespace>:person:<id>``, or "" for a person with neither."""
    if person.guid:
        return f"guid:{person.guid}"
    if person.person_id:
        return f"{namespace}:person:{person.person_id}"
    return ""


def _new_speaker(person, *, external_id):
    return Speaker(
        name=person.name,
        slug=Speaker.unique_slug_for(person.name),
        bio=person.biography,
        external_id=external_id,
    )


def _speaker_save(speaker, person, *, outcome, result, errors):
    """Validate and save ``speaker``; ``False`` (and errors noted) if it cannot be."""
    problems = _validation_errors(
        speaker, what=f'speaker "{person.name}"', field_lines={}, default_line=person.line
    )
    if problems:
        errors.extend(problems)
        return False
    if outcome == Outcome.CREATED:
        speaker.save()
    else:
        speaker.save(update_fields=["bio", "updated"])
    result.count("speakers", outcome)
    return True


def _speakers_sync(*, schedule, namespace, result, source):
    """The Speaker of every person with an id or guid, keyed by external id."""
    wanted = {}
    for talk in schedule.talks:
        for person in talk.persons:
            key = speaker_external_id(person, namespace=namespace)
            if key and (key not in wanted or (person.biography and not wanted[key].biography)):
                wanted[key] = person
    existing = {
        speaker.external_id: speaker
        for speaker in Speaker.objects.filter(external_id__in=list(wanted))
    }
    speakers, errors = {}, []
    for key, person in wanted.items():
        speaker = existing.get(key)
        if speaker is None:
            speaker, outcome = _new_speaker(person, external_id=key), Outcome.CREATED
        # Speakers edit their own profiles: the file only fills a blank bio.
        elif person.biography and not speaker.bio.strip():
            speaker.bio, outcome = person.biography, Outcome.UPDATED
        else:
            speakers[key] = speaker
            result.count("speakers", Outcome.UNCHANGED)
            continue
        if _speaker_save(speaker, person, outcome=outcome, result=result, errors=errors):
            speakers[key] = speaker
    if errors:
        raise FrabError(errors, source)
    return speakers


class _TalkSync:
    """Creates or updates each talk of the file in ``event``, and links its speakers."""

    def __init__(self, *, event, schedule, namespace, places, speakers, result, source):
        self.event = event
        self.schedule = schedule
        self.namespace = namespace
        self.places = places
        self.speakers = speakers
        self.result = result
        self.source = source
        self.errors = []
        self.line_of = {}
        speaker_links = Prefetch(
            "talk_speakers", queryset=TalkSpeaker.objects.select_related("speaker")
        )
        existing = list(event.talks.order_by("pk").prefetch_related(speaker_links))
        self.by_uuid = {talk.uuid: talk for talk in existing}
        self.by_external_id = {talk.external_id: talk for talk in existing if talk.external_id}
        self.taken_slugs = {talk.slug for talk in existing}
        guids = [entry.guid for entry in schedule.talks if entry.guid]
        self.guids_elsewhere = set(
            Talk.objects.filter(uuid__in=guids).exclude(event=event).values_list("uuid", flat=True)
        )

    def run(self, times):
        for entry, (start, end) in zip(self.schedule.talks, times, strict=True):
            self.sync(entry, start=start, end=end)
        if self.errors:
            raise FrabError(self.errors, self.source)

    def identity(self, entry):
        """``(existing talk or None, fields that identify a new one)``."""
        if entry.guid is None:
            return self.by_external_id.get(entry.frab_id), {"external_id": entry.frab_id}
        kept_as = f"guid:{entry.guid}"
        talk = self.by_uuid.get(entry.guid) or self.by_external_id.get(kept_as)
        if entry.guid in self.guids_elsewhere:
            return talk, {"external_id": kept_as}
        return talk, {"uuid": entry.guid}

    def values(self, entry, *, start, end):
        return {
            "title": entry.title,
            "subtitle": entry.subtitle,
            "kind": entry.kind,
            "abstract": entry.abstract,
            "language": entry.language or Talk._meta.get_field("language").default,
            "do_not_record": entry.do_not_record,
            "room": self.places["room"].get(_name_key(entry.room)),
            "track": self.places["track"].get(_name_key(entry.track)),
            "start": start,
            "end": end,
            "source_url": entry.source_url,
        }

    def speaker_ids(self, entry, current_links):
        """The talk's speakers' pks in file order; persons without id or guid are found or made."""
        ids = []
        unkeyed = {
            speaker_name_key(link.speaker.name): link.speaker
            for link in current_links
            if not link.speaker.external_id
        }
        for person in entry.persons:
            key = speaker_external_id(person, namespace=self.namespace)
            if key:
                ids.append(self.speakers[key].pk)
                continue
            self.result.warnings.append(
                f"{self.source}:{person.line}: {entry.label}: person "
                f'"{person.name}" has neither id nor guid; matched by name among this '
                "talk's speakers only"
            )
            speaker = unkeyed.get(speaker_name_key(person.name))
            if speaker is not None:
                self.result.count("speakers", Outcome.UNCHANGED)
            else:
                speaker = _new_speaker(person, external_id="")
                if not _speaker_save(
                    speaker, person, outcome=Outcome.CREATED, result=self.result, errors=self.errors
                ):
                    continue
            if speaker.pk not in ids:
                ids.append(speaker.pk)
        return ids

    def sync(self, entry, *, start, end):
        talk, identity = self.identity(entry)
        values = self.values(entry, start=start, end=end)
        if talk is None:
            slug = _unique_slug(
                entry.slug or entry.title, self.taken_slugs, fallback="talk", max_length=200
            )
            talk = Talk(event=self.event, slug=slug, is_published=True, **identity, **values)
            current_links, changed = [], None
        else:
            current_links = list(talk.talk_speakers.all())
            changed = [name for name, value in values.items() if _differs(talk, name, value)]
            for name in changed:
                setattr(talk, name, values[name])
        speaker_ids = self.speaker_ids(entry, current_links)
        speakers_changed = [link.speaker_id for link in current_links] != speaker_ids
        if changed is None or changed:
            problems = _validation_errors(
                talk, what=entry.label, field_lines=entry.field_lines, default_line=entry.line
            )
            if problems:
                self.errors.extend(problems)
                return
        if changed is None:
            talk.save()
            outcome = Outcome.CREATED
        elif changed:
            # Only what the file owns is written: slug and publication stay.
            talk.save(update_fields=[*changed, "updated"])
            outcome = Outcome.UPDATED
        else:
            outcome = Outcome.UPDATED if speakers_changed else Outcome.UNCHANGED
        self.result.count("talks", outcome)
        self.line_of[talk.pk] = entry.line
        if speakers_changed:
            talk_speakers_set(talk=talk, speaker_ids=speaker_ids, current_links=current_links)


def _differs(talk, name, value):
    if name in ("room", "track"):
        return getattr(talk, f"{name}_id") != (value.pk if value else None)
    return getattr(talk, name) != value


def _clash_warnings(*, event, line_of, source):
    """The schedule's clashes after the import; ``line_of`` maps talk pks to file lines."""
    warnings = []
    for problem in schedule_problems(event):
        if problem.is_error:
            line = line_of.get(problem.talks[0].pk)
            where = f"{source}:{line}" if line else source
            warnings.append(f"{where}: clash: {problem.message}")
    return warnings


def frab_import(*, path, event_slug, dry_run=False):
    """Create or update the event ``event_slug`` from the frab schedule XML at ``path``.

    All or nothing: any problem raises :class:`FrabError` (``FILE:LINE: message``)
    before anything is committed. A dry run does all the work and rolls it back,
    so its counts are exact. Nothing is ever deleted: talks, speakers, rooms and
    tracks missing from the file stay. Two imports of one event at once take
    turns (see ``import_with_one_retry``).
    """
    source = str(path)
    schedule = parse_frab(Path(path).read_bytes(), source=source)
    return import_with_one_retry(
        lambda: _frab_import_once(
            schedule=schedule, event_slug=event_slug, dry_run=dry_run, source=source
        ),
        event_slug=event_slug,
        error_class=FrabError,
        source=source,
    )


def _frab_import_once(*, schedule, event_slug, dry_run, source):
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(slug=event_slug).first()
        zone, zone_warnings = schedule_zone(
            schedule, current=event.tz if event else None, source=source
        )
        times, time_warnings = talk_times(schedule, zone, source=source)
        dates = event_dates(schedule, zone, times, source=source)
        event, event_outcome = _event_sync(
            event=event,
            event_slug=event_slug,
            schedule=schedule,
            zone=zone,
            dates=dates,
            source=source,
        )
        result = FrabImportResult(
            event_slug=event_slug,
            event_outcome=event_outcome,
            time_zone=zone.key,
            dry_run=dry_run,
            warnings=[
                f"{source}:{line}: {message}"
                for line, message in sorted(
                    [*schedule.warnings, *zone_warnings, *time_warnings], key=lambda w: w[0]
                )
            ],
        )
        places = {
            part: _places_sync(
                model=model, part=part, event=event, entries=entries, result=result, source=source
            )
            for part, model, entries in (
                ("room", Room, schedule.rooms),
                ("track", Track, schedule.tracks),
            )
        }
        namespace = schedule.acronym or event_slug
        speakers = _speakers_sync(
            schedule=schedule, namespace=namespace, result=result, source=source
        )
        talks = _TalkSync(
            event=event,
            schedule=schedule,
            namespace=namespace,
            places=places,
            speakers=speakers,
            result=result,
            source=source,
        )
        talks.run(times)
        result.warnings.extend(_clash_warnings(event=event, line_of=talks.line_of, source=source))
        if dry_run:
            transaction.set_rollback(True)
    return result
