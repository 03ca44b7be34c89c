"""The speakers of an event's talks, their links and photos, in its backup.

Registered with ``infrastructure.backup`` in ``SpeakersConfig.ready()``. A
speaker already in the database (same UUID, else same external id) is reused
as they are on a restore, not duplicated: a person shared with another event
keeps their profile, links and photo here, being possibly newer than the
archive's.
"""

import io

from PIL import Image

from infrastructure.backup import Section, register
from infrastructure.backup.rows import uuid_key
from speakers.models import Speaker, SpeakerLink
from speakers.photos import DECODING_ERRORS, READABLE_FORMATS

PHOTO_FIELDS = ("photo", "photo_thumbnail")
# The schedule exports number persons by primary key.
IDS_TAKEN = (
    "The speakers' database ids are taken here, so they get new ones: the numeric ids "
    "(and talk slugs) in schedule.xml and schedule.json change; the guids do not."
)


def _event_speakers(event, dumped):
    # Through the talks' reverse relations: this app does not import the one above it.
    return (
        Speaker.objects.filter(talk_speakers__talk__event=event)
        .distinct()
        .select_related("user")
        .order_by("pk")
    )


def _photo_problem(payload):
    try:
        Image.open(io.BytesIO(payload), formats=READABLE_FORMATS).verify()
    except DECODING_ERRORS:
        return "not an image this site accepts (JPEG, PNG, WebP, GIF)"
    return None


def _restore_speakers(restore):
    """Every speaker by archive UUID (``made["speakers"]``), the new ones apart (``new_speakers``).

    A speaker is found by UUID, else by external id (the importers' key).
    Returns the new ones, whose photos the restore writes.
    """
    records = restore.unique("speakers", "uuid", normalise=uuid_key)
    by_uuid = {str(s.uuid): s for s in Speaker.objects.filter(uuid__in=list(filter(None, records)))}
    external_ids = [r["external_id"] for r in records.values() if r.get("external_id")]
    by_external_id = {
        s.external_id: s for s in Speaker.objects.filter(external_id__in=external_ids)
    }
    speakers, new = {}, {}
    for key, record in records.items():
        found = by_uuid.get(key) or by_external_id.get(record.get("external_id") or None)
        if found is not None:
            speakers[key] = found
            restore.result.speakers_reused += 1
        else:
            new[key] = record
    taken_slugs = set(
        Speaker.objects.filter(slug__in=[r.get("slug") for r in new.values()]).values_list(
            "slug", flat=True
        )
    )
    keep = restore.keep_ids(Speaker, list(new.values()), taken_warning=IDS_TAKEN)
    for key, record in new.items():
        what = f"speaker {record.get('name')}"
        speaker = restore.row(Speaker, record, what=what, keep_id=keep)
        if speaker.slug in taken_slugs:
            speaker.slug = Speaker.unique_slug_for(speaker.slug)
            restore.result.warnings.append(
                f"{what}: the slug {record['slug']} is taken here; now {speaker.slug}."
            )
        if record.get("user"):
            # A username is no proof of a person: here it may name someone
            # else, a superuser even, and the archive may be forged. Signing
            # in as a speaker is the invitation's to grant, or a superuser's.
            restore.result.warnings.append(
                f"{what}: not linked to the account {record['user']}: a restore links no "
                "speaker to an account (one of that name here may be someone else's). "
                "A superuser can link it in the admin, or invite the speaker for a new one."
            )
        restore.check_file_names(speaker, PHOTO_FIELDS, what=what)
        restore.clean(speaker, what=what)
        new[key] = speaker
    restore.stop_on_problems()
    for speaker in new.values():
        speaker.save(force_insert=True)  # save(), not bulk_create(): history records it
    restore.result.counts["speakers"] = len(new)
    restore.made["speakers"] = {**speakers, **new}
    restore.made["new_speakers"] = new
    return list(new.values())


def _restore_links(restore):
    """The links of the new speakers; a reused speaker keeps their own."""
    new_speakers = restore.made["new_speakers"]
    records = [
        r for r in restore.data["speaker_links"] if uuid_key(r.get("speaker")) in new_speakers
    ]
    keep = restore.keep_ids(SpeakerLink, records)
    links = []
    for record in records:
        speaker = new_speakers[uuid_key(record["speaker"])]
        what = f"link {record.get('label')} of {speaker.name}"
        link = restore.row(SpeakerLink, record, what=what, keep_id=keep, speaker=speaker)
        restore.clean(link, what=what)
        links.append(link)
    restore.stop_on_problems()
    for link in links:
        link.save(force_insert=True)
    restore.result.counts["speaker_links"] = len(links)
    return links


def register_sections():
    register(
        Section(
            part="speakers",
            model=Speaker,
            rows=_event_speakers,
            keys=lambda s: {"user": s.user.get_username() if s.user_id else None},
            restore=_restore_speakers,
            relations=frozenset({"user"}),
            after=("event",),
            files=PHOTO_FIELDS,
            file_problem=_photo_problem,
        )
    )
    register(
        Section(
            part="speaker_links",
            model=SpeakerLink,
            rows=lambda event, dumped: (
                SpeakerLink.objects.filter(speaker__in=dumped["speakers"])
                .select_related("speaker")
                .order_by("pk")
            ),
            keys=lambda link: {"speaker": str(link.speaker.uuid)},
            restore=_restore_links,
            relations=frozenset({"speaker"}),
            after=("speakers",),
        )
    )
