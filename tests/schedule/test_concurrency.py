"""Two people (or two processes) changing the same thing at the same moment.

Each concurrent test starts two threads at a barrier; every thread has its own
database connection, as two app processes would, and closes it when done. The
races only exist where the database lets two transactions run side by side:
on SQLite one writer locks the whole file, so these tests need PostgreSQL and
are skipped elsewhere (CI runs them on PostgreSQL). The sequential tests of the
same safeguards run on every database.
"""

import datetime
import io
import re
import threading

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import Client

from conference.admin_site import ORGANISERS_GROUP
from conference.models import Event
from schedule.formats.agenda import importer as agenda_service
from schedule.formats.agenda.importer import agenda_import
from schedule.formats.agenda.parser import parse_agenda
from schedule.formats.frab.importer import frab_import
from schedule.formats.ical.importer import ics_import
from schedule.importing.errors import ImportFileError
from schedule.importing.results import ImportResult
from schedule.models import Release, Talk, TalkSpeaker
from schedule.services.board import BoardConflict, MoveResult, talk_move
from speakers.models import Speaker
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    UserFactory,
    venue_time,
)

AGENDA_FILE = "schedule/data/kvm-forum-2012-agenda.txt"
THREAD_TIMEOUT = 60

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "Concurrent transactions need PostgreSQL (SQLite lets one writer at a time); "
        "run with DATABASE_URL=postgres://…, as CI does."
    ),
)


def run_together(*tasks):
    """Run each callable in its own thread, all released at once; ``(kind, value)`` each.

    ``kind`` is ``"returned"`` or ``"raised"``. Every thread closes its own
    database connection, so no session outlives the test.
    """
    barrier = threading.Barrier(len(tasks))
    outcomes = [None] * len(tasks)

    def run(index, task):
        try:
            barrier.wait(timeout=THREAD_TIMEOUT)
            outcomes[index] = ("returned", task())
        except Exception as error:
            outcomes[index] = ("raised", error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, task), daemon=True)
        for index, task in enumerate(tasks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a deadlock?)"
    return outcomes


# Two organisers saving the same talk in the admin ------------------------------------


def organiser_client(username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    client = Client()
    client.force_login(user)
    return client


def change_url(talk):
    return f"/admin/schedule/talk/{talk.pk}/change/"


def seen_stamp(client, talk):
    """The change form as the organiser's browser received it: its hidden stamp, if any."""
    page = client.get(change_url(talk)).content.decode()
    match = re.search(r'name="seen_updated" value="([^"]*)"', page)
    return {"seen_updated": match.group(1)} if match else {}


def change_form_data(talk, *, title, room, hour, links, new_speakers, stamp):
    """What the change form posts: the talk's fields, then the speakers inline.

    ``links`` are ``(TalkSpeaker, speaker, delete)`` for the rows the page
    showed; ``new_speakers`` are added after them.
    """
    data = {
        "event": talk.event_id,
        "title": title,
        "slug": talk.slug,
        "kind": "talk",
        "is_published": "on",
        "start_0": "2012-11-07",
        "start_1": f"{hour:02d}:00",
        "end_0": "2012-11-07",
        "end_1": f"{hour:02d}:30",
        "room": room.pk,
        "track": "",
        "subtitle": "",
        "abstract": f"The abstract of {title}.",
        "language": "en",
        "source_url": "",
        "external_id": "",
        "talk_speakers-TOTAL_FORMS": str(len(links) + len(new_speakers)),
        "talk_speakers-INITIAL_FORMS": str(len(links)),
        "talk_speakers-MIN_NUM_FORMS": "0",
        "talk_speakers-MAX_NUM_FORMS": "1000",
        **stamp,
    }
    rows = [(link, speaker, delete) for link, speaker, delete in links]
    rows += [(None, speaker, False) for speaker in new_speakers]
    for index, (link, speaker, delete) in enumerate(rows):
        prefix = f"talk_speakers-{index}"
        data[f"{prefix}-id"] = link.pk if link else ""
        data[f"{prefix}-talk"] = talk.pk
        data[f"{prefix}-speaker"] = speaker.pk
        data[f"{prefix}-position"] = str(index)
        if delete:
            data[f"{prefix}-DELETE"] = "on"
    return data


def talk_state(talk):
    talk = Talk.objects.select_related("room").get(pk=talk.pk)
    return {
        "title": talk.title,
        "abstract": talk.abstract,
        "room": talk.room.name,
        "start": talk.start,
        "speakers": [
            link.speaker.name for link in talk.talk_speakers.select_related("speaker").all()
        ],
    }


@pytest.fixture
def contested_talk(db):
    event = EventFactory(slug="kvm-forum", time_zone="Europe/Madrid")
    first, second = (RoomFactory(event=event, name=name) for name in ("Room A", "Room B"))
    ada, bob, cy, dee = (SpeakerFactory(name=name) for name in ("Ada", "Bob", "Cy", "Dee"))
    talk = TalkFactory(
        event=event,
        title="Virtio",
        slug="virtio",
        room=first,
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 9, 30),
        speakers=[ada, bob],
    )
    ada_link, bob_link = talk.talk_speakers.order_by("position")
    return {
        "talk": talk,
        "rooms": (first, second),
        "speakers": {"Ada": ada, "Bob": bob, "Cy": cy, "Dee": dee},
        "links": (ada_link, bob_link),
    }


def two_submissions(contested, stamps):
    """Two different edits of the contested talk, both adding Cy (a unique row each)."""
    talk, (first, second), speakers = (contested[k] for k in ("talk", "rooms", "speakers"))
    ada_link, bob_link = contested["links"]
    one = change_form_data(
        talk,
        title="Virtio, as Ada sees it",
        room=first,
        hour=10,
        links=[(ada_link, speakers["Ada"], False), (bob_link, speakers["Bob"], True)],
        new_speakers=[speakers["Cy"]],
        stamp=stamps[0],
    )
    other = change_form_data(
        talk,
        title="Virtio, as Dee sees it",
        room=second,
        hour=11,
        links=[(ada_link, speakers["Dee"], False), (bob_link, speakers["Bob"], False)],
        new_speakers=[speakers["Cy"]],
        stamp=stamps[1],
    )
    expected = {
        "Virtio, as Ada sees it": {
            "title": "Virtio, as Ada sees it",
            "abstract": "The abstract of Virtio, as Ada sees it.",
            "room": "Room A",
            "start": venue_time(talk.event, 2012, 11, 7, 10, 0),
            "speakers": ["Ada", "Cy"],
        },
        "Virtio, as Dee sees it": {
            "title": "Virtio, as Dee sees it",
            "abstract": "The abstract of Virtio, as Dee sees it.",
            "room": "Room B",
            "start": venue_time(talk.event, 2012, 11, 7, 11, 0),
            "speakers": ["Dee", "Bob", "Cy"],
        },
    }
    return one, other, expected


STALE_MESSAGE = "Someone else saved this talk"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@needs_postgresql
@pytest.mark.parametrize("attempt", range(3))  # a race may not show on every run
def test_two_organisers_saving_one_talk_at_once_leave_one_whole_version(contested_talk, attempt):
    talk = contested_talk["talk"]
    clients = [organiser_client("ada-organiser"), organiser_client("dee-organiser")]
    stamps = [seen_stamp(client, talk) for client in clients]
    one, other, expected = two_submissions(contested_talk, stamps)

    outcomes = run_together(
        lambda: clients[0].post(change_url(talk), one),
        lambda: clients[1].post(change_url(talk), other),
    )

    assert [kind for kind, _ in outcomes] == ["returned", "returned"], outcomes
    statuses = sorted(response.status_code for _, response in outcomes)
    assert statuses == [200, 302], statuses
    (refused,) = [response for _, response in outcomes if response.status_code == 200]
    assert STALE_MESSAGE in refused.content.decode()
    state = talk_state(talk)
    assert state == expected[state["title"]]
    assert TalkSpeaker.objects.filter(talk=talk).count() == len(state["speakers"])


@pytest.mark.django_db
def test_saving_a_talk_someone_changed_since_the_page_was_drawn_is_refused(contested_talk):
    talk = contested_talk["talk"]
    first, second = organiser_client("ada-organiser"), organiser_client("dee-organiser")
    one, other, expected = two_submissions(
        contested_talk, [seen_stamp(first, talk), seen_stamp(second, talk)]
    )

    saved = first.post(change_url(talk), one)
    refused = second.post(change_url(talk), other)

    assert (saved.status_code, refused.status_code) == (302, 200)
    errors = refused.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith(f"{STALE_MESSAGE} at ")
    assert errors[0].endswith("Reload the page to see their changes, then make yours again.")
    assert talk_state(talk) == expected["Virtio, as Ada sees it"]


@pytest.mark.django_db
def test_the_change_form_carries_the_stamp_of_the_talk_it_shows(contested_talk):
    talk = contested_talk["talk"]

    stamp = seen_stamp(organiser_client("ada-organiser"), talk)

    assert stamp == {"seen_updated": talk.updated.isoformat()}


@pytest.mark.django_db
def test_a_change_posted_without_a_stamp_still_saves(contested_talk):
    # Scripts and old pages post no stamp: the last save wins, as before.
    talk = contested_talk["talk"]
    client = organiser_client("ada-organiser")
    one, _, expected = two_submissions(contested_talk, [{}, {}])

    response = client.post(change_url(talk), one)

    assert response.status_code == 302
    assert talk_state(talk) == expected["Virtio, as Ada sees it"]


# Two organisers saving the same speaker in the admin ---------------------------------


def speaker_form_data(speaker, *, bio, link_label, stamp):
    """What the speaker's change form posts: the profile, one new link and the stamp."""
    return {
        "name": speaker.name,
        "slug": speaker.slug,
        "affiliation": speaker.affiliation,
        "email": "",
        "bio": bio,
        "website": "",
        "external_id": "",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-0-label": link_label,
        "links-0-url": f"https://{link_label.lower()}.example",
        "links-0-position": "0",
        **stamp,
    }


def speaker_stamp(client, speaker):
    page = client.get(f"/admin/speakers/speaker/{speaker.pk}/change/").content.decode()
    match = re.search(r'name="seen_updated" value="([^"]*)"', page)
    return {"seen_updated": match.group(1)} if match else {}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@needs_postgresql
@pytest.mark.parametrize("attempt", range(3))  # a race may not show on every run
def test_two_organisers_saving_one_speaker_at_once_leave_one_whole_version(attempt):
    speaker = SpeakerFactory(name="Kevin Wolf", slug="kevin-wolf")
    clients = [organiser_client("ada-organiser"), organiser_client("dee-organiser")]
    stamps = [speaker_stamp(client, speaker) for client in clients]
    url = f"/admin/speakers/speaker/{speaker.pk}/change/"

    outcomes = run_together(
        lambda: clients[0].post(
            url, speaker_form_data(speaker, bio="Ada's", link_label="Ada", stamp=stamps[0])
        ),
        lambda: clients[1].post(
            url, speaker_form_data(speaker, bio="Dee's", link_label="Dee", stamp=stamps[1])
        ),
    )

    assert [kind for kind, _ in outcomes] == ["returned", "returned"], outcomes
    statuses = sorted(response.status_code for _, response in outcomes)
    assert statuses == [200, 302], statuses
    (refused,) = [response for _, response in outcomes if response.status_code == 200]
    assert "Someone else saved this speaker" in refused.content.decode()
    speaker.refresh_from_db()
    assert [link.label for link in speaker.links.all()] == [speaker.bio.removesuffix("'s")]


# Two imports of the same agenda file at once ---------------------------------------


def agenda_speaker_links():
    with open(AGENDA_FILE, encoding="utf-8") as file:
        agenda = parse_agenda(file.read(), source=AGENDA_FILE)
    return sum(len(talk.speakers) for talk in agenda.talks)


def import_agenda():
    return agenda_import(path=AGENDA_FILE, event_slug="kvm-forum-2012", zone="Europe/Madrid")


def assert_one_whole_import():
    assert list(Event.objects.values_list("slug", flat=True)) == ["kvm-forum-2012"]
    assert Talk.objects.count() == 34
    assert Speaker.objects.count() == 30
    # The working talks' speakers; a release's frozen copies have their own.
    assert TalkSpeaker.objects.filter(talk__release=None).count() == agenda_speaker_links()
    assert Talk.objects.values("slug").distinct().count() == 34


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@needs_postgresql
@pytest.mark.parametrize("existing_event", [False, True], ids=["new-event", "existing-event"])
def test_two_imports_of_one_agenda_at_once_make_one_event(existing_event):
    if existing_event:
        import_agenda()
        Talk.objects.all().delete()  # the second run has work to do again

    outcomes = run_together(import_agenda, import_agenda)

    assert [kind for kind, _ in outcomes] == ["returned", "returned"], outcomes
    results = [result for _, result in outcomes]
    assert all(isinstance(result, ImportResult) for result in results)
    assert sorted((r.talks_created, r.talks_unchanged) for r in results) == [(0, 34), (34, 0)]
    assert_one_whole_import()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@needs_postgresql
def test_two_import_commands_at_once_print_no_traceback():
    outputs = [io.StringIO() for _ in range(4)]

    def command(stdout, stderr):
        def run():
            call_command(
                "import_agenda",
                AGENDA_FILE,
                event_slug="kvm-forum-2012",
                zone="Europe/Madrid",
                stdout=stdout,
                stderr=stderr,
            )

        return run

    outcomes = run_together(command(*outputs[:2]), command(*outputs[2:]))

    assert [kind for kind, _ in outcomes] == ["returned", "returned"], outcomes
    summaries = sorted(outputs[0].getvalue().splitlines() + outputs[2].getvalue().splitlines())
    assert summaries == [
        "Event kvm-forum-2012: created. Talks: 34 created, 0 updated, 0 unchanged. "
        "Speakers: 30 created, 0 updated, 0 unchanged.",
        "Event kvm-forum-2012: unchanged. Talks: 0 created, 0 updated, 34 unchanged. "
        "Speakers: 0 created, 0 updated, 30 unchanged.",
        "Imported 34 talks, 30 speakers into kvm-forum-2012 with 34 warnings "
        "(run with -v 2 to see each). Released as “1”.",
        "Nothing changed: kvm-forum-2012 already had the file's 34 talks, 30 speakers; "
        "34 warnings (run with -v 2 to see each). "
        "No new release: attendees already see this schedule.",
    ]
    assert_one_whole_import()
    assert list(Release.objects.values_list("name", flat=True)) == ["1"]
    assert Talk.released.current().count() == 34


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@needs_postgresql
@pytest.mark.parametrize(
    ("importer", "path"),
    [
        (frab_import, "tests/data/frab/39c3-hub-20251206.schedule.xml"),
        (ics_import, "tests/data/ics/small-conf.ics"),
    ],
    ids=["frab", "ics"],
)
def test_two_imports_of_one_frab_or_ics_file_at_once_make_one_event(importer, path):
    outcomes = run_together(
        lambda: importer(path=path, event_slug="imported"),
        lambda: importer(path=path, event_slug="imported"),
    )

    assert [kind for kind, _ in outcomes] == ["returned", "returned"], outcomes
    talks = Talk.objects.count()
    assert talks > 0
    assert sorted(result.talks_created for _, result in outcomes) == [0, talks]
    assert list(Event.objects.values_list("slug", flat=True)) == ["imported"]
    assert Talk.objects.values("uuid").distinct().count() == talks


def speakers_sync_losing_races(monkeypatch, *, races):
    """Make the import's speakers step lose ``races`` races, as a concurrent import would."""
    calls = []
    real = agenda_service._speakers_sync

    def losing(**kwargs):
        calls.append(kwargs)
        if len(calls) <= races:
            raise IntegrityError(
                'duplicate key value violates unique constraint "speakers_speaker_slug_key"\n'
                "DETAIL:  Key (slug)=(avi-kivity) already exists."
            )
        return real(**kwargs)

    monkeypatch.setattr(agenda_service, "_speakers_sync", losing)
    return calls


@pytest.mark.django_db
def test_an_import_that_loses_a_race_runs_once_more(monkeypatch):
    calls = speakers_sync_losing_races(monkeypatch, races=1)

    result = import_agenda()

    assert (len(calls), result.event_outcome, result.talks_created) == (2, "created", 34)
    assert_one_whole_import()


@pytest.mark.django_db
def test_an_import_that_loses_twice_stops_with_a_message_and_writes_nothing(monkeypatch):
    calls = speakers_sync_losing_races(monkeypatch, races=2)

    with pytest.raises(ImportFileError) as raised:
        import_agenda()

    assert len(calls) == 2
    assert raised.value.messages() == [
        f"{AGENDA_FILE}: the event kvm-forum-2012 changed while this import ran (another "
        "import at the same time?); nothing was imported, run it again (duplicate key value "
        'violates unique constraint "speakers_speaker_slug_key")'
    ]
    assert (Event.objects.count(), Talk.objects.count(), Speaker.objects.count()) == (0, 0, 0)


# Two board moves of the same talk at once ------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@needs_postgresql
def test_two_board_moves_of_one_talk_at_once_save_exactly_one():
    event = EventFactory(slug="kvm-forum", time_zone="Europe/Madrid")
    first, second = (RoomFactory(event=event, name=name) for name in ("Room A", "Room B"))
    talk = TalkFactory(
        event=event,
        room=first,
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 9, 30),
    )
    seen = talk.updated
    targets = [
        (second, venue_time(event, 2012, 11, 7, 10, 0)),
        (first, venue_time(event, 2012, 11, 7, 11, 0)),
    ]

    outcomes = run_together(
        *(
            lambda room=room, start=start: talk_move(
                talk=Talk.objects.get(pk=talk.pk), room=room, start=start, seen_updated=seen
            )
            for room, start in targets
        )
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["raised", "returned"], outcomes
    ((won, result),) = [(i, v) for i, (kind, v) in enumerate(outcomes) if kind == "returned"]
    ((_, error),) = [(i, v) for i, (kind, v) in enumerate(outcomes) if kind == "raised"]
    assert isinstance(result, MoveResult)
    assert result.saved
    assert isinstance(error, BoardConflict)
    assert str(error).startswith(f"Someone else changed “{talk.title}” at ")
    talk.refresh_from_db()
    assert (talk.room, talk.start) == targets[won]
    assert talk.end - talk.start == datetime.timedelta(minutes=30)
