"""What every importer does alike: check a row against the file, and set a talk's speakers."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from schedule.models import TalkSpeaker


def validation_errors(
    instance,
    *,
    what,
    field_lines,
    default_line,
    exclude=(),
    validate_unique=True,
    validate_constraints=True,
):
    """``full_clean()``'s complaints as ``(line, message)``, pointing at the file.

    ``validate_unique`` and ``validate_constraints`` are ``full_clean()``'s: an
    importer that checks a whole batch at once turns them off and reports what
    it finds with :func:`validation_messages`.
    """
    try:
        instance.full_clean(
            exclude=exclude,
            validate_unique=validate_unique,
            validate_constraints=validate_constraints,
        )
    except ValidationError as error:
        return validation_messages(
            error, what=what, field_lines=field_lines, default_line=default_line
        )
    return []


def validation_messages(error, *, what, field_lines, default_line):
    """The ``ValidationError`` ``error`` as ``(line, message)``, one per message."""
    return [
        (
            field_lines.get(name, default_line),
            f"{what}: {message}" if name == NON_FIELD_ERRORS else f"{what}: {name}: {message}",
        )
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def talk_speakers_set(*, talk, speaker_ids, current_links):
    """Make the talk's speaker list ``speaker_ids``, in that order, touching few rows.

    ``current_links`` are the talk's TalkSpeaker rows as loaded. The file is the
    talk's speaker list: a person it no longer names is unlinked from the talk;
    the Speaker row itself stays.
    """
    links = {link.speaker_id: link for link in current_links}
    stale = [link.pk for link in current_links if link.speaker_id not in speaker_ids]
    TalkSpeaker.objects.filter(pk__in=stale).delete()
    for position, speaker_id in enumerate(speaker_ids):
        link = links.get(speaker_id)
        if link is None:
            TalkSpeaker.objects.create(talk=talk, speaker_id=speaker_id, position=position)
        elif link.position != position:
            link.position = position
            link.save(update_fields=["position"])
