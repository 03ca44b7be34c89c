"""Importing frab schedule XML (pretalx, frab, the CCC hub, wafer, FOSDEM) and schedule.json
(pretalx, frab, our own export): ``frab_import``.

Everything is matched on the file's identifiers, never on display names, so a
second run of the same file changes nothing:

- a talk on its guid, which becomes ``Talk.uuid``; a talk without guid on its
  frab id, kept as ``Talk.external_id``. A guid that is already the UUID of a
  talk of another event (the same file imported twice under two slugs, an
  export imported as a new event) is kept as ``external_id`` ``guid:<uuid>``
  and the talk gets a UUID of its own;
- a speaker on the person's guid (``Speaker.external_id`` ``guid:<uuid>``, or
  a speaker whose own UUID it is, as our exports give it), else id
  (``<acronym>:person:<id>``, so that ids of two conferences never meet), else
  name (``<acronym>:name:<name>``). An id or guid that the file gives to two
  different names, or a placeholder id such as "0", is no key
  (``schedule.importing.people``): two names are never merged into one speaker;
- rooms and tracks by name within the event.

What the file owns is written when it differs: a talk's title, subtitle, kind,
abstract, language, recording opt-out, room, track, times, URL and speakers;
a room's or track's position (file order) and a track's colour; the event's
name, dates and zone. Slugs, publication and speakers' profiles stay as people
left them (a blank bio is filled). Nothing is ever deleted.

An import's queries do not grow with the file: each part (rooms, tracks,
speakers, talks, the talks' speakers) is read once, checked in Python and
written in bulk by the shared pipeline (``schedule.importing.writer``); the
event's cached pages are marked stale once, at the end.

- ``places``: rooms and tracks; ``speakers``: people; ``talks``: talks and
  their speakers.
"""

from urllib.parse import urljoin

from django.db import transaction
from django.urls import reverse

from conference.models import Event, Room, Track
from schedule.formats.frab.importer.places import TRACK_PALETTE, places_sync
from schedule.formats.frab.importer.speakers import frab_person_keys, speakers_sync
from schedule.formats.frab.importer.talks import TalkSync
from schedule.formats.frab.parser import (
    event_dates,
    foreign_offset_warnings,
    parse_schedule,
    schedule_zone,
    talk_times,
)
from schedule.formats.frab.parser.times import format_offset
from schedule.importing.clashes import add_clash_warnings, clash_warnings
from schedule.importing.limits import ImportLimits, read_limited
from schedule.importing.results import ALL_OUTCOMES, ImportResult
from schedule.importing.retry import import_with_one_retry
from schedule.importing.writer import NewSpeakers, event_sync, import_pages_changed
from schedule.importing.zones import fixed_offset_advice

#: What a frab import counts, in the order its summary lists them.
FRAB_PARTS = dict.fromkeys(("rooms", "tracks", "talks", "speakers"), ALL_OUTCOMES)

__all__ = [
    "FRAB_PARTS",
    "TRACK_PALETTE",
    "frab_import",
]


def _website(schedule, event_slug):
    """The file's conference ``<url>``, unless it is the event's own page on the site that wrote it.

    Our export names the event's page there when the event has no website of its
    own; taking it as one would change the event on the first re-import of an export.
    """
    if not schedule.base_url:
        return schedule.website
    own_page = urljoin(schedule.base_url, reverse("event_detail", args=[event_slug]))
    return "" if schedule.website == own_page else schedule.website


def _event_sync(*, event, event_slug, schedule, zone, dates, source, limits):
    values = {
        "name": schedule.title,
        "start_date": dates[0],
        "end_date": dates[1],
        "time_zone": zone.key,
    }
    # Only what the file says: a file without a venue leaves the event's alone.
    values |= {"location": schedule.location, "website": _website(schedule, event_slug)}
    values = {name: value for name, value in values.items() if value}
    # Organisers' own edits (publication, tagline, description) are left alone.
    return event_sync(
        event=event,
        event_slug=event_slug,
        values=values,
        field_lines=schedule.field_lines | {"location": schedule.line, "website": schedule.line},
        source=source,
        limits=limits,
    )


def _foreign_offset_group(warnings, *, schedule, zone, source):
    """The one line a command prints for the talks written on another clock than the venue's."""
    if not warnings:
        return {}
    by_line = {talk.time_line: talk for talk in schedule.talks}
    offsets = sorted({by_line[line].date.utcoffset() for line, _ in warnings if line in by_line})
    count = len(warnings)
    summary = (
        f"{source}:{warnings[0][0]}: {count} talk{'s are' if count != 1 else ' is'} on another "
        f"clock than {zone.key}'s (<date> offsets {', '.join(map(format_offset, offsets))}); "
        "using each <date>'s instant; -v 2 lists each"
    )
    return {summary: [f"{source}:{line}: {message}" for line, message in warnings]}


def frab_import(*, path, event_slug, zone=None, dry_run=False, limits=None):
    """Create or update the event ``event_slug`` from the frab schedule XML or JSON at ``path``.

    ``zone`` is the venue's IANA zone as the organiser names it (``--timezone``):
    it wins over the file's ``<time_zone_name>``, and is needed for a new event
    from a file that names no zone and whose times have no offset (pentabarf).

    All or nothing: any problem raises :class:`ImportFileError` (``FILE:LINE: message``)
    before anything is committed, as does a file past ``limits`` (an
    :class:`~schedule.importing.limits.ImportLimits`, the defaults if ``None``).
    A dry run does all the work and rolls it back,
    so its counts are exact. Nothing is ever deleted: talks, speakers, rooms and
    tracks missing from the file stay. Two imports of one event at once take
    turns (see ``import_with_one_retry``).
    """
    source = str(path)
    limits = limits or ImportLimits()
    data = read_limited(path, limits=limits, source=source)
    schedule = parse_schedule(data, source=source, limits=limits)
    return import_with_one_retry(
        lambda: _frab_import_once(
            schedule=schedule,
            event_slug=event_slug,
            zone_name=zone,
            dry_run=dry_run,
            source=source,
            limits=limits,
        ),
        event_slug=event_slug,
        source=source,
    )


def _frab_import_once(*, schedule, event_slug, zone_name, dry_run, source, limits):
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(slug=event_slug).first()
        zone, zone_warnings = schedule_zone(
            schedule, current=event.tz if event else None, given=zone_name, source=source
        )
        times, time_warnings = talk_times(schedule, zone, source=source)
        offset_warnings = foreign_offset_warnings(schedule, zone)
        dates = event_dates(schedule, zone, times, source=source)
        event, event_outcome = _event_sync(
            event=event,
            event_slug=event_slug,
            schedule=schedule,
            zone=zone,
            dates=dates,
            source=source,
            limits=limits,
        )
        advice = fixed_offset_advice(
            zone.key,
            instants=[start for start, _ in times],
            how="with --timezone (a zone of a place keeps pages right in summer and winter)",
        )
        if advice:
            zone_warnings = [
                *zone_warnings,
                (schedule.field_lines.get("time_zone", schedule.line), advice),
            ]
        result = ImportResult(
            event_slug=event_slug,
            event_outcome=event_outcome,
            time_zone=zone.key,
            dry_run=dry_run,
            parts=FRAB_PARTS,
            warnings=[
                f"{source}:{line}: {message}" if line else f"{source}: {message}"
                for line, message in sorted(
                    [*schedule.warnings, *zone_warnings, *time_warnings, *offset_warnings],
                    key=lambda w: w[0] or 0,
                )
            ],
            grouped_warnings=_foreign_offset_group(
                offset_warnings, schedule=schedule, zone=zone, source=source
            ),
        )
        places = {
            part: places_sync(
                model=model,
                part=part,
                event=event,
                entries=entries,
                result=result,
                source=source,
                limits=limits,
            )
            for part, model, entries in (
                ("room", Room, schedule.rooms),
                ("track", Track, schedule.tracks),
            )
        }
        keys = frab_person_keys(schedule, namespace=schedule.acronym or event_slug, source=source)
        result.warnings.extend(keys.warnings)
        result.grouped_warnings |= keys.grouped_warnings
        new_speakers = NewSpeakers(limits=limits)
        speakers, updated_speakers = speakers_sync(
            schedule=schedule,
            keys=keys,
            new_speakers=new_speakers,
            result=result,
            source=source,
        )
        talks = TalkSync(
            event=event,
            schedule=schedule,
            keys=keys,
            places=places,
            speakers=speakers,
            new_speakers=new_speakers,
            result=result,
            source=source,
            limits=limits,
        )
        talks.run(times)
        if result.changed:
            import_pages_changed(event=event, updated_speakers=updated_speakers)
        add_clash_warnings(
            result,
            clash_warnings(
                event=event, source=source, line_of=lambda talk: talks.line_of.get(talk.pk)
            ),
        )
        if dry_run:
            transaction.set_rollback(True)
    return result
