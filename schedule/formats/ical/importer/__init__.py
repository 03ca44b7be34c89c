"""Importing an iCalendar file: its events become an event's talks, rooms and speakers.

The file is read by :mod:`schedule.formats.ical.parser`; this package decides what the
readings mean for the database, in one transaction, all or nothing:

- The event's zone is ``--timezone``, else the file's X-WR-TIMEZONE, else the
  existing event's zone, else the TZID most events start in; a file of UTC or
  floating times alone, for a new event, is refused until a zone is given.
  Floating times are read in that zone.
- A talk is keyed on its UID (``Talk.external_id`` = ``ics:`` + UID), so a
  second import updates instead of duplicating; an occurrence of a recurring
  event, or an event repeating another's UID, on its UID and its
  RECURRENCE-ID or start (``ics:UID#20240301T090000Z``). Only what the file
  says is written: title, abstract, times, room, source URL, cancellation and
  speakers; the slug, track, kind and publication stay as organisers left
  them, and so does the title of a talk whose event has no SUMMARY.
- Rooms come from LOCATION, without the venue (see ``location_rooms``); they
  are matched by name, then by slug, and never renamed.
- A speaker in a calendar is only a name, and a name is not an identity: two
  events' "Alex Smith" may be two people. So speakers are never matched to
  existing profiles by name; each is created with the external id
  ``ics:<event slug>:<name in lower case>``, which a re-import of the file
  finds again. Organisers merge profiles by hand when two are one person.
- A new event is named after the calendar (X-WR-CALNAME), located at the
  venue and dated by its talks' span; an existing event only widens its dates
  to the talks' span, takes the zone and fills a blank location.

Nothing is ever deleted: talks missing from the file stay.

- ``zone``: the import's zone and the talks' instants; ``event``: the event;
  ``rooms``, ``speakers``, ``talks``: those rows, checked and written in bulk
  by the shared pipeline (``schedule.importing.writer``).
"""

from django.db import transaction

from conference.models import Event
from schedule.formats.ical.importer.event import event_sync_from_calendar
from schedule.formats.ical.importer.rooms import rooms_plan, rooms_sync
from schedule.formats.ical.importer.speakers import speaker_external_id, speakers_sync
from schedule.formats.ical.importer.talks import talk_clash_warnings, talks_sync
from schedule.formats.ical.importer.zone import zone_and_times
from schedule.formats.ical.parser import parse_ics
from schedule.importing.clashes import add_clash_warnings
from schedule.importing.limits import ImportLimits, read_limited
from schedule.importing.results import ImportResult, Outcome
from schedule.importing.retry import import_with_one_retry
from schedule.importing.writer import import_pages_changed
from schedule.importing.zones import fixed_offset_advice

#: What an iCalendar import counts, in the order its summary lists them.
ICS_PARTS = {
    "talks": (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED),
    "rooms": (Outcome.CREATED, Outcome.UNCHANGED),
    "speakers": (Outcome.CREATED, Outcome.UNCHANGED),
}

__all__ = ["ICS_PARTS", "ics_import", "speaker_external_id"]


def ics_import(
    *, path, event_slug, zone=None, dry_run=False, limits=None, speakers_from_titles=True
):
    """Create or update the event ``event_slug`` and its talks from the iCalendar file ``path``.

    ``zone`` is the venue's IANA zone; see the module's docstring for the
    zone used without it. All or nothing: any problem raises
    :class:`~schedule.formats.ical.parser.ImportFileError` (``FILE:LINE: message``) before
    anything is committed, as does a file past ``limits`` (an
    :class:`~schedule.importing.limits.ImportLimits`, the defaults if ``None``).
    A dry run does all the work and rolls it back, so its counts are exact.
    ``speakers_from_titles``: a pretalx calendar's titles name its speakers
    ("Title - A, B"); ``False`` keeps them whole. Nothing is ever deleted.
    Two imports of one event at once take turns (see ``import_with_one_retry``).
    """
    source = str(path)
    limits = limits or ImportLimits()
    data = read_limited(path, limits=limits, source=source)
    calendar = parse_ics(
        data, source=source, limits=limits, speakers_from_titles=speakers_from_titles
    )
    return import_with_one_retry(
        lambda: _ics_import_once(
            calendar=calendar,
            event_slug=event_slug,
            zone=zone,
            dry_run=dry_run,
            source=source,
            limits=limits,
        ),
        event_slug=event_slug,
        source=source,
    )


def _ics_import_once(*, calendar, event_slug, zone, dry_run, source, limits):
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(slug=event_slug).first()
        tz_name, tz, times = zone_and_times(calendar, zone, event, source=source)
        venue, room_of, uses, room_warnings = rooms_plan(calendar, event, source=source)
        event, event_outcome = event_sync_from_calendar(
            event=event,
            event_slug=event_slug,
            calendar=calendar,
            tz=tz,
            venue=venue,
            times=times,
            source=source,
            limits=limits,
        )
        result = ImportResult(
            event_slug=event_slug,
            event_outcome=event_outcome,
            dry_run=dry_run,
            parts=ICS_PARTS,
            time_zone=tz_name,
            talks_skipped=calendar.skipped,
            warnings=[*calendar.warnings, *room_warnings],
            grouped_warnings=dict(calendar.grouped_warnings),
        )
        advice = fixed_offset_advice(
            tz_name, instants=[start for start, _ in times], how="with --timezone"
        )
        if advice:
            line = None if zone else calendar.field_lines.get("time_zone")
            result.warnings.append(f"{source}:{line}: {advice}" if line else f"{source}: {advice}")
        rooms, warnings = rooms_sync(
            event=event, uses=uses, result=result, source=source, limits=limits
        )
        result.warnings.extend(warnings)
        speakers = speakers_sync(
            event_slug=event_slug, calendar=calendar, result=result, source=source, limits=limits
        )
        talks_sync(
            event=event,
            calendar=calendar,
            times=times,
            rooms_of=lambda location: rooms.get(room_of.get(location, "")),
            speakers=speakers,
            result=result,
            source=source,
            limits=limits,
        )
        if result.changed:
            # Bulk writes send no signals: the event's cached pages are marked stale here.
            import_pages_changed(event=event)
        add_clash_warnings(
            result, talk_clash_warnings(event=event, calendar=calendar, source=source)
        )
        if dry_run:
            transaction.set_rollback(True)
    return result
