"""The speakers of a frab import: keyed as ``schedule.importing.people`` decides, written in bulk.

A person with a guid is also found by a speaker's own UUID: that is the guid
our exports give a speaker who came without one, so re-importing an export
finds the speakers it came from.
"""

from django.db.models import Q

from schedule.importing.errors import ImportFileError
from schedule.importing.limits import column_length, excerpt
from schedule.importing.people import guid_of_external_id, person_keys
from schedule.importing.results import Outcome
from schedule.importing.writer import (
    row_errors,
    speakers_update,
)
from speakers.models import Speaker


def frab_person_keys(schedule, *, namespace, source):
    """The :class:`PersonKeys` of every person the file's talks name."""
    return person_keys(
        (person for talk in schedule.talks for person in talk.persons),
        namespace=namespace,
        source=source,
        max_length=column_length(Speaker, "external_id"),
    )


def _existing_speakers(wanted):
    """Stored speakers by the external id they stand for: their own, or their UUID's (one query)."""
    if not wanted:
        return {}
    guids = {guid: key for key in wanted if (guid := guid_of_external_id(key)) is not None}
    found = list(Speaker.objects.filter(Q(external_id__in=list(wanted)) | Q(uuid__in=list(guids))))
    by_uuid = {guids[speaker.uuid]: speaker for speaker in found if speaker.uuid in guids}
    # A speaker who holds the key itself comes before one whose UUID the guid is.
    return by_uuid | {
        speaker.external_id: speaker for speaker in found if speaker.external_id in wanted
    }


def speakers_sync(*, schedule, keys, new_speakers, result, source):
    """``(speakers, updated)``: the Speaker of every person, by the external id ``keys`` gives.

    ``updated`` are those whose blank bio the file filled. Both are written here.
    """
    wanted = {}
    for talk in schedule.talks:
        for person in talk.persons:
            key = keys.external_id(person)
            if key not in wanted or (person.biography and not wanted[key].biography):
                wanted[key] = person
    existing = _existing_speakers(wanted)
    new_speakers.stored_external_ids.update(existing)
    speakers, updated, errors = {}, [], []
    for key, person in wanted.items():
        speaker = existing.get(key)
        if speaker is None:
            guid = keys.guid(person)
            # The speaker keeps the file's guid as its own UUID too, where no one has it.
            speaker = new_speakers.make(
                name=person.name,
                bio=person.biography,
                external_id=key,
                **({"uuid": guid} if guid else {}),
            )
            problems = new_speakers.add(speaker, line=person.line, field_lines=person.field_lines)
            outcome = Outcome.CREATED
        # Speakers edit their own profiles: the file only fills a blank bio.
        elif person.biography and not speaker.bio.strip():
            speaker.bio = person.biography
            problems = row_errors(
                speaker,
                what=f'speaker "{excerpt(person.name)}"',
                field_lines=person.field_lines,
                default_line=person.line,
                limits=new_speakers.limits,
            )
            outcome = Outcome.UPDATED
            if not problems:
                updated.append(speaker)
        else:
            speakers[key] = speaker
            result.count("speakers", Outcome.UNCHANGED)
            continue
        if problems:
            errors.extend(problems)
            continue
        speakers[key] = speaker
        result.count("speakers", outcome)
    errors += new_speakers.unique_errors()
    if errors:
        raise ImportFileError(errors, source)
    new_speakers.write()
    speakers_update(updated, fields=["bio"])
    return speakers, updated
