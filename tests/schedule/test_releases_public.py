"""What attendees see is the latest release: edits stay private until the next one.

Every way out is checked: the schedule page, a talk's page, the speakers'
pages, the three exports, "my schedule", the sitemap and the API. Past
releases keep their own addresses; organisers preview the working schedule.
"""

import datetime
import json
import threading
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client

from conference.services import KEEP_WALL_CLOCK, event_change_zone
from schedule.models import Release, Talk
from schedule.releases.service import ReleaseRefused, release_schedule
from tests.factories import EventFactory, RoomFactory, SpeakerFactory, UserFactory, scheduled_talk
from tests.schedule.test_concurrency import needs_postgresql

pytestmark = pytest.mark.manual_releases


@pytest.fixture
def released(db):
    """Released Conf after its release "1": "Opening" 09:00 in Hall by Ada, and "Secret plans"
    unpublished; then, unreleased, "Opening" moved to 11:00 in Annex and retitled, and a new
    talk "Late addition" (by Bob)."""
    event = EventFactory(slug="released", name="Released Conf", time_zone="Europe/Madrid")
    hall, annex = RoomFactory(event=event, name="Hall"), RoomFactory(event=event, name="Annex")
    ada, bob = (
        SpeakerFactory(name="Ada Lovelace", slug="ada"),
        SpeakerFactory(name="Bob", slug="bob"),
    )
    opening = scheduled_talk(event, "Opening", (9, 0), (9, 30), room=hall, speakers=[ada])
    scheduled_talk(event, "Secret plans", (10, 0), (10, 30), room=hall, is_published=False)
    release_schedule(event, name="1")
    opening.title, opening.room = "Grand opening", annex
    opening.start += datetime.timedelta(hours=2)
    opening.end += datetime.timedelta(hours=2)
    opening.save()
    scheduled_talk(event, "Late addition", (12, 0), (12, 30), room=hall, speakers=[bob])
    return event


def body(response):
    return response.content.decode()


def test_an_edit_after_a_release_shows_nowhere_public_until_the_next_release(client, released):
    opening = Talk.objects.get(title="Grand opening")
    late = Talk.objects.get(title="Late addition")
    pages = {
        "schedule": "/released/schedule/",
        "talk": "/released/talks/opening/",
        "speakers": "/released/speakers/",
        "xml": "/released/schedule.xml",
        "json": "/released/schedule.json",
        "ics": "/released/schedule.ics",
        "mine": f"/released/schedule.ics?talks={opening.uuid},{late.uuid}",
        "sitemap": "/sitemap.xml",
        "api": "/api/v1/events/released/talks/",
    }
    before = {name: body(client.get(url)) for name, url in pages.items()}

    for name, text in before.items():
        assert "Grand opening" not in text, name
        assert "Late addition" not in text, name
        assert "Secret plans" not in text, name
    assert "Opening" in before["schedule"]
    assert "Hall" in before["schedule"]
    assert "09:00" in before["schedule"]
    assert "Bob" not in before["speakers"]
    assert "/released/talks/late-addition/" not in before["sitemap"]
    assert client.get("/released/talks/late-addition/").status_code == 404
    assert [t["title"] for t in json.loads(before["api"])["results"]] == ["Opening"]

    release_schedule(released, name="2")

    after = {name: body(client.get(url)) for name, url in pages.items()}
    assert "Grand opening" in after["schedule"]
    assert "Late addition" in after["schedule"]
    assert "11:00" in after["schedule"]
    assert "Annex" in after["schedule"]
    assert "Bob" in after["speakers"]
    assert "Grand opening" in after["ics"]
    assert "Late addition" in after["mine"]
    assert "/released/talks/late-addition/" in after["sitemap"]
    assert "Secret plans" not in "".join(after.values())


def test_the_exports_name_the_release_and_keep_each_talks_number(client, released):
    first = ET.fromstring(client.get("/released/schedule.xml").content)
    release_schedule(released, name="2")
    second = ET.fromstring(client.get("/released/schedule.xml").content)
    document = json.loads(client.get("/released/schedule.json").content)

    assert first.findtext("version") == "1"
    assert second.findtext("version") == document["schedule"]["version"] == "2"
    number = {e.findtext("title"): e.get("id") for e in first.iter("event")}["Opening"]
    moved = {e.findtext("title"): e.get("id") for e in second.iter("event")}["Grand opening"]
    assert moved == number == str(Talk.objects.get(title="Grand opening").pk)


def test_a_poller_gets_304_until_the_next_release(client, released):
    first = client.get("/released/schedule.xml")
    talk = Talk.objects.get(title="Late addition")
    talk.title = "Retitled again"
    talk.save()

    unchanged = client.get("/released/schedule.xml", headers={"If-None-Match": first["ETag"]})
    release_schedule(released, name="2")
    changed = client.get("/released/schedule.xml", headers={"If-None-Match": first["ETag"]})

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert b"Retitled again" in changed.content
    assert changed["ETag"] != first["ETag"]


def test_past_releases_keep_their_pages_and_files(client, released):
    release_schedule(released, name="2")

    old_xml = ET.fromstring(client.get("/released/schedule/v/1/schedule.xml").content)
    old_json = json.loads(client.get("/released/schedule/v/1/schedule.json").content)
    old_ics = body(client.get("/released/schedule/v/1/schedule.ics"))
    old_page = body(client.get("/released/schedule/v/1/"))
    new_page = body(client.get("/released/schedule/v/2/"))

    assert old_xml.findtext("version") == old_json["schedule"]["version"] == "1"
    assert [e.findtext("title") for e in old_xml.iter("event")] == ["Opening"]
    assert "Opening" in old_ics
    assert "Grand opening" not in old_ics
    assert "(release 1)" in old_ics
    assert "Opening" in old_page
    assert "Late addition" not in old_page
    assert "A past release" in old_page
    assert "Grand opening" in new_page
    assert "A past release" not in new_page
    assert client.get("/released/schedule/v/nope/schedule.xml").status_code == 404
    assert client.get("/released/schedule/v/nope/").status_code == 404


def test_organisers_preview_the_working_schedule_and_nobody_else_does(organiser, released):
    client = Client()
    anonymous = client.get("/released/schedule/working/")
    client.force_login(UserFactory(username="attendee"))
    signed_in = client.get("/released/schedule/working/")
    client.force_login(organiser)
    preview = client.get("/released/schedule/working/")

    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    assert signed_in.status_code == 403
    assert preview.status_code == 200
    text = body(preview)
    assert "Grand opening" in text
    assert "Late addition" in text
    assert "Secret plans" not in text
    assert "Attendees do not see it until an organiser releases it" in text
    assert preview["X-Robots-Tag"] == "noindex"
    assert "no-cache" in preview["Cache-Control"]
    # The preview is not stored for anyone else.
    assert "Grand opening" not in body(Client().get("/released/schedule/"))


def test_a_zone_change_moves_the_released_talks_as_the_working_ones(client, released):
    event_change_zone(event=released, zone="Europe/London", keep=KEEP_WALL_CLOCK)

    page = body(client.get("/released/talks/opening/"))

    # Still 09:00 on the venue's clock, now in London.
    assert "09:00" in page
    copy = Talk.released.current().get(title="Opening")
    assert copy.start.astimezone(datetime.UTC).hour == 9


def test_a_release_without_changes_is_refused_and_writes_nothing(released):
    release_schedule(released, name="2")

    with pytest.raises(ReleaseRefused, match="Nothing changed since release “2”"):
        release_schedule(released, name="3")

    assert list(released.releases.values_list("name", "is_current")) == [("2", True), ("1", False)]


def test_a_release_name_cannot_hold_a_slash_but_any_other_character_works(client, released):
    with pytest.raises(ReleaseRefused, match="cannot hold “/”"):
        release_schedule(released, name="2/final")
    release_schedule(released, name="2.0 final")

    page = client.get("/released/schedule/v/2.0 final/schedule.xml")

    assert ET.fromstring(page.content).findtext("version") == "2.0 final"


def test_a_release_name_is_one_of_a_kind_per_event(released):
    with pytest.raises(ReleaseRefused, match="already has a release named “1”"):
        release_schedule(released, name="1")

    assert released.releases.count() == 1


def test_a_clash_blocks_a_release_unless_released_anyway(released):
    scheduled_talk(
        released, "Double booked", (11, 0), (11, 30), room=released.rooms.get(name="Annex")
    )

    with pytest.raises(ReleaseRefused, match="clash-rule error"):
        release_schedule(released, name="2")
    release, plan = release_schedule(released, name="2", allow_errors=True)

    assert release.is_current
    assert plan.errors
    assert Talk.released.of(release).filter(title="Double booked").exists()


MIGRATION_DATA = """
import datetime
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
apps = MigrationExecutor(connection).loader.project_state(
    [("schedule", "0006_unaccent_extension")]
).apps
event = apps.get_model("conference", "Event").objects.create(
    name="Old Conf", slug="old", start_date=datetime.date(2012, 11, 7),
    end_date=datetime.date(2012, 11, 7), time_zone="UTC", is_published=True,
)
Talk = apps.get_model("schedule", "Talk")
at = datetime.datetime(2012, 11, 7, 9, 0, tzinfo=datetime.UTC)
for title, hour, cancelled, published in [
    ("Later", 2, False, True), ("Gone", 1, True, True), ("First", 0, False, True),
    ("Draft", 3, False, False),
]:
    Talk.objects.create(
        event=event, title=title, slug=title.lower(), is_cancelled=cancelled,
        is_published=published, start=at + datetime.timedelta(hours=hour),
        end=at + datetime.timedelta(hours=hour, minutes=30),
    )
"""

MIGRATED = """
from schedule.models import Release, ReleaseChange, Talk
release = Release.objects.get(event__slug="old")
print(release.name, release.number, release.is_current)
print(sorted(Talk.released.of(release).values_list("title", flat=True)))
print(list(ReleaseChange.objects.order_by("position").values_list("kind", "after__title")))
print(Talk.objects.filter(event__slug="old").count())
"""


def test_the_migration_gives_existing_events_a_first_release_on_their_changelog(manage):
    # In a database of its own: migrating back and forth in the suite's would
    # leave its content types out of step with the other tests'.
    assert manage("migrate", "-v", "0").returncode == 0
    assert manage("migrate", "schedule", "0006", "-v", "0").returncode == 0
    assert manage("shell", "-c", MIGRATION_DATA).returncode == 0

    migrated = manage("migrate", "-v", "0")
    shown = manage("shell", "-v", "0", "-c", MIGRATED)

    assert migrated.returncode == 0, migrated.stderr
    assert shown.stdout.splitlines() == [
        "1 1 True",
        "['First', 'Gone', 'Later']",
        "[('new', 'First'), ('cancelled', 'Gone'), ('new', 'Later')]",
        "4",
    ]


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_organisers_releasing_at_once_make_ordered_releases_or_one_refusal():
    event = EventFactory(slug="race")
    scheduled_talk(event, "First", (9, 0), (9, 30))
    barrier, outcomes = threading.Barrier(2), []

    def release(name):
        try:
            barrier.wait(timeout=30)
            outcomes.append(("released", release_schedule(event, name=name)[0].number))
        except ReleaseRefused as refusal:
            outcomes.append(("refused", str(refusal)))
        finally:
            connection.close()

    threads = [threading.Thread(target=release, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    # Both saw the same working schedule: the second, ordered after the first, has nothing new.
    assert sorted(kind for kind, _ in outcomes) == ["refused", "released"]
    assert Release.objects.filter(event=event).count() == 1
    (release,) = Release.objects.filter(event=event)
    assert release.is_current
    assert list(Talk.released.of(release).values_list("title", flat=True)) == ["First"]
