"""The talks of an event, who gives which, and its schedule's releases, in its backup.

Registered with ``infrastructure.backup`` in ``ScheduleConfig.ready()``, after
the event's rooms and tracks and its speakers, which the talks point at.

- ``talks`` and ``talk_speakers``: the working schedule, the one organisers edit.
- ``releases``: the event's releases, by number; who released one is kept by
  username.
- ``released_talks`` and ``released_talk_speakers``: the copies of the talks
  each release froze, keyed by the release's number and the talk's UUID, so
  that the public schedule (the current release) and the history come back as
  they were.

Releases came with format version 2. An older archive holds the working
schedule only: its restore makes the public talks of it the event's release
"1", as the migration that brought releases did for every event.
"""

import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone

from infrastructure.backup import BackupError, Section, register
from infrastructure.backup.archive import DATA
from infrastructure.backup.rows import uuid_key
from schedule.models import Release, ReleaseChange, Talk, TalkSpeaker
from schedule.releases.changelog import release_changes_record
from schedule.releases.changes import DETAIL_FIELDS, SCHEDULE_FIELDS, schedule_changes
from schedule.releases.service import freeze, plan_release, released_talks

RELEASES_SINCE = 2  # the backup format version that added the releases' parts
CHANGES_SINCE = 3  # the version that added the releases' changes

# The schedule exports number talks by primary key.
IDS_TAKEN = (
    "The talks' database ids are taken here, so they get new ones: the numeric ids "
    "(and talk slugs) in schedule.xml and schedule.json change; the guids do not."
)


def _released_records(restore):
    return restore.data.get("released_talks", [])


def _talk_uuids(restore):
    """The archive's talk UUIDs taken here, each mapped to the new one it gets on a copy.

    A working talk and its released copies share a UUID (a calendar's identity
    of the talk), so a copy gives them one new UUID together. Without ``--as``
    a taken UUID stops the restore.
    """
    wanted = {
        key
        for record in [*restore.data["talks"], *_released_records(restore)]
        if (key := uuid_key(record.get("uuid")))
    }
    taken = set(Talk._base_manager.filter(uuid__in=wanted).values_list("uuid", "event__slug"))
    events = ", ".join(sorted({slug for _, slug in taken}))
    uuids = {talk_uuid for talk_uuid, _ in taken}
    if uuids and not restore.copy:
        raise BackupError(
            f"{len(uuids)} of the backup's talks are in this database already, in the "
            f"event {events}: restore with --replace under that slug, or with --as NEW-SLUG "
            "to make a copy with new UUIDs."
        )
    if uuids:
        restore.result.warnings.append(
            f"{len(uuids)} talks get new UUIDs, theirs being taken by the event "
            f"{events}: calendars see them as other talks."
        )
    return {talk_uuid: uuid.uuid4() for talk_uuid in uuids}


def _places(restore, record, *, what):
    """The talk's room and track, by the slugs the record gives."""
    places = {}
    for name in ("room", "track"):
        known, slug = restore.made[f"{name}s"], record.get(name)
        if slug is not None and slug not in known:
            restore.problems.append(f"{what}: {name} {slug} is not in the backup.")
        places[name] = known.get(slug)
    return places


def _restore_talks(restore):
    """The working talks, by archive UUID (``made["talks"]``); taken UUIDs only on a copy."""
    event = restore.made["event"]
    records = restore.unique("talks", "uuid", normalise=uuid_key)
    new_uuids = _talk_uuids(restore)
    # Working talks and released copies share the table, so their ids are kept together.
    keep = restore.keep_ids(
        Talk, [*restore.data["talks"], *_released_records(restore)], taken_warning=IDS_TAKEN
    )
    objs, talks = [], {}
    for key, record in records.items():
        what = f"talk {record.get('slug')}"
        if record.get("release") is not None:
            restore.problems.append(f"{what}: a working talk belongs to no release.")
        places = _places(restore, record, what=what)
        talk = restore.row(Talk, record, what=what, keep_id=keep, event=event, **places)
        talk.uuid = new_uuids.get(talk.uuid, talk.uuid)
        restore.clean(talk, what=what)
        objs.append(talk)
        talks[key] = talk
    made = restore.created("talks", Talk, objs)
    restore.made["talks"] = talks
    restore.made["talk_uuids"] = new_uuids
    restore.made["talk_ids_kept"] = keep
    return made


def _speaker_links(restore, part, talk_of):
    """The records of ``part`` as rows; ``talk_of(record)`` finds the talk one names."""
    speakers = restore.made["speakers"]
    keep = restore.keep_ids(TalkSpeaker, restore.data[part])
    objs = []
    for record in restore.data[part]:
        talk = talk_of(record)
        speaker = speakers.get(uuid_key(record.get("speaker")))
        if talk is None or speaker is None:
            restore.problems.append(f"{DATA}: a talk's speaker names a talk or speaker it lacks.")
            continue
        what = f"speaker {speaker.name} of talk {talk.slug}"
        if talk.release_id:
            what += f" in release {talk.release.number}"
        link = restore.row(TalkSpeaker, record, what=what, keep_id=keep, talk=talk, speaker=speaker)
        restore.clean(link, what=what)
        objs.append(link)
    return restore.created(part, TalkSpeaker, objs)


def _restore_talk_speakers(restore):
    talks = restore.made["talks"]
    return _speaker_links(
        restore, "talk_speakers", lambda record: talks.get(uuid_key(record.get("talk")))
    )


def _release_number(value):
    return value if type(value) is int else None


def _restore_releases(restore):
    """The event's releases by number (``made["releases"]``), who released them by username."""
    if restore.format_version < RELEASES_SINCE:
        return _release_working_schedule(restore)
    event = restore.made["event"]
    records = restore.unique("releases", "number", normalise=_release_number)
    if sum(1 for record in records.values() if record.get("is_current") is True) > 1:
        restore.problems.append(f"{DATA}: more than one release is the current one.")
    user_model = get_user_model()
    usernames = {record["released_by"] for record in records.values() if record.get("released_by")}
    # Who released it, for the organisers' record; the account is given no rights by it.
    accounts = {
        user.get_username(): user
        for user in user_model._default_manager.filter(
            **{f"{user_model.USERNAME_FIELD}__in": usernames}
        )
    }
    keep = restore.keep_ids(Release, restore.data["releases"])
    objs = []
    for record in records.values():
        what = f"release {record.get('name')}"
        username = record.get("released_by")
        if username and username not in accounts:
            restore.result.warnings.append(
                f"{what}: released by {username}, who has no account here; kept without."
            )
        release = restore.row(
            Release,
            record,
            what=what,
            keep_id=keep,
            event=event,
            released_by=accounts.get(username),
        )
        restore.clean(release, what=what)
        objs.append(release)
    made = restore.created("releases", Release, objs)
    restore.made["releases"] = {release.number: release for release in made}
    return made


def _release_working_schedule(restore):
    """An archive from before releases: its public talks become the event's release "1"."""
    event = restore.made["event"]
    release = Release.objects.create(
        event=event, number=1, name="1", released_at=timezone.now(), is_current=True
    )
    working = plan_release(event).working
    copies = freeze(release, working)
    # The copies are the talks as the backup has them, stamps included.
    record_of = {
        restore.made["talks"][key].uuid: record
        for record in restore.data["talks"]
        if (key := uuid_key(record.get("uuid"))) in restore.made["talks"]
    }
    for copy in copies:
        restore.keep_stamps(copy, record_of[copy.uuid])
    restore.result.counts.update(
        releases=1,
        released_talks=len(copies),
        released_talk_speakers=sum(len(talk.talk_speakers.all()) for talk in working),
    )
    restore.result.warnings.append(
        "The backup was made before schedule releases: the public talks of its schedule "
        "are now its release “1”."
    )
    restore.made["releases"] = {release.number: release}
    return [release]


def _restore_released_talks(restore):
    """Each release's copies, by release number and archive UUID (``made["released_talks"]``)."""
    if "released_talks" not in restore.data:
        return []  # an older archive: the release was made of the working talks
    event, releases = restore.made["event"], restore.made["releases"]
    new_uuids, keep = restore.made["talk_uuids"], restore.made["talk_ids_kept"]
    objs, copies = [], {}
    for record in restore.data["released_talks"]:
        number, key = record.get("release"), uuid_key(record.get("uuid"))
        what = f"talk {record.get('slug')} of release {number}"
        release = releases.get(_release_number(number))
        if release is None:
            restore.problems.append(f"{what}: release {number} is not in the backup.")
            continue
        if (release.number, key) in copies:
            restore.problems.append(f"{DATA}: release {number} has the talk {key} twice.")
            continue
        places = _places(restore, record, what=what)
        copy = restore.row(
            Talk, record, what=what, keep_id=keep, event=event, release=release, **places
        )
        copy.uuid = new_uuids.get(copy.uuid, copy.uuid)
        restore.clean(copy, what=what)
        objs.append(copy)
        copies[(release.number, key)] = copy
    made = restore.created("released_talks", Talk, objs)
    restore.made["released_talks"] = copies
    return made


def _restore_released_talk_speakers(restore):
    if "released_talk_speakers" not in restore.data:
        return []  # an older archive: the release was made of the working talks
    copies = restore.made["released_talks"]
    return _speaker_links(
        restore,
        "released_talk_speakers",
        lambda record: copies.get(
            (_release_number(record.get("release")), uuid_key(record.get("talk")))
        ),
    )


def _restore_release_changes(restore):
    """Each release's changes, by release number and position; the copies by (number, UUID)."""
    if "release_changes" not in restore.data:
        return _release_changes_worked_out(restore)
    releases, copies = restore.made["releases"], restore.made["released_talks"]
    keep = restore.keep_ids(ReleaseChange, restore.data["release_changes"])
    known_fields = set(SCHEDULE_FIELDS + DETAIL_FIELDS)
    objs, seen = [], set()
    for record in restore.data["release_changes"]:
        number, position = record.get("release"), record.get("position")
        what = f"change {position} of release {number}"
        release = releases.get(_release_number(number))
        if release is None:
            restore.problems.append(f"{what}: release {number} is not in the backup.")
            continue
        if (release.number, position) in seen:
            restore.problems.append(f"{DATA}: release {number} has the change {position} twice.")
            continue
        seen.add((release.number, position))
        fields = record.get("fields")
        if not isinstance(fields, list) or not set(map(str, fields)) <= known_fields:
            restore.problems.append(f"{what}: fields: not a list of the talks' fields.")
        ends = {}
        for end, release_number in (
            ("before", record.get("before_release")),
            ("after", release.number),
        ):
            key = uuid_key(record.get(end))
            if record.get(end) is None:
                ends[end] = None
            elif (copy := copies.get((_release_number(release_number), key))) is None:
                restore.problems.append(
                    f"{what}: {end}: release {release_number} has no talk {record.get(end)}."
                )
            else:
                ends[end] = copy
        change = restore.row(
            ReleaseChange, record, what=what, keep_id=keep, release=release, **ends
        )
        restore.clean(change, what=what)
        objs.append(change)
    return restore.created("release_changes", ReleaseChange, objs)


def _release_changes_worked_out(restore):
    """An archive from before the changelog was kept: each release against the one before."""
    made, previous = [], []
    for number in sorted(restore.made["releases"]):
        release = restore.made["releases"][number]
        copies = released_talks(release)
        made += release_changes_record(
            release=release, changes=schedule_changes(previous, copies), copies=copies
        )
        previous = copies
    restore.result.counts["release_changes"] = len(made)
    if restore.format_version >= RELEASES_SINCE:  # else the releases' warning says it
        restore.result.warnings.append(
            "The backup was made before the changelog was kept: each release's changes are "
            "worked out again from the release before it."
        )
    return made


def _release_change_keys(change):
    before, after = change.before, change.after
    return {
        "release": change.release.number,
        "before": str(before.uuid) if before else None,
        "before_release": before.release.number if before else None,
        "after": str(after.uuid) if after else None,
    }


def _talk_places(talk):
    return {
        "room": talk.room.slug if talk.room_id else None,
        "track": talk.track.slug if talk.track_id else None,
    }


def register_sections():
    register(
        Section(
            part="talks",
            model=Talk,
            # The event's own relation reads the working talks only.
            rows=lambda event, dumped: event.talks.select_related("room", "track").order_by("pk"),
            keys=_talk_places,
            restore=_restore_talks,
            relations=frozenset({"event", "release", "room", "track"}),
            after=("event", "rooms", "tracks"),
        )
    )
    register(
        Section(
            part="talk_speakers",
            model=TalkSpeaker,
            rows=lambda event, dumped: (
                TalkSpeaker.objects.filter(talk__event=event, talk__release__isnull=True)
                .select_related("talk", "speaker")
                .order_by("pk")
            ),
            keys=lambda link: {"talk": str(link.talk.uuid), "speaker": str(link.speaker.uuid)},
            restore=_restore_talk_speakers,
            relations=frozenset({"talk", "speaker"}),
            after=("talks", "speakers"),
        )
    )
    register(
        Section(
            part="releases",
            model=Release,
            rows=lambda event, dumped: (
                Release.objects.filter(event=event).select_related("released_by").order_by("number")
            ),
            keys=lambda release: {
                "released_by": release.released_by.get_username() if release.released_by else None
            },
            restore=_restore_releases,
            relations=frozenset({"event", "released_by"}),
            after=("event", "talks", "talk_speakers"),
            since=RELEASES_SINCE,
        )
    )
    register(
        Section(
            part="released_talks",
            model=Talk,
            rows=lambda event, dumped: (
                Talk.released.filter(event=event)
                .select_related("release", "room", "track")
                .order_by("release__number", "pk")
            ),
            keys=lambda talk: {"release": talk.release.number, **_talk_places(talk)},
            restore=_restore_released_talks,
            relations=frozenset({"event", "release", "room", "track"}),
            after=("releases", "rooms", "tracks"),
            since=RELEASES_SINCE,
        )
    )
    register(
        Section(
            part="released_talk_speakers",
            model=TalkSpeaker,
            rows=lambda event, dumped: (
                TalkSpeaker.objects.filter(talk__event=event, talk__release__isnull=False)
                .select_related("talk__release", "speaker")
                .order_by("talk__release__number", "pk")
            ),
            keys=lambda link: {
                "release": link.talk.release.number,
                "talk": str(link.talk.uuid),
                "speaker": str(link.speaker.uuid),
            },
            restore=_restore_released_talk_speakers,
            relations=frozenset({"talk", "speaker"}),
            extra_keys=frozenset({"release"}),
            after=("released_talks", "speakers"),
            since=RELEASES_SINCE,
        )
    )
    register(
        Section(
            part="release_changes",
            model=ReleaseChange,
            rows=lambda event, dumped: (
                ReleaseChange.objects.filter(release__event=event)
                .select_related("release", "before__release", "after")
                .order_by("release__number", "position")
            ),
            keys=_release_change_keys,
            restore=_restore_release_changes,
            relations=frozenset({"release", "before", "after"}),
            extra_keys=frozenset({"before_release"}),
            after=("releases", "released_talks", "released_talk_speakers"),
            since=CHANGES_SINCE,
        )
    )
