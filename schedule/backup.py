"""The talks of an event, and who gives which in which position, in its backup.

Registered with ``infrastructure.backup`` in ``ScheduleConfig.ready()``, after
the event's rooms and tracks and its speakers, which the talks point at.
"""

import uuid

from infrastructure.backup import BackupError, Section, register
from infrastructure.backup.archive import DATA
from infrastructure.backup.rows import uuid_key
from schedule.models import Talk, TalkSpeaker

# The schedule exports number talks by primary key.
IDS_TAKEN = (
    "The talks' database ids are taken here, so they get new ones: the numeric ids "
    "(and talk slugs) in schedule.xml and schedule.json change; the guids do not."
)


def _restore_talks(restore):
    """The event's talks, by archive UUID (``made["talks"]``); taken UUIDs only on a copy."""
    event, rooms, tracks = restore.made["event"], restore.made["rooms"], restore.made["tracks"]
    records = restore.unique("talks", "uuid", normalise=uuid_key)
    elsewhere = dict(
        Talk.objects.filter(uuid__in=list(filter(None, records))).values_list("uuid", "event__slug")
    )
    if elsewhere and not restore.copy:
        raise BackupError(
            f"{len(elsewhere)} of the backup's talks are in this database already, in the "
            f"event {', '.join(sorted(set(elsewhere.values())))}: restore with --replace "
            "under that slug, or with --as NEW-SLUG to make a copy with new UUIDs."
        )
    if elsewhere:
        restore.result.warnings.append(
            f"{len(elsewhere)} talks get new UUIDs, theirs being taken by the event "
            f"{', '.join(sorted(set(elsewhere.values())))}: calendars see them as other talks."
        )
    keep = restore.keep_ids(Talk, restore.data["talks"], taken_warning=IDS_TAKEN)
    objs, talks = [], {}
    for key, record in records.items():
        what = f"talk {record.get('slug')}"
        places = {}
        for name, known in (("room", rooms), ("track", tracks)):
            slug = record.get(name)
            if slug is not None and slug not in known:
                restore.problems.append(f"{what}: {name} {slug} is not in the backup.")
            places[name] = known.get(slug)
        talk = restore.row(Talk, record, what=what, keep_id=keep, event=event, **places)
        if talk.uuid in elsewhere:
            talk.uuid = uuid.uuid4()
        restore.clean(talk, what=what)
        objs.append(talk)
        talks[key] = talk
    made = restore.created("talks", Talk, objs)
    restore.made["talks"] = talks
    return made


def _restore_talk_speakers(restore):
    talks, speakers = restore.made["talks"], restore.made["speakers"]
    keep = restore.keep_ids(TalkSpeaker, restore.data["talk_speakers"])
    objs = []
    for record in restore.data["talk_speakers"]:
        talk = talks.get(uuid_key(record.get("talk")))
        speaker = speakers.get(uuid_key(record.get("speaker")))
        if talk is None or speaker is None:
            restore.problems.append(f"{DATA}: a talk's speaker names a talk or speaker it lacks.")
            continue
        what = f"speaker {speaker.name} of talk {talk.slug}"
        link = restore.row(TalkSpeaker, record, what=what, keep_id=keep, talk=talk, speaker=speaker)
        restore.clean(link, what=what)
        objs.append(link)
    return restore.created("talk_speakers", TalkSpeaker, objs)


def register_sections():
    register(
        Section(
            part="talks",
            model=Talk,
            rows=lambda event, dumped: event.talks.select_related("room", "track").order_by("pk"),
            keys=lambda talk: {
                "room": talk.room.slug if talk.room_id else None,
                "track": talk.track.slug if talk.track_id else None,
            },
            restore=_restore_talks,
            relations=frozenset({"event", "room", "track"}),
            after=("event", "rooms", "tracks"),
        )
    )
    register(
        Section(
            part="talk_speakers",
            model=TalkSpeaker,
            rows=lambda event, dumped: (
                TalkSpeaker.objects.filter(talk__event=event)
                .select_related("talk", "speaker")
                .order_by("pk")
            ),
            keys=lambda link: {"talk": str(link.talk.uuid), "speaker": str(link.speaker.uuid)},
            restore=_restore_talk_speakers,
            relations=frozenset({"talk", "speaker"}),
            after=("talks", "speakers"),
        )
    )
