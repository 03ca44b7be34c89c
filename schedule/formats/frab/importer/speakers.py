"""The speakers of a frab import: keyed on the person's guid or id, made and written in bulk."""

from schedule.importing.errors import ImportFileError
from schedule.importing.limits import excerpt
from schedule.importing.results import Outcome
from schedule.importing.writer import (
    row_errors,
    speakers_update,
)
from speakers.models import Speaker


def speaker_external_id(person, *, namespace):
    """``guid:<uuid>``, ``<namespace>:person:<id>``, or "" for a person with neither."""
    if person.guid:
        return f"guid:{person.guid}"
    if person.person_id:
        return f"{namespace}:person:{person.person_id}"
    return ""


def speakers_sync(*, schedule, namespace, new_speakers, result, source):
    """``(speakers, updated)``: the Speaker of every person with an id or guid, by external id.

    ``updated`` are those whose blank bio the file filled. Both are written here.
    """
    wanted = {}
    for talk in schedule.talks:
        for person in talk.persons:
            key = speaker_external_id(person, namespace=namespace)
            if key and (key not in wanted or (person.biography and not wanted[key].biography)):
                wanted[key] = person
    existing = (
        {
            speaker.external_id: speaker
            for speaker in Speaker.objects.filter(external_id__in=list(wanted))
        }
        if wanted
        else {}
    )
    new_speakers.stored_external_ids.update(existing)
    speakers, updated, errors = {}, [], []
    for key, person in wanted.items():
        speaker = existing.get(key)
        if speaker is None:
            speaker = new_speakers.make(name=person.name, bio=person.biography, external_id=key)
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
