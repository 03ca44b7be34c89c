"""Backing an event up and restoring it: ``backup_event``, ``restore_event`` and the archive."""

import datetime
import hashlib
import html
import io
import json
import re
import zipfile
from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models.fields.files import FieldFile
from django.utils.http import parse_http_date
from PIL import Image

from conference.admin_site import ORGANISERS_GROUP
from conference.models import Event, Room, Track
from infrastructure.backup import restoring
from infrastructure.page_cache import event_version
from schedule.models import Release, ReleaseChange, Talk, TalkSpeaker
from schedule.releases.service import release_schedule
from speakers.models import Speaker, SpeakerLink
from speakers.photos import process_photo
from speakers.services import speaker_photo_replace
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    UserFactory,
    scheduled_talk,
)

SLUG = "kvm-forum"
ADA_NOT_LINKED = (
    "speaker Ada Lovelace: not linked to the account ada: a restore links no speaker to an "
    "account (one of that name here may be someone else's). A superuser can link it in the "
    "admin, or invite the speaker for a new one."
)


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def photo_of(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), colour).save(buffer, "PNG")
    buffer.seek(0)
    return process_photo(buffer)


@pytest.fixture
def people(db):
    ada = SpeakerFactory(
        name="Ada Lovelace",
        slug="ada-lovelace",
        bio="Writes *programs*.",
        email="ada@example.org",
        website="https://ada.example.org/",
        external_id="guid:5bb0e4b6-31d7-4b61-8d3a-7f7e1b0c9a11",
        user=UserFactory(username="ada"),
    )
    speaker_photo_replace(speaker=ada, processed=photo_of("teal"))
    ada.save()
    SpeakerLink.objects.create(speaker=ada, label="Mastodon", url="https://m.example/@ada")
    SpeakerLink.objects.create(
        speaker=ada, label="GitHub", url="https://github.com/ada", position=1
    )
    return {
        "ada": ada,
        "bob": SpeakerFactory(name="Bob Ng", slug="bob-ng", affiliation=""),
        "cy": SpeakerFactory(name="Cy Ö'Brien", slug="cy-obrien"),
        "dee": SpeakerFactory(name="Dee", slug="dee"),
    }


@pytest.fixture
def event(people):
    """An event with a bit of everything the exports show, stamped in the past."""
    event = EventFactory(
        name="KVM Forum 2012",
        slug=SLUG,
        tagline="Virtualisation & friends",
        website="https://kvm.example.org/",
        location="Barcelona, Spain",
    )
    hall_a = RoomFactory(event=event, name="Hall A", slug="hall-a", capacity=300, position=0)
    hall_b = RoomFactory(event=event, name="Hall B", slug="hall-b", position=1)
    virt = TrackFactory(event=event, name="Virtualisation", slug="virt", colour="#1F77B4")
    storage = TrackFactory(event=event, name="Storage", slug="storage", colour="#ff7f0e")
    ada, bob, cy, dee = (people[name] for name in ("ada", "bob", "cy", "dee"))
    scheduled_talk(
        event, "Virtio status", room=hall_a, track=virt, speakers=[bob, ada], kind="keynote"
    )
    scheduled_talk(event, "Block layer", end=(9, 45), room=hall_b, track=storage, speakers=[cy])
    scheduled_talk(
        event, "Cancelled talk", (10, 0), (10, 30), room=hall_a, speakers=[dee], is_cancelled=True
    )
    scheduled_talk(
        event, "Hidden talk", (10, 0), (10, 30), room=hall_b, speakers=[ada], is_published=False
    )
    scheduled_talk(
        event,
        "Migration deep dive",
        (23, 0),
        (0, 15),  # past midnight
        day=8,
        end_day=9,
        speakers=[ada, bob, cy],
        subtitle="Live, postcopy & more",
        abstract="**Fast** migration.\r\n\r\n<script>alert(1)</script>",
        language="de",
        do_not_record=True,
        external_id="talk-42",
    )
    TalkFactory(event=event, title="Unscheduled", slug="unscheduled", start=None, end=None)
    # What attendees see: the release's copies of the public talks.
    release_schedule(
        event, name="1", notify=False, allow_errors=True, released_at=utc(2012, 10, 1, 18, 0)
    )
    # Stamps the exports show, with microseconds a lossy dump would drop.
    for number, item in enumerate(Talk._base_manager.filter(event=event).order_by("pk")):
        Talk._base_manager.filter(pk=item.pk).update(
            created=utc(2012, 9, 1, 8, 0, number, 123456),
            updated=utc(2012, 10, 1, 12, number, 56, 789012),
        )
    Speaker.objects.update(created=utc(2012, 8, 1, 8, 0), updated=utc(2012, 8, 2, 9, 30, 1, 5))
    Event.objects.filter(pk=event.pk).update(
        created=utc(2012, 6, 1, 10, 0), updated=utc(2012, 10, 2, 10, 0, 0, 42)
    )
    event.refresh_from_db()
    return event


def exports(client, slug=SLUG, *, last_modified=True):
    """Every schedule export of the event, as fetched by a subscriber: path → what came back."""
    talks = Talk.objects.filter(event__slug=slug).order_by("slug").values_list("slug", flat=True)
    paths = [f"/{slug}/schedule.{kind}" for kind in ("xml", "json", "ics")]
    paths += [f"/{slug}/talks/{talk_slug}.ics" for talk_slug in talks]
    fetched = {}
    for path in paths:
        response = client.get(path)
        headers = ["Content-Type", "Content-Disposition", "ETag", "Access-Control-Allow-Origin"]
        # The calendars' Last-Modified is when the cache filled.
        if last_modified and not path.endswith(".ics"):
            headers.append("Last-Modified")
        fetched[path] = (
            response.status_code,
            {name: response.get(name) for name in headers},
            response.content,
        )
    return fetched


def _plain(value):
    return value.name if isinstance(value, FieldFile) else value


def rows(slug=SLUG):
    """Every column of every row of the event, its releases and speakers, ids included."""

    def columns(obj):
        return {f.attname: _plain(f.value_from_object(obj)) for f in obj._meta.concrete_fields}

    event = Event.objects.get(slug=slug)
    speakers = Speaker.objects.filter(talks__event=event).distinct().order_by("pk")
    return {
        "event": columns(event),
        "rooms": [columns(room) for room in Room.objects.filter(event=event).order_by("pk")],
        "tracks": [columns(track) for track in Track.objects.filter(event=event).order_by("pk")],
        "talks": [columns(item) for item in Talk.objects.filter(event=event).order_by("pk")],
        "talk_speakers": [
            columns(link)
            for link in TalkSpeaker.objects.filter(
                talk__event=event, talk__release__isnull=True
            ).order_by("pk")
        ],
        "releases": [columns(item) for item in Release.objects.filter(event=event).order_by("pk")],
        "released_talks": [
            columns(item) for item in Talk.released.filter(event=event).order_by("pk")
        ],
        "released_talk_speakers": [
            columns(link)
            for link in TalkSpeaker.objects.filter(
                talk__event=event, talk__release__isnull=False
            ).order_by("pk")
        ],
        "release_changes": [
            columns(change)
            for change in ReleaseChange.objects.filter(release__event=event).order_by("pk")
        ],
        "speakers": [columns(speaker) for speaker in speakers],
        "speaker_links": [
            columns(link)
            for link in SpeakerLink.objects.filter(speaker__in=speakers).order_by("pk")
        ],
    }


def stored_photos(speakers):
    return {
        file.name: file.storage.open(file.name, "rb").read()
        for speaker in speakers
        for file in (speaker.photo, speaker.photo_thumbnail)
        if file.name and file.storage.exists(file.name)
    }


def wipe(slug=SLUG):
    """Delete the event, the speakers only it has, and their photo files."""
    event = Event.objects.get(slug=slug)
    own = [
        speaker
        for speaker in Speaker.objects.filter(talks__event=event).distinct()
        if not speaker.talks.exclude(event=event).exists()
    ]
    for speaker in own:
        for file in (speaker.photo, speaker.photo_thumbnail):
            if file.name:
                file.storage.delete(file.name)
    event.delete()
    Speaker.objects.filter(pk__in=[speaker.pk for speaker in own]).delete()
    return own


def back_up(path, slug=SLUG):
    call_command("backup_event", "--event", slug, "--output", str(path), stdout=io.StringIO())
    return path


def restore(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("restore_event", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *args):
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("restore_event", str(path), *args, stdout=io.StringIO(), stderr=err)
    return str(raised.value), err.getvalue().splitlines()


MODELS = (Event, Room, Track, Release, Talk, TalkSpeaker, ReleaseChange, Speaker, SpeakerLink)
NOTHING = {model.__name__: [] for model in MODELS}


def database_state():
    # Every row: the talks' default manager leaves the releases' copies out.
    return {
        model.__name__: sorted(model._base_manager.values_list("pk", flat=True)) for model in MODELS
    }


def rewritten(source, target, *, data=None, manifest=None, members=None, fix_checksums=False):
    """A copy of the archive ``source`` with its data, manifest or members edited.

    ``data`` and ``manifest`` are functions that change the parsed JSON in
    place; ``members`` maps member names to new bytes (None drops one).
    ``fix_checksums`` makes the manifest agree again, as a careful forger would.
    """
    with zipfile.ZipFile(source) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    parsed = json.loads(contents["manifest.json"])
    if data:
        loaded = json.loads(contents["data.json"])
        data(loaded)
        contents["data.json"] = json.dumps(loaded).encode()
    for name, payload in (members or {}).items():
        if payload is None:
            contents.pop(name)
        else:
            contents[name] = payload
    if fix_checksums:
        parsed["files"] = {
            name: {"sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}
            for name, payload in contents.items()
            if name != "manifest.json"
        }
    if manifest:
        manifest(parsed)
    contents["manifest.json"] = json.dumps(parsed).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, payload in contents.items():
            archive.writestr(name, payload)
    return target


# The round trip ----------------------------------------------------------------------------


def test_a_restored_backup_serves_byte_identical_schedules(client, tmp_path, event, people):
    before, rows_before = exports(client), rows()
    photos_before = stored_photos(people.values())
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()
    assert database_state() == NOTHING
    assert stored_photos(people.values()) == {}
    version_before = event_version(SLUG)

    out, err = restore(archive)

    assert (out, err.splitlines()) == (
        "Event kvm-forum restored: 1 event, 2 rooms, 2 tracks, 4 speakers, 2 speaker links, "
        "6 talks, 8 talk speakers, 1 release, 5 released talks, 7 released talk speakers, "
        "5 release changes, 2 photos; 0 speakers already here reused.\n",
        [ADA_NOT_LINKED],
    )
    assert event_version(SLUG) != version_before
    after = exports(client)
    assert list(after) == list(before)
    for path, fetched in before.items():
        assert after[path] == fetched, path
    assert {path: status for path, (status, _, _) in before.items()} == {
        "/kvm-forum/schedule.xml": 200,
        "/kvm-forum/schedule.json": 200,
        "/kvm-forum/schedule.ics": 200,
        "/kvm-forum/talks/block-layer.ics": 200,
        "/kvm-forum/talks/cancelled-talk.ics": 404,  # cancelled: only in the whole calendar
        "/kvm-forum/talks/hidden-talk.ics": 404,
        "/kvm-forum/talks/migration-deep-dive.ics": 200,
        "/kvm-forum/talks/unscheduled.ics": 404,
        "/kvm-forum/talks/virtio-status.ics": 200,
    }
    assert b"Cancelled talk" in before["/kvm-forum/schedule.ics"][2]
    for speaker in rows_before["speakers"]:
        speaker["user_id"] = None  # the one change: no account is linked back
    assert rows() == rows_before
    assert stored_photos(Speaker.objects.all()) == photos_before


# Committed for real: flush() empties tables outside the test's transaction. The
# migrations' data is put back afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_an_empty_database(client, tmp_path, event, people):
    before = exports(client)
    archive = back_up(tmp_path / "kvm-forum.zip")
    for name in stored_photos(people.values()):
        default_storage.delete(name)
    call_command("flush", interactive=False, verbosity=0)  # every table, counters reset
    assert database_state() == NOTHING

    _, err = restore(archive)

    assert err.splitlines() == [ADA_NOT_LINKED]
    assert exports(client, last_modified=False) == {
        path: (
            status,
            {name: value for name, value in headers.items() if name != "Last-Modified"},
            body,
        )
        for path, (status, headers, body) in before.items()
    }
    # Byte for byte, but newer: a subscriber who saw edits made after the backup must
    # not be told (304) that nothing changed since.
    for path in ("/kvm-forum/schedule.xml", "/kvm-forum/schedule.json"):
        restored = parse_http_date(client.get(path)["Last-Modified"])
        assert restored >= parse_http_date(before[path][1]["Last-Modified"])
    # The counters moved past the ids restored, the releases' copies' too: the next
    # talk gets a fresh one.
    highest = max(Talk._base_manager.values_list("pk", flat=True))
    assert TalkFactory(event=Event.objects.get(slug=SLUG)).pk == highest + 1


def test_speaker_pages_come_back_with_photos_and_links(client, tmp_path, event, people):
    paths = ["/kvm-forum/speakers/"] + [
        f"/kvm-forum/speakers/{speaker.slug}/" for speaker in people.values()
    ]
    before = [(client.get(path).status_code, client.get(path).content) for path in paths]
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()

    restore(archive)

    assert [(client.get(path).status_code, client.get(path).content) for path in paths] == before


@pytest.mark.parametrize("privilege", ["none", "superuser", "organiser"])
def test_a_restore_links_no_speaker_to_an_account_already_here(tmp_path, event, privilege):
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()
    account = get_user_model().objects.get(username="ada")
    if privilege == "superuser":
        account.is_staff = account.is_superuser = True
        account.save()
    elif privilege == "organiser":
        account.groups.add(Group.objects.get(name=ORGANISERS_GROUP))

    _, err = restore(archive)

    assert err.splitlines() == [ADA_NOT_LINKED]
    assert Speaker.objects.get(slug="ada-lovelace").user is None
    assert not Speaker.objects.filter(user=account).exists()


def test_a_forged_archive_cannot_link_a_speaker_to_the_superuser(tmp_path, event):
    get_user_model().objects.create_superuser("root", "", "correct horse battery staple")
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()

    def bob_is_root(data):
        next(record for record in data["speakers"] if record["slug"] == "bob-ng")["user"] = "root"

    restore(rewritten(archive, tmp_path / "forged.zip", data=bob_is_root, fix_checksums=True))

    assert Speaker.objects.get(slug="bob-ng").user is None
    assert not Speaker.objects.filter(user__username="root").exists()


def _ids_moved_by_a_thousand(data):
    for part in data.values():
        for record in part if isinstance(part, list) else [part]:
            record["id"] += 1000


def test_restored_ids_leave_room_for_new_rows(tmp_path, event):
    archive = back_up(tmp_path / "kvm-forum.zip")
    highest = Talk._base_manager.order_by("-pk").first().pk  # a release's copy
    wipe()
    # As if from a database that counted further: ids well beyond this one's sequences.
    moved = rewritten(
        archive, tmp_path / "moved.zip", data=_ids_moved_by_a_thousand, fix_checksums=True
    )

    restore(moved)
    restored = Event.objects.get(slug=SLUG)
    added = TalkFactory(event=restored)

    assert restored.pk == event.pk + 1000
    others = Talk._base_manager.exclude(pk=added.pk)
    assert max(others.values_list("pk", flat=True)) == highest + 1000
    assert added.pk > highest + 1000


# The archive -------------------------------------------------------------------------------


def test_the_archive_holds_a_manifest_data_by_natural_keys_and_the_photos(tmp_path, event, people):
    ada = people["ada"]

    archive = back_up(tmp_path / "kvm-forum.zip")

    with zipfile.ZipFile(archive) as opened:
        names = sorted(opened.namelist())
        manifest = json.loads(opened.read("manifest.json"))
        data = json.loads(opened.read("data.json"))
        contents = {name: opened.read(name) for name in names}
    photos = sorted(f"photos/{name}" for name in (ada.photo.name, ada.photo_thumbnail.name))
    assert names == sorted(["data.json", "manifest.json", *photos])
    assert manifest["format"] == "conference-event-backup"
    assert manifest["format_version"] == 3
    assert manifest["app_version"] == "0.1.0"
    assert manifest["event"] == SLUG
    assert manifest["missing_photos"] == []
    assert datetime.datetime.fromisoformat(manifest["created_at"]).tzinfo == datetime.UTC
    assert manifest["counts"] == {
        "rooms": 2,
        "tracks": 2,
        "speakers": 4,
        "speaker_links": 2,
        "talks": 6,
        "talk_speakers": 8,
        "releases": 1,
        "released_talks": 5,
        "released_talk_speakers": 7,
        "release_changes": 5,
        "photos": 2,
    }
    assert set(manifest["migrations"]) == {"conference", "schedule", "speakers"}
    assert "0004_speaker_uuid_external_id" in manifest["migrations"]["speakers"]
    assert manifest["files"] == {
        name: {"sha256": hashlib.sha256(contents[name]).hexdigest(), "size": len(contents[name])}
        for name in names
        if name != "manifest.json"
    }
    virtio = next(record for record in data["talks"] if record["slug"] == "virtio-status")
    assert (virtio["room"], virtio["track"]) == ("hall-a", "virt")
    assert "event" not in virtio
    assert virtio["updated"] == "2012-10-01T12:00:56.789012+00:00"
    virtio_speakers = [
        (link["speaker"], link["position"])
        for link in data["talk_speakers"]
        if link["talk"] == virtio["uuid"]
    ]
    assert virtio_speakers == [(str(people["bob"].uuid), 0), (str(ada.uuid), 1)]
    assert "release" not in virtio
    (release,) = data["releases"]
    assert {name: release[name] for name in release if name != "id"} == {
        "number": 1,
        "name": "1",
        "comment": "",
        "released_at": "2012-10-01T18:00:00+00:00",
        "released_by": None,
        "is_current": True,
    }
    virtio_released = next(r for r in data["released_talks"] if r["uuid"] == virtio["uuid"])
    assert (virtio_released["release"], virtio_released["room"], virtio_released["track"]) == (
        1,
        "hall-a",
        "virt",
    )
    assert sorted(r["slug"] for r in data["released_talks"]) == [
        "block-layer",
        "cancelled-talk",
        "migration-deep-dive",
        "unscheduled",
        "virtio-status",
    ]
    assert [
        (link["speaker"], link["position"])
        for link in data["released_talk_speakers"]
        if (link["release"], link["talk"]) == (1, virtio["uuid"])
    ] == virtio_speakers
    ada_record = next(record for record in data["speakers"] if record["slug"] == "ada-lovelace")
    assert (ada_record["uuid"], ada_record["user"], ada_record["photo"]) == (
        str(ada.uuid),
        "ada",
        ada.photo.name,
    )
    assert [(link["speaker"], link["label"]) for link in data["speaker_links"]] == [
        (str(ada.uuid), "Mastodon"),
        (str(ada.uuid), "GitHub"),
    ]


def test_a_photo_missing_from_the_storage_is_reported_not_fatal(tmp_path, event, people):
    default_storage.delete(people["ada"].photo_thumbnail.name)
    err = io.StringIO()

    call_command(
        "backup_event",
        "--event",
        SLUG,
        "--output",
        str(tmp_path / "b.zip"),
        stderr=err,
        stdout=io.StringIO(),
    )

    assert err.getvalue() == (
        f"{people['ada'].photo_thumbnail.name}: missing from the storage; not in the backup.\n"
    )
    with zipfile.ZipFile(tmp_path / "b.zip") as opened:
        manifest = json.loads(opened.read("manifest.json"))
    assert manifest["missing_photos"] == [people["ada"].photo_thumbnail.name]
    assert manifest["counts"]["photos"] == 1


def test_backing_up_an_unknown_event_says_so(db, tmp_path):
    with pytest.raises(CommandError) as raised:
        back_up(tmp_path / "b.zip", slug="nope")

    assert str(raised.value) == "No event has the slug “nope”."
    assert list(tmp_path.iterdir()) == []


# Refusals ----------------------------------------------------------------------------------


def _change_of_a_talk_release_1_lacks(data):
    data["release_changes"][0]["after"] = "00000000-0000-4000-8000-000000000000"


def _title_changed(data):
    data["talks"][0]["title"] = "Something else"


def _virtio_copied_into_release_9(data):
    next(r for r in data["released_talks"] if r["slug"] == "virtio-status")["release"] = 9


@pytest.mark.parametrize(
    ("edit", "messages"),
    [
        (
            {"data": _title_changed},
            ["data.json: does not match its checksum in the manifest (sha256 "],
        ),
        ({"members": {"photos/extra.jpg": b"x"}}, ["photos/extra.jpg: in the archive but not "]),
        (
            {"manifest": lambda m: m.update(format_version=4)},
            [
                "The archive is in backup format version 4, newer than the version 3 this "
                "site reads: restore it with the version of the site that made it (0.1.0) "
                "or a later one."
            ],
        ),
        (
            {"data": lambda d: d["talks"][0].update(video_url="x"), "fix_checksums": True},
            [
                "data.json: talks[0] has fields this site does not know (video_url): "
                "the backup was made by a newer version."
            ],
        ),
        (
            {
                "data": lambda d: d["talks"][0].update(end=d["talks"][0]["start"]),
                "fix_checksums": True,
            },
            ["talk virtio-status: end: The talk must end after it starts."],
        ),
        (
            {"data": lambda d: d["talks"][0].update(room=["hall-a"]), "fix_checksums": True},
            ["data.json: talks[0]: not a plain value: room."],
        ),
        (
            {"data": _virtio_copied_into_release_9, "fix_checksums": True},
            ["talk virtio-status of release 9: release 9 is not in the backup."],
        ),
        (
            {"data": _change_of_a_talk_release_1_lacks, "fix_checksums": True},
            [
                "change 0 of release 1: after: release 1 has no talk "
                "00000000-0000-4000-8000-000000000000."
            ],
        ),
        (
            {
                "data": lambda d: d["release_changes"][0].update(fields=["start", "colour"]),
                "fix_checksums": True,
            },
            ["change 0 of release 1: fields: not a list of the talks' fields."],
        ),
    ],
    ids=[
        "changed-data",
        "extra-member",
        "newer-format",
        "unknown-field",
        "invalid-row",
        "not-a-plain-value",
        "copy-of-no-release",
        "change-of-no-copy",
        "change-of-unknown-fields",
    ],
)
def test_a_tampered_or_newer_archive_is_refused_and_changes_nothing(
    tmp_path, event, people, edit, messages
):
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()
    state = database_state()

    error, lines = refused(rewritten(archive, tmp_path / "edited.zip", **edit))

    unchanged = "not restored; the database and the stored photos are unchanged."
    assert error == f"{tmp_path / 'edited.zip'}: {unchanged}"
    assert len(lines) == len(messages)
    for line, message in zip(lines, messages, strict=True):
        assert line.startswith(message), line
    assert database_state() == state
    assert stored_photos(people.values()) == {}


def test_a_missing_photo_member_is_refused(tmp_path, event, people):
    archive = back_up(tmp_path / "kvm-forum.zip")
    member = f"photos/{people['ada'].photo.name}"
    wipe()

    _, lines = refused(rewritten(archive, tmp_path / "edited.zip", members={member: None}))

    assert lines == [f"{member}: listed in the manifest but missing from the archive."]


def test_a_photo_that_is_not_an_image_is_refused(tmp_path, event, people):
    archive = back_up(tmp_path / "kvm-forum.zip")
    member = f"photos/{people['ada'].photo.name}"
    wipe()
    edited = rewritten(
        archive,
        tmp_path / "edited.zip",
        members={member: b"<svg onload=alert(1)>"},
        fix_checksums=True,
    )

    _, lines = refused(edited)

    assert lines == [f"{member}: not an image this site accepts (JPEG, PNG, WebP, GIF)."]
    assert database_state()["Event"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "is not a backup archive (a zip file): File is not a zip file."),
        (None, ": no such file."),
    ],
)
def test_a_file_that_is_no_archive_is_refused(db, tmp_path, content, message):
    path = tmp_path / "file.zip"
    if content is not None:
        path.write_bytes(content)

    _, lines = refused(path)

    assert lines == [f"{path}{' ' if message[0] != ':' else ''}{message}"]


def test_an_unsafe_photo_name_is_refused(tmp_path, event, people):
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()

    def escape(data):
        next(s for s in data["speakers"] if s["slug"] == "ada-lovelace")["photo"] = "../../x.jpg"

    _, lines = refused(rewritten(archive, tmp_path / "edited.zip", data=escape, fix_checksums=True))

    assert lines == ["speaker Ada Lovelace: photo: the file name is not safe to store."]


# Where the event or its speakers are already there -----------------------------------------


def test_an_existing_event_is_refused_without_replace(tmp_path, event):
    archive = back_up(tmp_path / "kvm-forum.zip")
    rows_before = rows()

    _, lines = refused(archive)

    assert lines == [
        "An event with the slug “kvm-forum” exists already. Pass --replace to replace it (its "
        "rooms, tracks, talks and releases are deleted first; speakers stay), or --as NEW-SLUG "
        "to restore the backup beside it."
    ]
    assert rows() == rows_before


def test_replace_puts_the_event_back_as_it_was(client, tmp_path, event):
    before, rows_before = exports(client), rows()
    archive = back_up(tmp_path / "kvm-forum.zip")
    Talk.objects.filter(slug="virtio-status").update(title="Changed since")
    Room.objects.filter(slug="hall-b").delete()

    out, _ = restore(archive, "--replace")

    assert out.startswith("Event kvm-forum replaced: 1 event, 2 rooms")
    assert out.endswith("0 photos; 4 speakers already here reused.\n")
    assert exports(client) == before
    assert rows() == rows_before


def test_restore_beside_another_event_reuses_the_shared_speaker(client, tmp_path, event, people):
    other = EventFactory(slug="other-conf")
    scheduled_talk(other, "Elsewhere", speakers=[people["ada"]])
    before, rows_before = exports(client), rows()
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Ada Lovelace"]

    out, _ = restore(archive)

    assert out.endswith(
        ": 1 event, 2 rooms, 2 tracks, 3 speakers, 0 speaker links, 6 talks, "
        "8 talk speakers, 1 release, 5 released talks, 7 released talk speakers, "
        "5 release changes, 0 photos; 1 speaker already here reused.\n"
    )
    assert Speaker.objects.count() == 4
    assert list(people["ada"].talks.order_by("title").values_list("title", flat=True)) == [
        "Elsewhere",
        "Hidden talk",
        "Migration deep dive",
        "Virtio status",
    ]
    assert exports(client) == before
    assert rows() == rows_before
    assert Talk.objects.filter(event=other).count() == 1


def test_restore_as_another_slug_makes_a_copy_with_new_uuids(client, tmp_path, event):
    archive = back_up(tmp_path / "kvm-forum.zip")
    original = exports(client)

    out, err = restore(archive, "--as", "kvm-forum-copy")

    assert out.startswith("Event kvm-forum-copy restored: 1 event, 2 rooms, 2 tracks, 0 speakers")
    assert err.splitlines() == [
        "6 talks get new UUIDs, theirs being taken by the event kvm-forum: calendars see them "
        "as other talks.",
        "The talks' database ids are taken here, so they get new ones: the numeric ids (and "
        "talk slugs) in schedule.xml and schedule.json change; the guids do not.",
    ]
    copy = Event.objects.get(slug="kvm-forum-copy")
    assert copy.talks.count() == 6
    assert not copy.talks.filter(uuid__in=event.talks.values("uuid")).exists()
    assert Speaker.objects.count() == 4
    assert exports(client) == original
    assert exports(client, "kvm-forum-copy")["/kvm-forum-copy/schedule.json"][0] == 200


# Releases ----------------------------------------------------------------------------------


def release_again_and_edit(event, people):
    """A second release, "final", then edits not released yet: three schedules to keep."""
    Talk.objects.filter(slug="block-layer").update(title="Block layer, revised")
    Talk.objects.filter(slug="migration-deep-dive").update(room=Room.objects.get(slug="hall-a"))
    release_schedule(
        event,
        name="final",
        comment="Rooms fixed.",
        by=UserFactory(username="organiser"),
        notify=False,
        allow_errors=True,
        released_at=utc(2012, 10, 20, 9, 0),
    )
    Talk.objects.filter(slug="virtio-status").delete()
    Talk.objects.filter(slug="block-layer").update(title="Block layer, third draft")
    scheduled_talk(event, "Late addition", (11, 0), (11, 30), speakers=[people["dee"]])


def schedules(slug=SLUG):
    """The working schedule and each release's, as titles, rooms and speakers."""

    def listed(talks):
        return sorted(
            (
                talk.title,
                talk.room.slug if talk.room else None,
                *(link.speaker.slug for link in talk.talk_speakers.all()),
            )
            for talk in talks.select_related("room").with_speakers()
        )

    event = Event.objects.get(slug=slug)
    found = {"working": listed(Talk.objects.filter(event=event))}
    for release in event.releases.select_related("released_by").order_by("number"):
        by = release.released_by.username if release.released_by else None
        found[f"release {release.number} {release.name}"] = (
            release.is_current,
            release.comment,
            by,
            listed(Talk.released.of(release)),
        )
    return found


RELEASE_1 = [
    ("Block layer", "hall-b", "cy-obrien"),
    ("Cancelled talk", "hall-a", "dee"),
    ("Migration deep dive", None, "ada-lovelace", "bob-ng", "cy-obrien"),
    ("Unscheduled", None),
    ("Virtio status", "hall-a", "bob-ng", "ada-lovelace"),
]
THREE_SCHEDULES = {
    "working": [
        ("Block layer, third draft", "hall-b", "cy-obrien"),
        ("Cancelled talk", "hall-a", "dee"),
        ("Hidden talk", "hall-b", "ada-lovelace"),
        ("Late addition", None, "dee"),
        ("Migration deep dive", "hall-a", "ada-lovelace", "bob-ng", "cy-obrien"),
        ("Unscheduled", None),
    ],
    "release 1 1": (False, "", None, RELEASE_1),
    "release 2 final": (
        True,
        "Rooms fixed.",
        "organiser",
        [
            ("Block layer, revised", "hall-b", "cy-obrien"),
            *RELEASE_1[1:2],
            ("Migration deep dive", "hall-a", "ada-lovelace", "bob-ng", "cy-obrien"),
            *RELEASE_1[3:],
        ],
    ),
}


def test_two_releases_and_unreleased_edits_come_back_as_they_were(tmp_path, event, people):
    release_again_and_edit(event, people)
    assert schedules() == THREE_SCHEDULES
    rows_before = rows()
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()
    assert database_state()["Release"] == []

    out, err = restore(archive)

    assert out == (
        "Event kvm-forum restored: 1 event, 2 rooms, 2 tracks, 4 speakers, 2 speaker links, "
        "6 talks, 7 talk speakers, 2 releases, 10 released talks, 14 released talk speakers, "
        "7 release changes, 2 photos; 0 speakers already here reused.\n"
    )
    assert err.splitlines() == [ADA_NOT_LINKED]
    assert schedules() == THREE_SCHEDULES
    for speaker in rows_before["speakers"]:
        speaker["user_id"] = None
    assert rows() == rows_before


def test_a_release_by_someone_without_an_account_here_is_kept_without_them(tmp_path, event, people):
    release_again_and_edit(event, people)
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()
    get_user_model().objects.filter(username="organiser").delete()

    _, err = restore(archive)

    assert err.splitlines() == [
        ADA_NOT_LINKED,
        "release final: released by organiser, who has no account here; kept without.",
    ]
    assert schedules()["release 2 final"] == (True, "Rooms fixed.", None, ANY)


def test_a_copy_gives_each_talk_one_new_uuid_in_every_release(tmp_path, event, people):
    release_again_and_edit(event, people)
    archive = back_up(tmp_path / "kvm-forum.zip")

    _, err = restore(archive, "--as", "kvm-forum-copy")

    def uuids(slug):
        """Each talk's UUIDs, in the working schedule and every release."""
        found = {}
        for talk in Talk._base_manager.filter(event__slug=slug):
            found.setdefault(talk.slug, set()).add(talk.uuid)
        return found

    original, copy = uuids(SLUG), uuids("kvm-forum-copy")
    # virtio-status is in the releases only: it was deleted after them.
    assert err.splitlines()[0] == (
        "7 talks get new UUIDs, theirs being taken by the event kvm-forum: calendars see "
        "them as other talks."
    )
    assert sorted(copy) == sorted(original)
    assert all(len(found) == 1 for found in [*original.values(), *copy.values()])
    assert not set.union(*original.values()) & set.union(*copy.values())
    assert schedules("kvm-forum-copy") == THREE_SCHEDULES


CHANGELOG_PAGES = ("/kvm-forum/schedule/changelog/", "/kvm-forum/schedule/feed.xml")


def changelog(client):
    """The changelog page and its feed, as attendees fetch them."""
    return {path: client.get(path).content.decode() for path in CHANGELOG_PAGES}


def change_lines(page):
    """The text of each change line of the changelog page, newest release first."""
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r'<li class="release-change">(.*?)</li>', page, re.S)
    ]


@pytest.mark.manual_releases  # the edits after release "final" stay unreleased
def test_a_restored_event_shows_the_same_changelog(client, tmp_path, event, people):
    release_again_and_edit(event, people)
    before = changelog(client)
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()

    restore(archive)

    after = changelog(client)
    assert after == before
    page = after["/kvm-forum/schedule/changelog/"]
    assert "Release final" in page
    assert change_lines(page) == [
        # Release "final": a room, then a title.
        "Migration deep dive (Ada Lovelace, Bob Ng, Cy Ö'Brien): "
        "Thu 8 Nov, 23:00 – 00:15 CET, no room → Thu 8 Nov, 23:00 – 00:15 CET, Hall A",
        "Block layer, revised (Cy Ö'Brien): Wed 7 Nov, 09:00 – 09:45 CET, Hall B "
        "Title: Block layer → Block layer, revised",
        # Release 1: every public talk, new or cancelled.
        "Block layer (Cy Ö'Brien): Wed 7 Nov, 09:00 – 09:45 CET, Hall B",
        "Virtio status (Bob Ng, Ada Lovelace): Wed 7 Nov, 09:00 – 09:30 CET, Hall A",
        "Migration deep dive (Ada Lovelace, Bob Ng, Cy Ö'Brien): Thu 8 Nov, 23:00 – 00:15 CET",
        "Unscheduled : time to be confirmed",
        "Cancelled talk (Dee): Wed 7 Nov, 10:00 – 10:30 CET, Hall A",
    ]


def _before_the_changelog(data):
    del data["release_changes"]


def _format_2(manifest):
    manifest["format_version"] = 2
    del manifest["counts"]["release_changes"]


@pytest.mark.manual_releases
def test_an_archive_from_before_the_changelog_gets_each_releases_changes_worked_out(
    client, tmp_path, event, people
):
    release_again_and_edit(event, people)
    before = changelog(client)
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()
    older = rewritten(
        archive,
        tmp_path / "format-2.zip",
        data=_before_the_changelog,
        manifest=_format_2,
        fix_checksums=True,
    )

    out, err = restore(older)

    assert "14 released talk speakers, 7 release changes, 2 photos" in out
    assert err.splitlines() == [
        ADA_NOT_LINKED,
        "The backup was made before the changelog was kept: each release's changes are "
        "worked out again from the release before it.",
    ]
    assert changelog(client) == before


def _before_releases(data):
    for part in ("releases", "released_talks", "released_talk_speakers", "release_changes"):
        del data[part]


def _format_1(manifest):
    manifest["format_version"] = 1
    for part in ("releases", "released_talks", "released_talk_speakers", "release_changes"):
        del manifest["counts"][part]


def test_an_archive_from_before_releases_gets_its_public_talks_as_release_1(tmp_path, event):
    archive = back_up(tmp_path / "kvm-forum.zip")
    working = rows()["talks"]
    wipe()
    older = rewritten(
        archive,
        tmp_path / "format-1.zip",
        data=_before_releases,
        manifest=_format_1,
        fix_checksums=True,
    )

    out, err = restore(older)

    assert "8 talk speakers, 1 release, 5 released talks, 7 released talk speakers, " in out
    assert err.splitlines() == [
        ADA_NOT_LINKED,
        "The backup was made before schedule releases: the public talks of its schedule are "
        "now its release “1”.",
    ]
    assert schedules() == {
        "working": [
            *RELEASE_1[:2],
            ("Hidden talk", "hall-b", "ada-lovelace"),
            *RELEASE_1[2:],
        ],
        "release 1 1": (True, "", None, RELEASE_1),
    }
    assert rows()["talks"] == working
    # The copies are the talks as backed up, stamps and all, but for their own ids.
    released = rows()["released_talks"]
    copies = {
        row["uuid"]: {**row, "id": None, "release_id": None, "released_from": None}
        for row in released
    }
    assert copies == {row["uuid"]: {**row, "id": None} for row in working if row["is_published"]}
    # Each copy keeps its working talk's id: the exports' talk number.
    working_ids = {row["uuid"]: row["id"] for row in working}
    assert all(row["released_from"] == working_ids[row["uuid"]] for row in released)


# All or nothing ----------------------------------------------------------------------------


def test_a_dry_run_writes_nothing(tmp_path, event, people):
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()
    state = database_state()

    out, _ = restore(archive, "--dry-run")

    assert out.splitlines() == [
        "Dry run: nothing was written.",
        "Event kvm-forum restored: 1 event, 2 rooms, 2 tracks, 4 speakers, 2 speaker links, "
        "6 talks, 8 talk speakers, 1 release, 5 released talks, 7 released talk speakers, "
        "5 release changes; 0 speakers already here reused.",
    ]
    assert database_state() == state
    assert stored_photos(people.values()) == {}


def test_photos_written_are_deleted_when_the_restore_fails_after_them(
    tmp_path, event, people, monkeypatch
):
    archive = back_up(tmp_path / "kvm-forum.zip")
    wipe()
    state = database_state()

    def fail(*slugs):
        raise RuntimeError("the cache is down")

    monkeypatch.setattr(restoring, "event_pages_changed", fail)
    with pytest.raises(RuntimeError, match="the cache is down"):
        restore(archive)

    assert database_state() == state
    assert stored_photos(people.values()) == {}


def test_a_photo_name_taken_by_another_file_is_stored_beside_it(tmp_path, event, people):
    ada = people["ada"]
    archive = back_up(tmp_path / "kvm-forum.zip")
    original = stored_photos([ada])
    wipe()
    default_storage.save(ada.photo.name, io.BytesIO(b"someone else's file"))

    restore(archive)

    restored = Speaker.objects.get(uuid=ada.uuid)
    assert restored.photo.name != ada.photo.name
    assert restored.photo.read() == original[ada.photo.name]
    assert default_storage.open(ada.photo.name).read() == b"someone else's file"


def test_the_sites_that_may_embed_the_schedule_come_back(tmp_path, event):
    Event.objects.filter(slug=SLUG).update(embed_origins="https://www.example.org")
    archive = back_up(tmp_path / "kvm-forum.zip")
    Event.objects.filter(slug=SLUG).update(embed_origins="")

    restore(archive, "--replace")

    assert Event.objects.get(slug=SLUG).embed_origin_list == ["https://www.example.org"]
