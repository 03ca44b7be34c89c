"""The talks of an iCalendar import, keyed on their UID: all checked, then written in bulk."""

from infrastructure.slugs import UniqueSlugs
from schedule.importing.clashes import clash_warnings
from schedule.importing.limits import column_length
from schedule.importing.names import name_key
from schedule.importing.writer import (
    row_errors,
    talks_write_checked,
)
from schedule.models import Talk


def _differs(talk, name, value):
    if name == "room":
        return talk.room_id != (value.pk if value else None)
    return getattr(talk, name) != value


def talks_sync(*, event, calendar, times, rooms_of, speakers, result, source, limits):
    """Create or update a talk per event of the file: all checked, then written in bulk.

    The event's talks are read once, each row is validated without a query,
    and the new, changed and relinked talks are written with a statement or
    a few per kind of change, whatever the number of talks.
    """
    existing_talks = list(event.talks.order_by("pk").prefetch_related("talk_speakers"))
    existing = {talk.external_id: talk for talk in existing_talks if talk.external_id}
    taken_slugs = UniqueSlugs(talk.slug for talk in existing_talks)
    errors, new, changes, links = [], [], [], []
    for entry, (start, end) in zip(calendar.events, times, strict=True):
        values = {
            "title": entry.title,
            "abstract": entry.description,
            "start": start,
            "end": end,
            "room": rooms_of(entry.location),
            "source_url": entry.url,
            "is_cancelled": entry.is_cancelled,
        }
        chosen = [speakers[name_key(s.name)] for s in entry.speakers]
        talk = existing.get(entry.external_id)
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
            if entry.title_from_uid:
                # The file has no title for it: the organisers' one stays.
                del values["title"]
            changed = [name for name, value in values.items() if _differs(talk, name, value)]
            same_speakers = [link.speaker_id for link in current_links] == [s.pk for s in chosen]
            if not changed and same_speakers:
                result.talks_unchanged += 1
                continue
            for name in changed:
                setattr(talk, name, values[name])

        problems = row_errors(
            talk,
            what=entry.label,
            field_lines=entry.field_lines,
            default_line=entry.line,
            limits=limits,
        )
        if problems:
            errors.extend(problems)
            continue
        if changed is None:
            new.append((talk, entry.label, entry.line))
            result.talks_created += 1
        else:
            # A talk whose speakers alone changed is updated too, as save() marked it.
            changes.append((talk, [*changed, "updated"]))
            result.talks_updated += 1
        links.append((talk, chosen, current_links))
    # Talks are matched on their external id, so a new one can only take that of an
    # earlier row of the file (a UID spelling the digest of another, too long, UID).
    talks_write_checked(
        new=new, changes=changes, links=links, taken=existing, errors=errors, source=source
    )


def talk_clash_warnings(*, event, calendar, source):
    """The schedule's clashes after the import, pointing at the file's lines where known."""
    line_of = {entry.external_id: entry.line for entry in calendar.events}
    return clash_warnings(
        event=event, source=source, line_of=lambda talk: line_of.get(talk.external_id)
    )
