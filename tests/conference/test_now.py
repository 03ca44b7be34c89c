"""The now page: each room's talk on now and the next one, at the venue's clock."""

import datetime
import html
import re

import pytest
import time_machine

from schedule.releases.service import release_schedule
from tests.factories import EventFactory, RoomFactory, TalkFactory, venue_time

UTC = datetime.UTC


def at(*args):
    """A moment in UTC: ``at(2012, 11, 7, 8, 15)``."""
    return datetime.datetime(*args, tzinfo=UTC)


# 09:15 in Berlin (an hour ahead of UTC in November).
NINE_FIFTEEN = at(2012, 11, 7, 8, 15)


@pytest.fixture
def running_conf(db):
    """Berlin, 7 to 9 November 2012, Hall and Lab: three talks and a lunch on the 7th, a
    closing on the 8th, nothing on the 9th."""
    event = EventFactory(slug="runconf", name="RunConf", time_zone="Europe/Berlin")
    hall = RoomFactory(event=event, name="Hall", slug="hall", position=0)
    lab = RoomFactory(event=event, name="Lab", slug="lab", position=1)
    RoomFactory(event=event, name="Annex", slug="annex", position=2)
    for title, room, day, start, end in [
        ("Schedulers", hall, 7, (9, 0), (10, 0)),
        ("Containers", lab, 7, (9, 0), (9, 30)),
        ("Storage", lab, 7, (9, 30), (10, 0)),
        ("Lunch", None, 7, (12, 0), (13, 0)),
        ("Closing", hall, 8, (17, 0), (17, 30)),
    ]:
        TalkFactory(
            event=event,
            title=title,
            slug=title.lower(),
            room=room,
            start=venue_time(event, 2012, 11, day, *start),
            end=venue_time(event, 2012, 11, day, *end),
        )
    TalkFactory(event=event, title="Cancelled Talk", room=hall, is_cancelled=True)
    return event


def text(fragment):
    words = " ".join(re.sub(r"<[^>]+>", " ", fragment).split())
    return html.unescape(words.replace(" .", "."))


def lanes(content):
    """Each room's card as its text: "Hall Now 09:00–10:00 Schedulers Next …"."""
    cards = re.findall(r'<section class="now-lane.*?</section>', content, re.S)
    return [text(card).replace(" – ", "–") for card in cards]


def board_text(content):
    block = content[content.index("data-now-board") :]
    block = block[block.index(">") + 1 :]
    return text(block[: block.index("</main>")]).replace(" – ", "–")


def get_now(client, moment, path="/runconf/now/"):
    with time_machine.travel(moment, tick=False):
        return client.get(path).content.decode()


def test_now_page_shows_each_rooms_talk_on_now_and_next(client, running_conf):
    content = get_now(client, NINE_FIFTEEN)

    assert lanes(content) == [
        "All rooms Now Nothing on Next 12:00–13:00 Lunch",
        "Hall Now 09:00–10:00 Schedulers Next Nothing more today",
        "Lab Now 09:00–09:30 Containers Next 09:30–10:00 Storage",
        "Annex Now Nothing on Next Nothing more today",
    ]
    assert "It is 09:15 at the venue, Wednesday 7 November (CET, Europe/Berlin)." in text(content)
    assert '<a href="/runconf/talks/storage/">Storage</a>' in content
    assert "Cancelled Talk" not in content


def test_now_page_moves_on_when_a_talk_ends_despite_the_page_cache(client, running_conf):
    with time_machine.travel(at(2012, 11, 7, 8, 29, 30), tick=False) as traveller:
        before = client.get("/runconf/now/").content.decode()
        traveller.shift(datetime.timedelta(seconds=45))  # 09:30:15
        after = client.get("/runconf/now/").content.decode()

    assert lanes(before)[2] == "Lab Now 09:00–09:30 Containers Next 09:30–10:00 Storage"
    assert lanes(after)[2] == "Lab Now 09:30–10:00 Storage Next Nothing more today"
    assert "It is 09:30 at the venue" in text(after)


def test_now_page_is_cached_until_its_clock_shows_the_next_minute(
    client, running_conf, django_assert_max_num_queries
):
    with time_machine.travel(at(2012, 11, 7, 8, 15, 40), tick=False) as traveller:
        client.get("/runconf/now/")
        traveller.shift(datetime.timedelta(seconds=19))  # 09:15:59
        with django_assert_max_num_queries(0):  # served from the cache
            same_minute = client.get("/runconf/now/").content.decode()
        traveller.shift(datetime.timedelta(seconds=2))  # 09:16:01
        next_minute = client.get("/runconf/now/").content.decode()

    assert "It is 09:15 at the venue" in text(same_minute)
    assert "It is 09:16 at the venue" in text(next_minute)


def test_after_the_days_talks_it_points_to_the_next_day(client, running_conf):
    content = get_now(client, at(2012, 11, 7, 20, 0))  # 21:00

    assert "Nothing more today. The programme continues on Thursday 8 November." in text(content)
    assert 'href="/runconf/schedule/?day=2012-11-08"' in content


def test_before_the_event_it_says_so_and_shows_the_first_days_first_talks(client, running_conf):
    content = get_now(client, at(2012, 11, 6, 22, 30))  # 23:30 the day before

    assert (
        "RunConf has not started yet: it begins on Wednesday 7 November 2012. "
        "Below are its first talks, on Wednesday 7 November." in text(content)
    )
    assert lanes(content) == [
        "All rooms First 12:00–13:00 Lunch",
        "Hall First 09:00–10:00 Schedulers",
        "Lab First 09:00–09:30 Containers",
        "Annex First No talk that day",
    ]
    assert "It is " not in content
    assert "data-now-refresh=" not in content


def test_before_the_event_the_page_turns_into_the_live_one_at_the_first_midnight(
    client, running_conf
):
    with time_machine.travel(at(2012, 11, 6, 22, 59, 30), tick=False) as traveller:
        before = client.get("/runconf/now/").content.decode()
        traveller.shift(datetime.timedelta(seconds=31))  # 00:00:01 on the 7th
        first_day = client.get("/runconf/now/").content.decode()

    assert "has not started yet" in before
    assert lanes(first_day)[1] == "Hall Now Nothing on Next 09:00–10:00 Schedulers"


def test_after_the_event_it_says_so_and_shows_the_last_talks(client, running_conf):
    content = get_now(client, at(2012, 12, 1, 12, 0))

    assert (
        "RunConf is over: it ended on Friday 9 November 2012. "
        "Below are its last talks, on Thursday 8 November." in text(content)
    )
    assert lanes(content) == [
        "Hall Last 17:00–17:30 Closing",
        "Lab Last No talk that day",
        "Annex Last No talk that day",
    ]


@pytest.fixture
def roomless_conf(db):
    """Madrid, no rooms (as the 2012 agenda): two talks side by side at 09:00, two at 09:45."""
    event = EventFactory(slug="agenda", name="Agenda Conf", time_zone="Europe/Madrid")
    for title, start, end in [
        ("KVM Performance", (9, 0), (9, 45)),
        ("oVirt Engine", (9, 0), (9, 30)),
        ("Live Migration", (9, 45), (10, 30)),
        ("VDSM Hooks", (9, 45), (10, 30)),
    ]:
        TalkFactory(
            event=event,
            title=title,
            start=venue_time(event, 2012, 11, 7, *start),
            end=venue_time(event, 2012, 11, 7, *end),
        )
    return event


def test_without_rooms_the_parallel_talks_stand_side_by_side(client, roomless_conf):
    content = get_now(client, at(2012, 11, 7, 8, 35), "/agenda/now/")  # 09:35 in Madrid

    assert lanes(content) == []
    assert board_text(content) == (
        "Now 09:00–09:45 KVM Performance "
        "Next at 09:45 09:45–10:30 Live Migration 09:45–10:30 VDSM Hooks"
    )


def test_without_rooms_before_the_event_it_shows_the_first_slot(client, roomless_conf):
    content = get_now(client, at(2012, 10, 1, 8, 0), "/agenda/now/")

    assert board_text(content) == (
        "First talks at 09:00 09:00–09:45 KVM Performance 09:00–09:30 oVirt Engine"
    )


def test_the_2012_agenda_has_a_now_page_while_it_runs(client, kvm_forum):
    content = get_now(client, at(2012, 11, 7, 10, 30), "/kvm-forum-2012/now/")  # 11:30 CET

    assert "It is 11:30 at the venue, Wednesday 7 November (CET, Europe/Madrid)." in text(content)
    now = content[content.index('id="now-heading"') : content.index('id="next-heading"')]
    assert re.findall(r'<a href="/kvm-forum-2012/talks/[^"]+/">', now)


def headings(content):
    return [text(h) for h in re.findall(r"<h[12][^>]*>.*?</h[12]>", content, re.S)]


def test_now_page_has_one_main_heading_and_a_heading_per_room(client, running_conf):
    content = get_now(client, NINE_FIFTEEN)

    assert headings(content) == ["On now", "All rooms", "Hall", "Lab", "Annex"]
    assert content.count('<main class="container" id="content">') == 1
    assert 'href="#content">Skip to content</a>' in content


def test_now_page_refreshes_through_a_static_script_not_an_inline_one(client, running_conf):
    content = get_now(client, NINE_FIFTEEN)

    scripts = re.findall(r"<script([^>]*)>", content)
    assert ' src="/static/js/now.js" defer' in scripts
    assert all(' src="/static/js/' in script for script in scripts)  # none inline
    assert 'data-now-refresh="60"' in content
    assert '<meta http-equiv="refresh"' not in content
    assert 'data-now-pause aria-pressed="false"' in content


@pytest.mark.parametrize(
    ("moment", "linked"),
    [(NINE_FIFTEEN, True), (at(2012, 11, 6, 12, 0), False), (at(2012, 11, 10, 12, 0), False)],
)
def test_schedule_links_to_the_now_page_while_the_event_runs(client, running_conf, moment, linked):
    with time_machine.travel(moment, tick=False):
        content = client.get("/runconf/schedule/").content.decode()

    assert ('href="/runconf/now/" data-now-link>On now, room by room</a>' in content) is linked


@pytest.mark.parametrize("rooms", [2, 20])
@pytest.mark.parametrize(
    ("moment", "queries"), [(NINE_FIFTEEN, 2), (at(2012, 10, 1, 8, 0), 3), (at(2013, 1, 1), 3)]
)
def test_now_page_queries_do_not_grow_with_rooms_and_talks(
    client, db, rooms, moment, queries, django_assert_max_num_queries
):
    event = EventFactory(slug="big", time_zone="Europe/Berlin")
    for position in range(rooms):
        room = RoomFactory(event=event, position=position)
        for hour in (9, 10, 11):
            TalkFactory(
                event=event,
                room=room,
                start=venue_time(event, 2012, 11, 7, hour, 0),
                end=venue_time(event, 2012, 11, 7, hour, 45),
            )
    client.get("/")  # releases the talks (tests/auto_release.py) before counting

    with (
        time_machine.travel(moment, tick=False),
        # and the event, and whether its call for proposals is open (the navigation's link)
        django_assert_max_num_queries(2 + queries),
    ):
        content = client.get("/big/now/").content.decode()

    assert len(lanes(content)) == rooms


def test_event_page_links_to_the_now_page_while_the_event_runs(client, running_conf):
    running = get_now(client, NINE_FIFTEEN, "/runconf/")
    over = get_now(client, at(2012, 12, 1, 12, 0), "/runconf/")

    assert 'href="/runconf/now/">On now, room by room</a>' in running
    assert "/runconf/now/" not in over


@pytest.mark.manual_releases
def test_now_page_shows_the_released_schedule_not_the_organisers_edits(client, running_conf):
    release_schedule(running_conf, notify=False, allow_errors=True)
    talk = running_conf.talks.get(title="Schedulers", release__isnull=True)
    talk.title = "Schedulers, renamed before release"
    talk.save()

    content = get_now(client, NINE_FIFTEEN)

    assert lanes(content)[1] == "Hall Now 09:00–10:00 Schedulers Next Nothing more today"
