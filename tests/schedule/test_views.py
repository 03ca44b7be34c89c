import datetime
import re

import pytest
import time_machine
from django.test import override_settings

from schedule.models import Talk
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)
from tests.schedule.page_reading import shown_days, slots_of_first_day


def titles(response):
    """Talk titles in the order the page shows them."""
    return re.findall(r'class="talk-title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_schedule_of_the_2012_agenda_shows_every_talk_by_day(client, kvm_forum):
    response = client.get("/kvm-forum-2012/schedule/", {"day": "all"})

    content = response.content.decode()
    assert [(day, len(shown)) for day, shown in shown_days(response)] == [
        ("2012-11-07", 13),
        ("2012-11-08", 18),
        ("2012-11-09", 3),
    ]
    assert len(titles(response)) == 34
    assert "Wednesday 7 November" in content
    assert "Times are in <strong data-zone-label" in content
    assert ">Europe/Madrid</strong> <span data-zone-abbreviation>(CET)</span>" in content
    # Parallel talks of the roomless agenda share one slot, side by side.
    assert ("13:00", 3) in slots_of_first_day(response)


def test_schedule_shows_times_in_the_event_zone_whatever_the_server_zone(client, kvm_forum):
    with override_settings(TIME_ZONE="Asia/Tokyo"):
        response = client.get("/kvm-forum-2012/schedule/", {"day": "2012-11-07"})

    content = response.content.decode()
    assert (
        '<time datetime="2012-11-07T09:00:00+01:00" data-time data-day="2012-11-07">09:00</time>'
        in content
    )
    assert "(CET)" in content


def test_day_parameter_shows_one_day(client, kvm_forum):
    response = client.get("/kvm-forum-2012/schedule/", {"day": "2012-11-09"})

    assert titles(response) == [
        "oVirt Infrastructure Overview",
        "Automated Testing of oVirt Node",
        "OpenStack: KVM for the Masses",
    ]
    assert 'aria-current="page" href="?day=2012-11-09"' in response.content.decode()


@pytest.mark.parametrize("day", ["2012-11-10", "2012-02-30", "tomorrow"])
def test_day_outside_the_event_is_not_found(client, kvm_forum, day):
    response = client.get("/kvm-forum-2012/schedule/", {"day": day})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Titles, and an abstract that mentions glusterfs
        (
            "gluster",
            [
                "GlusterFS for KVM Users and Developers",
                "Virtio-blk Performance Improvement",
                "oVirt/Gluster Integration",
            ],
        ),
        # Speaker name
        ("kivity", ["Keynote Address", "Revamping the QEMU Memory API"]),
        # Abstract only
        ("deltacloud", ["Using oVirt Via ec2/cimi With Deltacloud"]),
    ],
)
def test_search_matches_titles_speakers_and_abstracts(client, kvm_forum, query, expected):
    response = client.get("/kvm-forum-2012/schedule/", {"q": query})

    assert titles(response) == expected
    count = len(expected)
    summary = f"{count} talk{'s' if count != 1 else ''} match{'es' if count == 1 else ''}."
    assert summary in response.content.decode()


def test_search_with_no_match_says_so_and_keeps_the_filters(client, kvm_forum):
    response = client.get("/kvm-forum-2012/schedule/", {"q": "zzzz-nothing"})

    content = response.content.decode()
    assert "No talks match." in content
    assert 'name="q" id="id_q" value="zzzz-nothing"' in content


@pytest.fixture
def gridconf(db):
    event = EventFactory(slug="gridconf", name="GridConf", time_zone="Europe/Berlin")
    hall = RoomFactory(event=event, name="Hall", slug="hall", position=0)
    lab = RoomFactory(event=event, name="Lab", slug="lab", position=1)
    kernel = TrackFactory(event=event, name="Kernel", slug="kernel", colour="#d62728")
    cloud = TrackFactory(event=event, name="Cloud", slug="cloud", colour="#1f77b4")
    talks = {
        "Schedulers": (hall, kernel, (9, 0), (10, 0)),
        "Containers": (lab, cloud, (9, 0), (9, 30)),
        "Storage": (lab, kernel, (9, 30), (10, 0)),
    }
    for title, (room, track, start, end) in talks.items():
        TalkFactory(
            event=event,
            title=title,
            room=room,
            track=track,
            start=venue_time(event, 2012, 11, 7, *start),
            end=venue_time(event, 2012, 11, 7, *end),
            speakers=[SpeakerFactory(name=f"{title} Speaker")],
        )
    TalkFactory(
        event=event,
        title="Lunch",
        kind="break",
        start=venue_time(event, 2012, 11, 7, 12, 0),
        end=venue_time(event, 2012, 11, 7, 13, 0),
    )
    return event


def test_event_with_rooms_gets_a_grid_with_rooms_as_columns(client, gridconf):
    response = client.get("/gridconf/schedule/")

    content = response.content.decode()
    assert '<div class="timetable" style="--rooms: 2;">' in content
    assert '<div class="timetable-room" style="grid-column: 2;">Hall</div>' in content
    assert '<div class="timetable-room" style="grid-column: 3;">Lab</div>' in content
    lunch = Talk.objects.get(title="Lunch")
    lunch_card = f'id="talk-{lunch.slug}" data-talk="{lunch.uuid}"'
    assert f'{lunch_card} style="grid-row: 5 / 6; grid-column: 2 / -1;"' in content
    assert "--track-colour: #d62728;" in content
    assert titles(response) == ["Schedulers", "Containers", "Storage", "Lunch"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"track": "kernel"}, ["Schedulers", "Storage"]),
        ({"room": "lab"}, ["Containers", "Storage"]),
        ({"room": "lab", "track": "kernel"}, ["Storage"]),
    ],
)
def test_filters_by_track_and_room_keep_the_grid(client, gridconf, params, expected):
    response = client.get("/gridconf/schedule/", params)

    assert titles(response) == expected
    assert 'class="timetable"' in response.content.decode()


def to_be_confirmed(response):
    """Titles in the days' "Room and time to be confirmed" lists, per day shown."""
    lists = re.findall(
        r'-unplaced">Room and time to be confirmed</h3>\s*<ul>(.*?)</ul>',
        response.content.decode(),
        re.DOTALL,
    )
    return [re.findall(r'<li><a href="[^"]+">([^<]+)</a>', found) for found in lists]


@pytest.fixture
def clashconf(db):
    """Day one: every talk in the hall overlaps another; day two: one clash beside a fine talk."""
    event = EventFactory(slug="clashconf", time_zone="America/Havana")
    hall = RoomFactory(event=event, name="Hall", position=0)
    lab = RoomFactory(event=event, name="Lab", position=1)
    talks = [
        ("Clash A", hall, 7, (9, 0), (10, 0)),
        ("Clash B", hall, 7, (9, 30), (10, 30)),
        ("Clash C", hall, 7, (10, 0), (11, 0)),
        ("Fine", lab, 8, (9, 0), (10, 0)),
        ("Clash D", hall, 8, (9, 0), (10, 0)),
        ("Clash E", hall, 8, (9, 0), (9, 30)),
    ]
    for title, room, day, start, end in talks:
        TalkFactory(
            event=event,
            title=title,
            room=room,
            start=venue_time(event, 2012, 11, day, *start),
            end=venue_time(event, 2012, 11, day, *end),
        )
    return event


def test_day_whose_talks_all_clash_lists_each_of_them(client, clashconf):
    response = client.get("/clashconf/schedule/", {"day": "2012-11-07"})

    assert "Wednesday 7 November" in response.content.decode()
    assert to_be_confirmed(response) == [["Clash A", "Clash B", "Clash C"]]
    assert titles(response) == []


def test_all_days_page_shows_clashing_talks_beside_placed_ones(client, clashconf):
    response = client.get("/clashconf/schedule/", {"day": "all"})

    content = response.content.decode()
    assert "Wednesday 7 November" in content
    assert "Thursday 8 November" in content
    assert to_be_confirmed(response) == [["Clash A", "Clash B", "Clash C"], ["Clash D", "Clash E"]]
    assert titles(response) == ["Fine"]
    # The zone's abbreviation is that of the first talk, though it is not on the grid.
    assert "<span data-zone-abbreviation>(CST)</span>" in content


def test_break_beside_clashing_talks_stays_on_the_grid(client, clashconf):
    TalkFactory(
        event=clashconf,
        title="Lunch",
        kind="break",
        start=venue_time(clashconf, 2012, 11, 7, 12, 0),
        end=venue_time(clashconf, 2012, 11, 7, 13, 0),
    )

    response = client.get("/clashconf/schedule/", {"day": "2012-11-07"})

    assert titles(response) == ["Lunch"]
    assert to_be_confirmed(response) == [["Clash A", "Clash B", "Clash C"]]


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("track=no-such-track", "/gridconf/schedule/"),
        ("room=lab&track=no-such-track", "/gridconf/schedule/?room=lab"),
        ("day=2012-11-07&q=" + "x" * 101, "/gridconf/schedule/?day=2012-11-07"),
    ],
)
def test_a_filter_value_the_page_cannot_use_leads_to_the_page_without_it(
    client, gridconf, query, canonical
):
    response = client.get(f"/gridconf/schedule/?{query}", follow=True)

    assert response.redirect_chain == [(canonical, 302)]
    assert titles(response) == titles(client.get(canonical))
    assert titles(response)


def test_each_entry_shows_time_title_speakers_room_and_track(client, gridconf):
    response = client.get("/gridconf/schedule/", {"q": "Containers"})

    content = response.content.decode()
    card = content[content.index('id="talk-') : content.index("</article>")]
    assert ">09:00</time>–<time" in card
    assert ">09:30</time>" in card
    assert '<a href="/gridconf/talks/' in card
    assert "Containers Speaker" in card
    assert '<span class="talk-room">Lab</span>' in card
    assert "Cloud</span>" in card


@time_machine.travel(datetime.datetime(2012, 11, 7, 8, 15, tzinfo=datetime.UTC), tick=False)
def test_running_event_marks_now_and_next_in_its_zone(client, gridconf):
    # 08:15 UTC is 09:15 in Berlin: Schedulers and Containers are on, Storage is next.
    response = client.get("/gridconf/schedule/")

    content = response.content.decode()
    assert ">09:15</time> at the venue." in content
    assert re.search(
        r'<strong>Now:</strong> <a href="#talk-[\w-]+">Schedulers</a> '
        r'<span class="now-room">\(Hall\)</span>; ',
        content,
    )
    assert 'Containers</a> <span class="now-room">(Lab)</span></p>' in content
    assert re.search(
        r"<strong>Next at <time[^>]*>09:30</time>:</strong> <a[^>]*>Storage</a>", content
    )
    assert content.count(">Now</span>") == 2
    assert content.count(">Next</span>") == 1


def day_headings(content):
    return re.findall(r'<h2 id="day-[\d-]+-heading" class="h3">([^<]+)</h2>', content)


# 10:40 in Madrid on the agenda's second day: the two talks of 10:30 are on.
SECOND_DAY_MORNING = datetime.datetime(2012, 11, 8, 9, 40, tzinfo=datetime.UTC)


@time_machine.travel(SECOND_DAY_MORNING, tick=False)
def test_running_event_schedule_opens_on_the_venues_today_with_now_on_top(client, kvm_forum):
    content = client.get("/kvm-forum-2012/schedule/").content.decode()

    assert day_headings(content) == ["Thursday 8 November"]
    assert (
        'aria-current="page" href="?day=2012-11-08" data-offline-keep>Thu 8 Nov · today</a>'
        in content
    )
    assert '<a class="nav-link" href="?day=all" data-offline-keep>All days</a>' in content
    # The panel comes before the days' switcher and the day's first talk.
    panel = content.index('class="now-panel')
    assert panel < content.index('class="day-switcher') < content.index('class="talk-card')
    jump = re.search(
        r'<a class="alert-link" href="#([\w-]+)" data-jump-to-now>Jump to now</a>', content
    )
    assert jump is not None
    # It leads to the heading of the slot of a talk on now.
    heading = content.index(f'id="{jump.group(1)}"')
    slot = content[heading : content.index("</li>", heading)]
    assert "is-now" in slot
    assert '<time datetime="2012-11-08T10:30:00+01:00"' in slot


@time_machine.travel(SECOND_DAY_MORNING, tick=False)
def test_running_event_shows_every_day_when_asked(client, kvm_forum):
    content = client.get("/kvm-forum-2012/schedule/", {"day": "all"}).content.decode()

    assert day_headings(content) == [
        "Wednesday 7 November",
        "Thursday 8 November",
        "Friday 9 November",
    ]
    all_days = (
        '<a class="nav-link active" aria-current="page" href="?day=all" data-offline-keep>'
        "All days</a>"
    )
    assert all_days in content
    assert content.count('class="now-panel') == 1


@time_machine.travel(SECOND_DAY_MORNING, tick=False)
def test_running_event_search_looks_through_every_day(client, kvm_forum):
    response = client.get("/kvm-forum-2012/schedule/", {"q": "oVirt Node"})

    assert "Automated Testing of oVirt Node" in titles(response)  # on the third day
    assert "oVirt Node Architecture Design and Roadmpa" in titles(response)  # on the first


def test_schedule_before_the_event_opens_on_its_first_day_with_every_day_a_click_away(
    client, kvm_forum
):
    with time_machine.travel(datetime.datetime(2012, 11, 1, 12, 0, tzinfo=datetime.UTC)):
        content = client.get("/kvm-forum-2012/schedule/").content.decode()
        every_day = client.get("/kvm-forum-2012/schedule/", {"day": "all"}).content.decode()

    assert day_headings(content) == ["Wednesday 7 November"]
    assert re.search(r'href="\?day=all"[^>]*>All days</a>', content)
    assert 'class="now-panel' not in content
    assert len(day_headings(every_day)) == 3


def test_schedule_after_the_event_opens_on_its_first_day_too(client, kvm_forum):
    with time_machine.travel(datetime.datetime(2013, 1, 1, 12, 0, tzinfo=datetime.UTC)):
        content = client.get("/kvm-forum-2012/schedule/").content.decode()

    assert day_headings(content) == ["Wednesday 7 November"]


def test_cached_schedule_of_a_running_event_turns_to_the_next_day_at_the_venues_midnight(
    client, kvm_forum
):
    # 23:59:30 in Madrid (CET, an hour ahead of UTC) on the first day.
    before_midnight = datetime.datetime(2012, 11, 7, 22, 59, 30, tzinfo=datetime.UTC)
    with time_machine.travel(before_midnight, tick=False) as traveller:
        first = client.get("/kvm-forum-2012/schedule/").content.decode()
        traveller.shift(datetime.timedelta(seconds=40))  # 00:00:10 at the venue
        second = client.get("/kvm-forum-2012/schedule/").content.decode()

    assert day_headings(first) == ["Wednesday 7 November"]
    assert day_headings(second) == ["Thursday 8 November"]


@time_machine.travel(datetime.datetime(2012, 12, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_finished_event_marks_nothing_as_now(client, gridconf):
    content = client.get("/gridconf/schedule/").content.decode()

    assert "<strong>Now:</strong>" not in content
    assert ">Next</span>" not in content


def test_my_schedule_shows_only_the_starred_talks(client, gridconf):
    starred = Talk.objects.filter(title__in=["Storage", "Lunch"]).order_by("start")
    ids = ",".join(str(talk.uuid) for talk in starred) + ",not-a-uuid"

    response = client.get("/gridconf/schedule/", {"talks": ids})

    content = response.content.decode()
    assert titles(response) == ["Storage", "Lunch"]
    assert "<h1>My schedule</h1>" in content
    assert f'href="/gridconf/schedule.ics?talks={ids.replace(",", "%2C")}"' in content


def test_my_schedule_without_stars_explains_how_to_star(client, gridconf):
    content = client.get("/gridconf/schedule/", {"talks": ""}).content.decode()

    assert "You have not starred any talks yet." in content


def test_hidden_talks_and_events_are_not_on_the_schedule(client, gridconf):
    TalkFactory(event=gridconf, title="Draft talk", is_published=False)
    TalkFactory(event=gridconf, title="Cancelled talk", is_cancelled=True)
    hidden = EventFactory(slug="hidden", is_published=False)
    TalkFactory(event=hidden)

    response = client.get("/gridconf/schedule/")

    assert "Draft talk" not in titles(response)
    assert "Cancelled talk" not in titles(response)
    assert client.get("/hidden/schedule/").status_code == 404
    assert client.get("/hidden/").status_code == 404


def test_titles_and_names_are_escaped_on_the_schedule(client, gridconf):
    TalkFactory(
        event=gridconf,
        title='<script>alert("t")</script>',
        speakers=[SpeakerFactory(name="<img src=x onerror=alert(1)>")],
    )

    content = client.get("/gridconf/schedule/").content.decode()

    assert '<script>alert("t")</script>' not in content
    assert "<img src=x onerror" not in content
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in content


@pytest.mark.parametrize("talk_count", [10, 300])
def test_schedule_queries_do_not_grow_with_talks(client, db, talk_count, django_assert_num_queries):
    event = EventFactory(slug="big")
    rooms = [RoomFactory(event=event) for _ in range(5)]
    track = TrackFactory(event=event)
    speakers = [SpeakerFactory() for _ in range(20)]
    for number in range(talk_count):
        TalkFactory(
            event=event,
            room=rooms[number % 5],
            track=track,
            start=venue_time(event, 2012, 11, 7 + number % 3, 9, 0)
            + datetime.timedelta(minutes=30 * (number // 15)),
            end=venue_time(event, 2012, 11, 7 + number % 3, 9, 30)
            + datetime.timedelta(minutes=30 * (number // 15)),
            speakers=[speakers[number % 20], speakers[(number + 1) % 20]],
        )

    # The sixth reads the release the page names; the seventh the call's times (navigation).
    with django_assert_num_queries(7):
        response = client.get("/big/schedule/", {"q": "Talk"})

    assert len(titles(response)) == talk_count


# The talk page ---------------------------------------------------------------


def test_talk_page_shows_everything_an_attendee_needs(client, kvm_forum):
    response = client.get(
        "/kvm-forum-2012/talks/live-migration-even-faster-now-with-a-dedicated-thread/"
    )

    content = response.content.decode()
    title = "Live Migration: Even faster, Now With a Dedicated Thread!"
    assert f'<h1 class="d-flex align-items-start gap-2">{title}' in content
    assert "Wednesday 7 November 2012" in content
    assert '>14:30</time>–<time datetime="2012-11-07T15:00:00+01:00"' in content
    assert "CET</span>" in content
    assert "<li>Resource consumption (network bandwidth and CPU usage)</li>" in content
    assert 'href="/kvm-forum-2012/speakers/orit-wasserman/">Orit Wasserman</a>' in content
    assert (
        'href="/kvm-forum-2012/talks/live-migration-even-faster-now-with-a-dedicated-thread.ics"'
        in content
    )
    assert (
        'href="http://kvmforumovirtworkshop2012.sched.org/event/bd85e13226f05d127cdd256e0626008c'
        in content
    )
    assert f'<meta property="og:title" content="{title} · KVM Forum + oVirt Workshop">' in content


def talk_when(content):
    """The text of the talk page's "When", tags left out and spaces collapsed."""
    (when,) = re.findall(r"<dt>When</dt>\s*<dd>(.*?)</dd>", content, re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", "", when).split())


@pytest.mark.parametrize(
    ("zone", "start", "end", "expected"),
    [
        # Santiago's clocks skip 00:00-01:00: the talk lasts an hour.
        (
            "America/Santiago",
            (2024, 9, 8, 3, 30),
            (2024, 9, 8, 4, 30),
            "Saturday 7 September 2024, 23:30 -04 – 01:30 -03 (America/Santiago)",
        ),
        # Havana's clocks go back from 01:00 to 00:00: the talk lasts two hours.
        (
            "America/Havana",
            (2024, 11, 3, 3, 30),
            (2024, 11, 3, 5, 30),
            "Saturday 2 November 2024, 23:30 CDT – 00:30 CST (America/Havana)",
        ),
        # The second 00:30 of the night, named as such.
        (
            "America/Havana",
            (2024, 11, 3, 5, 30),
            (2024, 11, 3, 6, 30),
            "Sunday 3 November 2024, 00:30–01:30 CST (America/Havana)",
        ),
        # No change during the talk: one abbreviation for both.
        (
            "America/Havana",
            (2024, 11, 3, 6, 0),
            (2024, 11, 3, 7, 0),
            "Sunday 3 November 2024, 01:00–02:00 CST (America/Havana)",
        ),
    ],
)
def test_talk_page_names_the_zone_at_each_end_of_a_talk_when_clocks_change(
    client, db, zone, start, end, expected
):
    event = EventFactory(slug="clocks", time_zone=zone)
    TalkFactory(
        event=event,
        slug="the-talk",
        start=datetime.datetime(*start, tzinfo=datetime.UTC),
        end=datetime.datetime(*end, tzinfo=datetime.UTC),
    )

    content = client.get("/clocks/talks/the-talk/").content.decode()

    assert talk_when(content) == expected


def test_keynote_page_says_there_is_no_abstract(client, kvm_forum):
    content = client.get("/kvm-forum-2012/talks/keynote-address/").content.decode()

    assert "No abstract was given." in content
    assert "Keynote</span>" in content


def test_talk_page_links_previous_and_next_in_the_same_room(client, gridconf):
    storage = Talk.objects.get(title="Storage")

    response = client.get(f"/gridconf/talks/{storage.slug}/")

    assert response.context["previous_talk"].title == "Containers"
    assert response.context["next_talk"] is None
    content = response.content.decode()
    assert 'rel="prev">← Containers</a>' in content
    assert 'aria-label="Other talks in Lab"' in content


def test_talk_page_shows_speaker_photo_placeholder_and_short_bio(client, gridconf):
    talk = Talk.objects.get(title="Storage")
    speaker = talk.speakers.get()
    speaker.bio = "Works on **storage**. " + "word " * 60
    speaker.save()

    content = client.get(f"/gridconf/talks/{talk.slug}/").content.decode()

    assert 'src="/static/img/speaker-placeholder.svg" alt="Storage Speaker"' in content
    assert "Works on storage. word" in content
    assert "word …" in content


@pytest.mark.parametrize(
    "change",
    [{"is_published": False}, {"is_cancelled": True}],
)
def test_hidden_talk_page_is_not_found(client, gridconf, change):
    talk = Talk.objects.get(title="Storage")
    Talk.objects.filter(pk=talk.pk).update(**change)

    assert client.get(f"/gridconf/talks/{talk.slug}/").status_code == 404
    assert client.get(f"/gridconf/talks/{talk.slug}.ics").status_code == 404


def test_talk_of_an_unpublished_event_is_not_found(client, gridconf):
    talk = Talk.objects.get(title="Storage")
    gridconf.is_published = False
    gridconf.save()

    assert client.get(f"/gridconf/talks/{talk.slug}/").status_code == 404


def test_talk_abstract_is_sanitised(client, gridconf):
    talk = Talk.objects.get(title="Storage")
    talk.abstract = (
        'Fine <b>bold</b> <script>alert(1)</script> <a href="javascript:alert(1)">x</a> '
        '<img src=x onerror="alert(1)"> [ok](https://example.org)'
    )
    talk.save()

    content = client.get(f"/gridconf/talks/{talk.slug}/").content.decode()

    assert "<b>bold</b>" in content
    assert "<script>alert(1)</script>" not in content
    assert "javascript:" not in content
    assert "onerror" not in content
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">ok</a>' in content


@pytest.mark.parametrize("talk_count", [10, 300])
def test_talk_page_queries_do_not_grow(client, db, talk_count, django_assert_num_queries):
    event = EventFactory(slug="big")
    room = RoomFactory(event=event)
    for number in range(talk_count):
        TalkFactory(
            event=event,
            room=room,
            slug=f"talk-{number}",
            start=venue_time(event, 2012, 11, 7, 9, 0) + datetime.timedelta(minutes=30 * number),
            end=venue_time(event, 2012, 11, 7, 9, 30) + datetime.timedelta(minutes=30 * number),
            speakers=[SpeakerFactory(), SpeakerFactory()],
        )

    # One of them reads the call’s times, for the navigation.
    with django_assert_num_queries(6):
        response = client.get("/big/talks/talk-5/")

    assert response.context["talk"].slug == "talk-5"


def slot_rows(content):
    """The roomless list's rows in order: ("slot", time, titles), ("break", …) or ("gap", words)."""
    rows = []
    for match in re.finditer(
        r'<li class="(slot(?: slot-break)?|slot-gap)">(.*?)</li>', content, re.S
    ):
        kind, body = match.groups()
        if kind == "slot-gap":
            rows.append(("gap", body.strip()))
            continue
        clock = re.search(r'<div class="slot-time"[^>]*>(?:<time[^>]*>([^<]+)</time>)?</div>', body)
        titles_here = re.findall(r'class="talk-title"><a href="[^"]+">([^<]+)</a>', body)
        rows.append(("break" if "slot-break" in kind else "slot", clock.group(1), titles_here))
    return rows


def test_roomless_list_shows_the_time_between_slots_as_a_break(client, kvm_forum):
    content = client.get("/kvm-forum-2012/schedule/", {"day": "2012-11-09"}).content.decode()

    # 09:15–09:35 and 09:35–10:00 touch; then nothing until 10:30.
    assert slot_rows(content) == [
        ("slot", "09:15", ["oVirt Infrastructure Overview"]),
        ("slot", "09:35", ["Automated Testing of oVirt Node"]),
        ("gap", "30 min break"),
        ("slot", "10:30", ["OpenStack: KVM for the Masses"]),
    ]


def test_roomless_list_says_a_long_gap_in_hours(client, kvm_forum):
    content = client.get("/kvm-forum-2012/schedule/", {"day": "2012-11-07"}).content.decode()

    # The 09:00 keynote ends at 09:15; the next talk starts at 11:15.
    assert slot_rows(content)[:3] == [
        ("slot", "09:00", ["Keynote Address"]),
        ("gap", "2 h break"),
        ("slot", "11:15", ["oVirt Node Architecture Design and Roadmpa"]),
    ]


def test_roomless_list_shows_a_break_as_a_row_of_its_own(client, kvm_forum):
    TalkFactory(
        event=kvm_forum,
        title="Coffee",
        kind="break",
        start=venue_time(kvm_forum, 2012, 11, 7, 10, 0),
        end=venue_time(kvm_forum, 2012, 11, 7, 10, 30),
    )
    TalkFactory(
        event=kvm_forum,
        title="Hallway Demo",
        start=venue_time(kvm_forum, 2012, 11, 7, 10, 0),
        end=venue_time(kvm_forum, 2012, 11, 7, 10, 30),
    )

    content = client.get("/kvm-forum-2012/schedule/", {"day": "2012-11-07"}).content.decode()

    rows = slot_rows(content)
    coffee = rows.index(("break", "10:00", ["Coffee"]))
    # The talk starting with it follows in its own row, under the same time.
    assert rows[coffee + 1] == ("slot", None, ["Hallway Demo"])
