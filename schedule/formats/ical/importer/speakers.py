"""The speakers of an iCalendar import: names the calendar of one event gives, never matched
to other profiles."""

import hashlib

from schedule.importing.errors import ImportFileError
from schedule.importing.limits import column_length
from schedule.importing.names import name_key
from schedule.importing.writer import (
    NewSpeakers,
)
from speakers.models import Speaker


def speaker_external_id(event_slug, name):
    """The id of a speaker the calendar of ``event_slug`` names ``name``; stable across imports."""
    key = name_key(name)
    external_id = f"ics:{event_slug}:{key}"
    if len(external_id) <= column_length(Speaker, "external_id"):
        return external_id
    return f"ics:{event_slug}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


def speakers_sync(*, event_slug, calendar, result, source, limits):
    """The Speaker of every name in the calendar, keyed by ``name_key``.

    The event's speakers are read in one query (their external ids share the
    event's prefix) and the new ones inserted in bulk, with their history.
    """
    wanted = {}
    for entry in calendar.events:
        for speaker in entry.speakers:
            wanted.setdefault(name_key(speaker.name), speaker)
    ids = {key: speaker_external_id(event_slug, entry.name) for key, entry in wanted.items()}
    existing = {
        speaker.external_id: speaker
        for speaker in Speaker.objects.filter(external_id__startswith=f"ics:{event_slug}:")
    }
    new_speakers = NewSpeakers(limits=limits)
    # Every external id of a new speaker has the prefix read above.
    new_speakers.stored_external_ids.update(existing)
    speakers, errors = {}, []
    for key, entry in wanted.items():
        speaker = existing.get(ids[key])
        if speaker is not None:
            # The profile is the speaker's own now: the file never renames it.
            result.speakers_unchanged += 1
            speakers[key] = speaker
            continue
        speaker = new_speakers.make(name=entry.name, external_id=ids[key])
        problems = new_speakers.add(speaker, line=entry.line)
        if problems:
            errors.extend(problems)
            continue
        result.speakers_created += 1
        speakers[key] = speaker
    errors += new_speakers.unique_errors()
    if errors:
        raise ImportFileError(errors, source)
    new_speakers.write()
    return speakers
