"""Importing the 2012 agenda format.

Speakers are matched on their names, talks on the id in their URL (or, without
one, their title). Every row is checked in Python and written in bulk by the
shared pipeline (``schedule.importing``), so that the import's queries do not
grow with the file; the event's cached pages are marked stale once, at the end.
"""

import datetime
from collections import defaultdict
from dataclasses import replace

from django.db import transaction

from conference.models import Event
from conference.venue_time import NonexistentTimeError, venue_datetime
from infrastructure.slugs import UniqueSlugs
from schedule.clashes import Code
from schedule.formats.agenda.parser import parse_agenda
from schedule.importing.clashes import add_clash_warnings, clash_warnings
from schedule.importing.errors import ImportFileError, let_through_by
from schedule.importing.limits import ImportLimits, column_length, excerpt, read_limited
from schedule.importing.names import name_key
from schedule.importing.results import ALL_OUTCOMES, ImportResult, Outcome
from schedule.importing.retry import import_with_one_retry
from schedule.importing.writer import (
    NewSpeakers,
    event_sync,
    import_pages_changed,
    row_errors,
    speakers_update,
    talks_write_checked,
)
from schedule.importing.zones import unknown_zone_message, zone_named
from schedule.models import Talk
from speakers.models import Speaker

#: What an agenda import counts, in the order its summary lists them.
AGENDA_PARTS = {"talks": ALL_OUTCOMES, "speakers": ALL_OUTCOMES}


def _read_text(path, *, source, limits):
    data = read_limited(path, limits=limits, source=source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        message = (
            f"the file is not UTF-8: byte 0x{data[error.start]:02x} at column {column} "
            "cannot be decoded; save the file as UTF-8"
        )
        raise ImportFileError([(line, message)], source) from None


def _zone_for(zone, event, *, source):
    """The ZoneInfo the import uses: the one asked for, else the event's own."""
    if zone is None:
        if event is None:
            message = let_through_by(
                "--timezone", "no time zone: pass --timezone, e.g. Europe/Madrid"
            )
            raise ImportFileError([(None, message)], source)
        zone = event.time_zone
    # Checked against the same list as Event.time_zone's choices, so the event validates.
    tz = zone_named(zone)
    if tz is None:
        message = let_through_by("--timezone", unknown_zone_message(zone))
        raise ImportFileError([(None, message)], source)
    return tz


def _talk_times(agenda, tz, *, source):
    """Aware ``(start, end)`` per talk, warnings and grouped warnings; raises on times that
    do not exist.

    A file's zone abbreviation that the zone is not on is said of every talk
    (the 2012 export has summer time for all 34): those are grouped, so that a
    command prints one line for them unless asked for each.
    """
    times, warnings, errors, mismatches = [], [], [], []
    for talk in agenda.talks:
        try:
            start = venue_datetime(datetime.datetime.combine(talk.date, talk.start_time), tz)
            end = venue_datetime(datetime.datetime.combine(talk.date, talk.end_time), tz)
        except NonexistentTimeError as error:
            errors.append((talk.time_line, f'talk "{excerpt(talk.title)}": {error}'))
            continue
        times.append((start, end))
        where = f'{source}:{talk.time_line}: talk "{excerpt(talk.title)}"'
        # Never take the offset from the abbreviation: the export printed summer
        # time for a November event. The zone decides; a mismatch is only reported.
        if talk.zone_abbreviation and talk.zone_abbreviation.upper() != start.tzname().upper():
            mismatches.append(
                (
                    talk.time_line,
                    f"{where}: the file says {talk.zone_abbreviation} but {tz.key} is on "
                    f"{start.tzname()} then; using {tz.key}",
                )
            )
            warnings.append(mismatches[-1][1])
        for value in (start, end):
            if value.utcoffset() != value.replace(fold=1).utcoffset():
                warnings.append(
                    f"{where}: {value:%H:%M} on {value:%Y-%m-%d} happens twice in {tz.key}; "
                    f"using the first ({value.tzname()})"
                )
        if not agenda.start_date <= talk.date <= agenda.end_date:
            warnings.append(
                f"{where}: {talk.date.isoformat()} is outside the event's dates "
                f"({agenda.start_date.isoformat()} to {agenda.end_date.isoformat()})"
            )
    if errors:
        raise ImportFileError(errors, source)
    groups = {}
    if mismatches:
        count = len(mismatches)
        first = mismatches[0][1].split(": the file says ", 1)[1].split(" then;", 1)[0]
        summary = (
            f"{source}:{mismatches[0][0]}: {count} talk{'s' if count != 1 else ''} give a zone "
            f"abbreviation that {tz.key} is not on then (the first, on this line: the file "
            f"says {first}); using {tz.key}; -v 2 lists each"
        )
        groups[summary] = [warning for _, warning in mismatches]
    return times, warnings, groups


def _event_sync(*, event, event_slug, agenda, tz, source, limits):
    values = {
        "name": agenda.name,
        "location": agenda.location,
        "start_date": agenda.start_date,
        "end_date": agenda.end_date,
        "description": agenda.description,
        "time_zone": tz.key,
    }
    # Organisers' own edits (publication, tagline, website) are left alone.
    return event_sync(
        event=event,
        event_slug=event_slug,
        values=values,
        field_lines=agenda.field_lines,
        source=source,
        limits=limits,
    )


def _speakers_sync(*, agenda, result, source, limits):
    """``(speakers, updated)``: the Speaker of every person in the agenda, keyed by
    ``name_key``, and those whose blank affiliation the file filled.

    Each is checked without a query; the new ones are inserted and the updated
    ones written in bulk, with their history.
    """
    wanted = {}
    for talk in agenda.talks:
        for speaker in talk.speakers:
            key = name_key(speaker.name)
            known = wanted.setdefault(key, speaker)
            if not known.affiliation and speaker.affiliation:
                wanted[key] = replace(known, affiliation=speaker.affiliation)

    # Names are matched in Python: the database cannot compare them with
    # whitespace normalised, nor casefold non-ASCII letters on SQLite. The oldest
    # speaker wins when two existing profiles share a name.
    pk_by_key = {}
    for pk, name in Speaker.objects.order_by("pk").values_list("pk", "name"):
        pk_by_key.setdefault(name_key(name), pk)
    existing = Speaker.objects.in_bulk([pk_by_key[key] for key in wanted if key in pk_by_key])

    new_speakers = NewSpeakers(limits=limits)
    speakers, updated, errors = {}, [], []
    for key, entry in wanted.items():
        speaker = existing.get(pk_by_key.get(key))
        if speaker is None:
            speaker = new_speakers.make(name=entry.name, affiliation=entry.affiliation)
            problems = new_speakers.add(speaker, line=entry.line)
            outcome = Outcome.CREATED
        # Speakers edit their own profiles: the file only fills a blank affiliation.
        elif entry.affiliation and not speaker.affiliation:
            speaker.affiliation = entry.affiliation
            problems = row_errors(
                speaker,
                what=f'speaker "{excerpt(entry.name)}"',
                field_lines={},
                default_line=entry.line,
                limits=limits,
            )
            outcome = Outcome.UPDATED
        else:
            speakers[key] = speaker
            result.speakers_unchanged += 1
            continue
        if problems:
            errors.extend(problems)
            continue
        if outcome == Outcome.CREATED:
            result.speakers_created += 1
        else:
            updated.append(speaker)
            result.speakers_updated += 1
        speakers[key] = speaker
    errors += new_speakers.unique_errors()
    if errors:
        raise ImportFileError(errors, source)
    new_speakers.write()
    speakers_update(updated, fields=["affiliation"])
    return speakers, updated


def _talks_sync(*, event, agenda, times, speakers, result, source, limits):
    """Create or update a talk per talk of the file: all checked, then written in bulk."""
    existing = list(event.talks.order_by("pk").prefetch_related("talk_speakers"))
    by_external_id = {talk.external_id: talk for talk in existing if talk.external_id}
    # Talks without an id are matched by title; each existing talk only once, so
    # two same-titled talks in the file stay two talks on every run.
    without_id_by_title = defaultdict(list)
    for talk in existing:
        if not talk.external_id:
            without_id_by_title[talk.title].append(talk)
    taken_slugs = UniqueSlugs(talk.slug for talk in existing)

    errors, new, changes, links = [], [], [], []
    for entry, (start, end) in zip(agenda.talks, times, strict=True):
        values = {
            "title": entry.title,
            "kind": entry.kind,
            "abstract": entry.abstract,
            "start": start,
            "end": end,
            "source_url": entry.source_url,
        }
        chosen = [speakers[name_key(s.name)] for s in entry.speakers]
        if entry.external_id:
            talk = by_external_id.get(entry.external_id)
        else:
            candidates = without_id_by_title.get(entry.title)
            talk = candidates.pop(0) if candidates else None

        if talk is None:
            talk = Talk(
                event=event,
                slug=taken_slugs.make_from(
                    entry.title, fallback="talk", max_length=column_length(Talk, "slug")
                ),
                external_id=entry.external_id,
                is_published=True,
                **values,
            )
            current_links, changed = [], None
        else:
            current_links = list(talk.talk_speakers.all())
            changed = [name for name, value in values.items() if getattr(talk, name) != value]
            same_speakers = [link.speaker_id for link in current_links] == [s.pk for s in chosen]
            if not changed and same_speakers:
                result.talks_unchanged += 1
                continue
            for name in changed:
                setattr(talk, name, values[name])

        problems = row_errors(
            talk,
            what=f'talk "{excerpt(entry.title)}"',
            field_lines=entry.field_lines,
            default_line=entry.line,
            limits=limits,
        )
        if problems:
            errors.extend(problems)
            continue
        what = f'talk "{excerpt(entry.title)}"'
        if changed is None:
            new.append((talk, what, entry.line))
            result.talks_created += 1
        else:
            # Only what the file owns is written: slug, room, track and
            # publication stay as organisers left them. A talk whose speakers
            # alone changed is marked updated too, as save() did.
            changes.append((talk, [*changed, "updated"]))
            result.talks_updated += 1
        links.append((talk, chosen, current_links))
    # The parser refuses an external id used twice, and existing talks are matched on theirs.
    talks_write_checked(
        new=new, changes=changes, links=links, taken=by_external_id, errors=errors, source=source
    )


def _clash_warnings(*, event, agenda, source):
    """The schedule's clashes after the import, pointing at the file's lines where known."""
    line_of = {entry.external_id or entry.title: entry.line for entry in agenda.talks}
    return clash_warnings(
        event=event,
        source=source,
        line_of=lambda talk: line_of.get(talk.external_id or talk.title),
        # Dates outside the event are already reported, with the time line.
        skip={Code.OUTSIDE_EVENT},
    )


def agenda_import(*, path, event_slug, zone=None, dry_run=False, limits=None):
    """Create or update the event ``event_slug`` and its talks from the agenda file at ``path``.

    ``zone`` is the venue's IANA zone; without it the existing event's zone is
    used. All or nothing: any problem raises :class:`ImportFileError` (``FILE:LINE:
    message``) before anything is committed, as does a file past ``limits``
    (an :class:`~schedule.importing.limits.ImportLimits`, the defaults if
    ``None``). A dry run does all the work and rolls it back, so its counts
    are exact. Nothing is ever deleted: talks missing from the file stay.

    Two imports of one event at once take turns: the event's row is locked
    for the whole import. When the event does not exist yet, both create it
    and the database refuses the second; that import then runs once more and
    finds the first one's work.
    """
    source = str(path)
    limits = limits or ImportLimits()
    text = _read_text(path, source=source, limits=limits)
    agenda = parse_agenda(text, source=source, limits=limits)
    return import_with_one_retry(
        lambda: _agenda_import_once(
            agenda=agenda,
            event_slug=event_slug,
            zone=zone,
            dry_run=dry_run,
            source=source,
            limits=limits,
        ),
        event_slug=event_slug,
        source=source,
    )


def _agenda_import_once(*, agenda, event_slug, zone, dry_run, source, limits):
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(slug=event_slug).first()
        tz = _zone_for(zone, event, source=source)
        times, warnings, grouped_warnings = _talk_times(agenda, tz, source=source)
        event, event_outcome = _event_sync(
            event=event, event_slug=event_slug, agenda=agenda, tz=tz, source=source, limits=limits
        )
        result = ImportResult(
            event_slug=event_slug,
            event_outcome=event_outcome,
            dry_run=dry_run,
            parts=AGENDA_PARTS,
            warnings=warnings,
            grouped_warnings=grouped_warnings,
        )
        speakers, updated_speakers = _speakers_sync(
            agenda=agenda, result=result, source=source, limits=limits
        )
        _talks_sync(
            event=event,
            agenda=agenda,
            times=times,
            speakers=speakers,
            result=result,
            source=source,
            limits=limits,
        )
        if result.changed:
            # Bulk writes send no signals: the cached pages are marked stale here.
            import_pages_changed(event=event, updated_speakers=updated_speakers)
        add_clash_warnings(result, _clash_warnings(event=event, agenda=agenda, source=source))
        if dry_run:
            transaction.set_rollback(True)
    return result
