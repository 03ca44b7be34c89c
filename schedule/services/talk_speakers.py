"""Setting a talk's speaker list to what an imported file says, in one place for every importer."""

from schedule.models import TalkSpeaker


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
