"""The migration that stores releases' changes lists each event's first release on its changelog."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("schedule", "0008_release_changes")]
AFTER = [("schedule", "0009_first_releases")]


def migrated(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_afterwards():
    yield
    # Later migrations of any app: the other tests run on the whole schema.
    migrated(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_first_releases_list_their_talks_as_new_or_cancelled_by_time(client):
    apps = migrated(BEFORE)
    Event = apps.get_model("conference", "Event")
    Release = apps.get_model("schedule", "Release")
    Talk = apps.get_model("schedule", "Talk")
    event = Event.objects.create(
        name="KVM Forum",
        slug="kvm",
        start_date=datetime.date(2012, 11, 7),
        end_date=datetime.date(2012, 11, 8),
        time_zone="Europe/Madrid",
        is_published=True,
    )
    release = Release.objects.create(
        event=event,
        number=1,
        name="1",
        released_at=datetime.datetime.now(datetime.UTC),
        is_current=True,
    )
    at = datetime.datetime(2012, 11, 7, 9, 0, tzinfo=datetime.UTC)
    for title, hour, cancelled in [("Later", 2, False), ("Gone", 1, True), ("First", 0, False)]:
        Talk.objects.create(
            event=event,
            release=release,
            title=title,
            slug=title.lower(),
            start=at + datetime.timedelta(hours=hour),
            end=at + datetime.timedelta(hours=hour, minutes=30),
            is_cancelled=cancelled,
        )

    apps = migrated(AFTER)

    ReleaseChange = apps.get_model("schedule", "ReleaseChange")
    rows = ReleaseChange.objects.order_by("position").values_list("kind", "after__title", "before")
    assert list(rows) == [
        ("new", "First", None),
        ("cancelled", "Gone", None),
        ("new", "Later", None),
    ]
    content = client.get("/kvm/schedule/changelog/").content.decode()
    assert "New (2)" in content
    assert "Cancelled (1)" in content
