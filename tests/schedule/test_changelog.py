"""Tests of the public changelog: every release of a schedule and what it changed."""

import datetime
import html
import re

import pytest

from schedule.models import ReleaseChange, Talk
from schedule.releases.service import release_schedule
from tests.factories import (
    RoomFactory,
    SpeakerFactory,
    TrackFactory,
    scheduled_talk,
    venue_time,
)
from tests.schedule.release_builders import build_releases

# About releasing itself: requests release nothing by themselves (tests/auto_release.py).
pytestmark = pytest.mark.manual_releases


FIRST_RELEASE_AT = datetime.datetime(2012, 11, 1, 13, 0, tzinfo=datetime.UTC)
SECOND_RELEASE_AT = datetime.datetime(2012, 11, 5, 8, 30, tzinfo=datetime.UTC)


def text(fragment):
    """What a reader sees of an HTML fragment: its text, with spaces collapsed."""
    inline_gone = re.sub(r"</?(?:a|time|strong)\b[^>]*>", "", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline_gone)).split())


def sections(content):
    """``{anchor: html}`` of each release's section, in the page's order."""
    found = re.findall(
        r'<section class="release[^"]*" id="([^"]+)"[^>]*>(.*?)</section>', content, re.S
    )
    return dict(found)


def lines(section):
    """The text of each change line of a release's section, in order."""
    return [
        text(item) for item in re.findall(r'<li class="release-change">(.*?)</li>', section, re.S)
    ]


def headings(section):
    return [text(heading) for heading in re.findall(r"<h3[^>]*>(.*?)</h3>", section, re.S)]


def links(section):
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)


@pytest.fixture
def rooms(event):
    return RoomFactory(event=event, name="Room A"), RoomFactory(event=event, name="Room B")


@pytest.fixture
def two_releases(event, rooms):
    """Release 1, then edits (a move, a cancellation, a new talk, an unpublished one,
    a new title and speaker), then release "final" with a comment."""
    room_a, room_b = rooms
    ada, bob = SpeakerFactory(name="Ada"), SpeakerFactory(name="Bob")
    opening = scheduled_talk(event, "Opening", (9, 0), (9, 30), room=room_a, speakers=[ada])
    storage = scheduled_talk(event, "Storage", (10, 0), (10, 30), room=room_a, speakers=[bob])
    networking = scheduled_talk(event, "Networking", (11, 0), (11, 30), room=room_b)
    secret = scheduled_talk(event, "Secret plans", (12, 0), (12, 30), room=room_b)
    release_schedule(event, released_at=FIRST_RELEASE_AT)

    storage.start = venue_time(event, 2012, 11, 8, 14, 0)
    storage.end = venue_time(event, 2012, 11, 8, 14, 45)
    storage.room = room_b
    storage.save()
    networking.is_cancelled = True
    networking.save()
    secret.is_published = False
    secret.save()
    opening.title = "Welcome"
    opening.save()
    opening.talk_speakers.create(speaker=bob, position=1)
    scheduled_talk(event, "Lightning round", (16, 0), (17, 0), room=room_a)
    release_schedule(
        event,
        name="final",
        comment="Rooms <b>swapped</b>\nSee you there.",
        released_at=SECOND_RELEASE_AT,
    )
    return event


def test_changelog_lists_releases_newest_first_with_time_in_the_venue_zone(client, two_releases):
    content = client.get("/kvm/schedule/changelog/").content.decode()

    found = sections(content)
    assert list(found) == ["release-2", "release-1"]
    assert text(found["release-2"]).startswith(
        "Release final shown now Released 5 November 2012 09:30 CET (Europe/Madrid)"
    )
    assert text(found["release-1"]).startswith(
        "Release 1 Released 1 November 2012 14:00 CET (Europe/Madrid)"
    )


def test_changelog_groups_each_change_with_old_and_new_times_and_rooms(client, two_releases):
    content = client.get("/kvm/schedule/changelog/").content.decode()

    latest = sections(content)["release-2"]
    assert headings(latest) == [
        "New (1)",
        "Cancelled (1)",
        "Withdrawn from the schedule (1)",
        "Moved (1)",
        "Changed (1)",
    ]
    assert lines(latest) == [
        "Lightning round: Wed 7 Nov, 16:00–17:00 CET, Room A",
        "Networking: Wed 7 Nov, 11:00–11:30 CET, Room B",
        "Secret plans: was Wed 7 Nov, 12:00–12:30 CET, Room B",
        "Storage (Bob): Wed 7 Nov, 10:00–10:30 CET, Room A → Thu 8 Nov, 14:00–14:45 CET, Room B",
        "Welcome (Ada, Bob): Wed 7 Nov, 09:00–09:30 CET, Room A"
        " Title: Opening → Welcome Speakers: Ada → Ada, Bob",
    ]


def test_first_release_lists_every_talk_as_new(client, two_releases):
    content = client.get("/kvm/schedule/changelog/").content.decode()

    first = sections(content)["release-1"]
    assert headings(first) == ["New (4)"]
    assert [line.split(":")[0] for line in lines(first)] == [
        "Opening (Ada)",
        "Storage (Bob)",
        "Networking",
        "Secret plans",
    ]


def test_changes_link_to_the_talks_the_current_release_shows(client, two_releases):
    content = client.get("/kvm/schedule/changelog/").content.decode()

    found = sections(content)
    # Cancelled and withdrawn talks have no page to go to; a renamed one links by its new slug.
    assert links(found["release-2"]) == [
        ("/kvm/talks/lightning-round/", "Lightning round"),
        ("/kvm/talks/storage/", "Storage"),
        ("/kvm/talks/opening/", "Welcome"),
    ]
    assert links(found["release-1"]) == [
        ("/kvm/talks/opening/", "Opening"),
        ("/kvm/talks/storage/", "Storage"),
    ]


def test_changelog_escapes_the_organisers_text(client, event, rooms):
    scheduled_talk(event, '<script>alert("t")</script>', slug="xss", room=rooms[0])
    release_schedule(event, comment='<img src=x onerror="alert(1)">\nsecond line')

    content = client.get("/kvm/schedule/changelog/").content.decode()

    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in content
    assert "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<br>second line</p>" in content


def test_changelog_links_its_feed_from_the_page_head(client, two_releases):
    content = client.get("/kvm/schedule/changelog/").content.decode()

    head = content.split("</head>")[0]
    assert (
        '<link rel="alternate" type="application/atom+xml" title="KVM Forum: schedule changes"'
        ' href="/kvm/schedule/feed.xml">'
    ) in head


def test_changelog_before_any_release_says_so(client, event):
    content = client.get("/kvm/schedule/changelog/").content.decode()

    assert sections(content) == {}
    assert "The schedule has not been released yet." in content


def test_a_talk_edited_after_a_release_is_not_in_the_changelog_until_the_next(client, event, rooms):
    talk = scheduled_talk(event, "Storage", (10, 0), (10, 30), room=rooms[0])
    release_schedule(event)
    talk.title = "Unreleased title"
    talk.save()

    content = client.get("/kvm/schedule/changelog/").content.decode()

    assert "Unreleased title" not in content
    assert list(sections(content)) == ["release-1"]


def test_changelog_is_served_from_the_cache_until_the_next_release(
    client, event, rooms, django_assert_num_queries
):
    talk = scheduled_talk(event, "Storage", (10, 0), (10, 30), room=rooms[0])
    release_schedule(event)
    client.get("/kvm/schedule/changelog/")

    with django_assert_num_queries(0):
        again = client.get("/kvm/schedule/changelog/")
    talk.room = rooms[1]
    talk.save()
    release_schedule(event)
    after = client.get("/kvm/schedule/changelog/").content.decode()

    assert list(sections(again.content.decode())) == ["release-1"]
    assert list(sections(after)) == ["release-2", "release-1"]
    assert lines(sections(after)["release-2"]) == [
        "Storage: Wed 7 Nov, 10:00–10:30 CET, Room A → Wed 7 Nov, 10:00–10:30 CET, Room B"
    ]


def test_release_stores_its_changes_pointing_at_both_copies(event, rooms):
    talk = scheduled_talk(event, "Storage", (10, 0), (10, 30), room=rooms[0])
    first, _ = release_schedule(event)
    talk.room = rooms[1]
    talk.save()

    second, _ = release_schedule(event)

    change = ReleaseChange.objects.get(release=second)
    assert (change.kind, change.fields) == ("moved", ["room"])
    assert (change.before.release, change.before.room) == (first, rooms[0])
    assert (change.after.release, change.after.room) == (second, rooms[1])
    assert Talk.objects.get().pk not in (change.before.pk, change.after.pk)


@pytest.mark.parametrize(("talk_count", "release_count"), [(3, 2), (60, 6)])
def test_changelog_queries_do_not_grow_with_talks_or_releases(
    client, db, talk_count, release_count, django_assert_max_num_queries
):
    build_releases(talk_count, release_count)

    # One of them is the call's times, for the navigation's link to an open call.
    with django_assert_max_num_queries(6):
        content = client.get("/big/schedule/changelog/").content.decode()

    found = sections(content)
    assert len(found) == release_count
    assert len(lines(found[f"release-{release_count}"])) == talk_count


# The schedule page names its release ---------------------------------------------


def test_schedule_page_names_its_release_and_links_the_changelog(client, two_releases):
    content = client.get("/kvm/schedule/?day=all").content.decode()

    stamp = re.search(r'<p class="release-stamp[^"]*">(.*?)</p>', content, re.S).group(1)
    assert text(stamp) == "Release final, 5 November 2012 09:30 CET (Europe/Madrid). What changed"
    assert links(stamp) == [("/kvm/schedule/changelog/", "What changed")]


def test_schedule_page_names_the_new_release_once_made(client, event, rooms):
    talk = scheduled_talk(event, "Storage", (10, 0), (10, 30), room=rooms[0])
    release_schedule(event, released_at=FIRST_RELEASE_AT)
    before = client.get("/kvm/schedule/?day=all").content.decode()
    talk.room = rooms[1]
    talk.save()
    release_schedule(
        event, name="1.1", released_at=datetime.datetime(2012, 11, 6, 17, 5, tzinfo=datetime.UTC)
    )

    after = client.get("/kvm/schedule/?day=all").content.decode()

    assert "Release 1, 1 November 2012 14:00 CET (Europe/Madrid)." in text(before)
    assert "Release 1.1, 6 November 2012 18:05 CET (Europe/Madrid)." in text(after)


def test_schedule_page_of_an_event_never_released_names_no_release(client, event):
    content = client.get("/kvm/schedule/").content.decode()

    assert 'class="release-stamp' not in content


def test_changelog_spells_out_kind_track_and_detail_changes(client, event, rooms):
    track = TrackFactory(event=event, name="Virtualisation")
    workshop = scheduled_talk(event, "Hands on", (9, 0), (10, 0), room=rooms[0])
    described = scheduled_talk(event, "Storage", (11, 0), (11, 30), room=rooms[0])
    release_schedule(event)
    workshop.kind = Talk.Kind.WORKSHOP
    workshop.track = track
    workshop.save()
    described.abstract = "Now with an abstract."
    described.do_not_record = True
    described.save()
    release_schedule(event)

    content = client.get("/kvm/schedule/changelog/").content.decode()

    latest = sections(content)["release-2"]
    assert headings(latest) == ["Changed (1)", "Details updated (1)"]
    assert lines(latest) == [
        "Hands on: Wed 7 Nov, 09:00–10:00 CET, Room A"
        " Kind: Talk → Workshop Track: no track → Virtualisation",
        "Storage: Wed 7 Nov, 11:00–11:30 CET, Room A Updated: abstract, recording",
    ]
