"""Tests of the changelog's Atom feed: one entry per release, as the changelog lists them."""

import datetime
import re

import feedparser
import pytest

from schedule.models import Talk
from schedule.releases.service import release_schedule
from tests.factories import (
    RoomFactory,
    SpeakerFactory,
    scheduled_talk,
    venue_time,
)
from tests.schedule.release_builders import build_releases

# About releasing itself: requests release nothing by themselves (tests/auto_release.py).
pytestmark = pytest.mark.manual_releases


FIRST_RELEASE_AT = datetime.datetime(2012, 11, 1, 13, 0, tzinfo=datetime.UTC)
SECOND_RELEASE_AT = datetime.datetime(2012, 11, 5, 8, 30, tzinfo=datetime.UTC)


def parsed(response):
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def changelog_releases(client, slug):
    """``[(anchor, heading)]`` of each release on the changelog page, in its order."""
    content = client.get(f"/{slug}/schedule/changelog/").content.decode()
    return [
        (anchor, re.sub(r"<[^>]+>.*", "", heading, flags=re.S).strip())
        for anchor, heading in re.findall(
            r'<section class="release[^"]*" id="([^"]+)".*?<h2[^>]*>(.*?)</h2>', content, re.S
        )
    ]


@pytest.fixture
def two_releases(event):
    room_a, room_b = (
        RoomFactory(event=event, name="Room A"),
        RoomFactory(event=event, name="Room B"),
    )
    storage = scheduled_talk(
        event, "Storage", (10, 0), (10, 30), room=room_a, speakers=[SpeakerFactory(name="Bob")]
    )
    networking = scheduled_talk(event, "Networking", (11, 0), (11, 30), room=room_b)
    release_schedule(event, released_at=FIRST_RELEASE_AT)
    storage.start = venue_time(event, 2012, 11, 8, 14, 0)
    storage.end = venue_time(event, 2012, 11, 8, 14, 30)
    storage.room = room_b
    storage.save()
    networking.is_cancelled = True
    networking.save()
    scheduled_talk(event, "Lightning <round>", (16, 0), (17, 0), slug="lightning", room=room_a)
    release_schedule(
        event, name="final", comment="Rooms <b>swapped</b> & more", released_at=SECOND_RELEASE_AT
    )
    return event


def test_feed_is_atom_with_one_entry_per_release_as_the_changelog_lists_them(client, two_releases):
    response = client.get("/kvm/schedule/feed.xml")

    feed = parsed(response)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feed.version == "atom10"
    assert feed.feed.title == "KVM Forum: schedule changes"
    assert feed.feed.link == "http://testserver/kvm/schedule/changelog/"
    assert [(entry.title, entry.link) for entry in feed.entries] == [
        ("Release final", "http://testserver/kvm/schedule/changelog/#release-2"),
        ("Release 1", "http://testserver/kvm/schedule/changelog/#release-1"),
    ]
    assert [
        (f"http://testserver/kvm/schedule/changelog/#{anchor}", heading)
        for anchor, heading in changelog_releases(client, "kvm")
    ] == [(entry.link, entry.title) for entry in feed.entries]


def test_feed_entries_are_dated_when_released(client, two_releases):
    feed = parsed(client.get("/kvm/schedule/feed.xml"))

    assert [(entry.published, entry.updated) for entry in feed.entries] == [
        ("2012-11-05T08:30:00+00:00", "2012-11-05T08:30:00+00:00"),
        ("2012-11-01T13:00:00+00:00", "2012-11-01T13:00:00+00:00"),
    ]
    assert feed.feed.updated == "2012-11-05T08:30:00+00:00"
    assert len({entry.id for entry in feed.entries}) == 2


def test_feed_entry_gives_the_comment_and_the_changes_in_the_venue_zone(client, two_releases):
    feed = parsed(client.get("/kvm/schedule/feed.xml"))

    summary = feed.entries[0].summary
    inline_gone = re.sub(r"</?(?:a|time)\b[^>]*>", "", summary)
    reads = " ".join(re.sub(r"<[^>]+>", " ", inline_gone).split())
    assert "<p>Rooms &lt;b&gt;swapped&lt;/b&gt; &amp; more</p>" in summary
    assert "3 changes; times are in Europe/Madrid, the venue's time zone." in reads
    assert "New (1) Lightning &lt;round&gt;: Wed 7 Nov, 16:00–17:00 CET, Room A" in reads
    assert "Cancelled (1) Networking: Wed 7 Nov, 11:00–11:30 CET, Room B" in reads
    assert (
        "Moved (1) Storage (Bob): Wed 7 Nov, 10:00–10:30 CET, Room A"
        " → Thu 8 Nov, 14:00–14:30 CET, Room B"
    ) in reads
    # Readers have no base address: talk links are absolute.
    assert '<a href="http://testserver/kvm/talks/lightning/">' in summary


def test_feed_of_an_event_never_released_is_empty_atom(client, event):
    feed = parsed(client.get("/kvm/schedule/feed.xml"))

    assert (feed.version, feed.entries) == ("atom10", [])


def test_feed_is_answered_304_until_the_next_release(
    client, two_releases, django_assert_num_queries
):
    first = client.get("/kvm/schedule/feed.xml")

    with django_assert_num_queries(0):
        again = client.get("/kvm/schedule/feed.xml", headers={"If-None-Match": first["ETag"]})
    talk = Talk.objects.get(slug="lightning")
    talk.room = None
    talk.save()
    release_schedule(two_releases, name="3")
    after = client.get("/kvm/schedule/feed.xml", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert after.status_code == 200
    assert [entry.title for entry in parsed(after).entries] == [
        "Release 3",
        "Release final",
        "Release 1",
    ]


@pytest.mark.parametrize(("talk_count", "release_count"), [(3, 2), (60, 6)])
def test_feed_queries_do_not_grow_with_talks_or_releases(
    client, db, talk_count, release_count, django_assert_max_num_queries
):
    build_releases(talk_count, release_count)

    with django_assert_max_num_queries(5):
        response = client.get("/big/schedule/feed.xml")

    feed = parsed(response)
    assert [entry.title for entry in feed.entries] == [
        f"Release {number}" for number in range(release_count, 0, -1)
    ]
    assert feed.entries[0].summary.count('class="release-change"') == talk_count
