"""The schedule's search (``?q=``): which talks it finds, and what it costs."""

import datetime
import re

import pytest

from schedule.selectors import schedule_talks
from tests.auto_release import release_pending
from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TalkFactory, venue_time


def titles(response):
    """Talk titles in the order the page shows them."""
    return re.findall(r'class="talk-title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def found(event, query):
    """What attendees find once the talks are released."""
    release_pending()
    return [talk.title for talk in schedule_talks(event, query=query)]


@pytest.fixture
def searchconf(db):
    """Talks at 09:00, 10:00, … in one room, found by title, abstract or speaker."""
    event = EventFactory(slug="searchconf", name="SearchConf", time_zone="Europe/Berlin")
    room = RoomFactory(event=event)
    ada, bea = SpeakerFactory(name="Ada Rossi"), SpeakerFactory(name="Bea Rossi")
    jorg = SpeakerFactory(name="Jörg Öberg")
    talks = [
        ("Kernel Scheduling", "How the CPU scheduler picks a task.", [ada]),
        ("Rust in the Kernel", "Memory safety for drivers.", [bea, ada]),
        ("Öl und Wasser", "Über Datenbanken.", [jorg]),
        ("Storage at Scale", "Ceph and friends; the kernel's block layer.", []),
        ("Lunch", "", []),
    ]
    for hour, (title, abstract, speakers) in enumerate(talks, start=9):
        TalkFactory(
            event=event,
            room=room,
            title=title,
            abstract=abstract,
            start=venue_time(event, 2012, 11, 7, hour, 0),
            end=venue_time(event, 2012, 11, 7, hour, 45),
            speakers=speakers,
        )
    # Matches for most queries that the search must never show: another
    # event's talk by the same speaker, a cancelled, an unpublished and an
    # unscheduled talk.
    TalkFactory(title="Kernel Rossi Öl", abstract="Rust", speakers=[ada, jorg])
    hidden = {"title": "Kernel Rossi Öl Rust", "speakers": [ada, bea, jorg]}
    TalkFactory(event=event, is_cancelled=True, **hidden)
    TalkFactory(event=event, is_published=False, **hidden)
    TalkFactory(event=event, start=None, end=None, **hidden)
    return event


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Scheduling", ["Kernel Scheduling"]),  # title
        ("drivers", ["Rust in the Kernel"]),  # abstract only
        ("Bea", ["Rust in the Kernel"]),  # the second of two speakers
        # Title, speaker and abstract at once, each talk once
        ("kernel", ["Kernel Scheduling", "Rust in the Kernel", "Storage at Scale"]),
        ("KERNEL", ["Kernel Scheduling", "Rust in the Kernel", "Storage at Scale"]),
        ("rOSSI", ["Kernel Scheduling", "Rust in the Kernel"]),  # both speakers of a talk
        ("a rossi", ["Kernel Scheduling", "Rust in the Kernel"]),  # across the name's parts
        ("Öl", ["Öl und Wasser"]),  # non-ASCII in the title, same case
        ("jörg Öberg", ["Öl und Wasser"]),
        ("the kernel's", ["Storage at Scale"]),
        ("100%", []),  # LIKE's wildcards are plain characters
        ("_", []),
        ("zzzz-nothing", []),
    ],
)
def test_search_finds_titles_abstracts_and_speakers_ignoring_case(searchconf, query, expected):
    assert found(searchconf, query) == expected


# Each has a non-ASCII letter in the other case than the title ("Öl"), the
# abstract ("Über") or the speaker ("Jörg Öberg") has it.
@pytest.mark.parametrize("query", ["öl", "JÖRG", "öberg", "über", "öl und"])
def test_search_folds_non_ascii_case_on_every_database(searchconf, query):
    assert found(searchconf, query) == ["Öl und Wasser"]


# Without its accents, with them where the text has none, and in either case.
@pytest.mark.parametrize("query", ["ol und", "jorg", "OBERG", "uber datenbanken", "ÜBER"])
def test_search_ignores_accents_on_every_database(searchconf, query):
    assert found(searchconf, query) == ["Öl und Wasser"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A speaker's accented name found without its accent, and a title without
        # one found with an accent and capitals
        ("farber", ["Färber’s Notes", "Plain Farber"]),
        ("FÄRBER", ["Färber’s Notes", "Plain Farber"]),
        ("muller", ["Müller on Memory"]),
        ("noel", ["Noël and the Kernel"]),
        ("ÉCOLE", ["Notes from the école", "Abstracts"]),  # the second in its abstract only
        ("oyvind", ["Øyvind’s Queue"]),  # a letter Unicode does not decompose
    ],
)
def test_search_matches_accents_and_case_alike(db, query, expected):
    event = EventFactory(slug="accents")
    room = RoomFactory(event=event)
    talks = [
        ("Färber’s Notes", "", [SpeakerFactory(name="Jana Färber")]),
        ("Plain Farber", "", []),
        ("Müller on Memory", "", []),
        ("Noël and the Kernel", "", []),
        ("Notes from the école", "", []),
        ("Abstracts", "Lessons of the école.", []),
        ("Øyvind’s Queue", "", []),
    ]
    for hour, (title, abstract, speakers) in enumerate(talks, start=9):
        TalkFactory(
            event=event,
            room=room,
            title=title,
            abstract=abstract,
            start=venue_time(event, 2012, 11, 7, hour, 0),
            end=venue_time(event, 2012, 11, 7, hour, 45),
            speakers=speakers,
        )

    assert found(event, query) == expected


def test_search_of_one_letter_is_a_search_like_any_other(searchconf):
    assert found(searchconf, "V") == ["Rust in the Kernel"]
    assert found(searchconf, "e") == [
        "Kernel Scheduling",
        "Rust in the Kernel",
        "Öl und Wasser",
        "Storage at Scale",
    ]


def test_search_narrows_the_other_filters(searchconf):
    other_room = RoomFactory(event=searchconf)
    TalkFactory(
        event=searchconf,
        room=other_room,
        title="Kernel Debugging",
        start=venue_time(searchconf, 2012, 11, 8, 9, 0),
        end=venue_time(searchconf, 2012, 11, 8, 10, 0),
    )
    release_pending()

    assert [t.title for t in schedule_talks(searchconf, query="kernel", room=other_room)] == [
        "Kernel Debugging"
    ]
    assert [
        t.title for t in schedule_talks(searchconf, query="kernel", day=datetime.date(2012, 11, 7))
    ] == ["Kernel Scheduling", "Rust in the Kernel", "Storage at Scale"]


def test_search_page_shows_each_matching_talk_once(client, searchconf):
    response = client.get("/searchconf/schedule/", {"q": "rossi"})

    assert titles(response) == ["Kernel Scheduling", "Rust in the Kernel"]
    assert "2 talks match." in response.content.decode()


def test_search_page_lists_every_speaker_of_a_talk_found_by_one(client, searchconf):
    content = client.get("/searchconf/schedule/", {"q": "bea"}).content.decode()

    assert titles_and_speakers(content) == [("Rust in the Kernel", "Bea Rossi, Ada Rossi")]


def titles_and_speakers(content):
    """(title, speakers) of each card, the speakers as the card lists them."""
    cards = re.split(r'(?=<h3 class="talk-title">)', content)[1:]
    result = []
    for card in cards:
        title = re.search(r'class="talk-title"><a href="[^"]+">([^<]+)</a>', card).group(1)
        speakers = re.search(r'class="talk-speakers[^"]*">([^<]*)<', card)
        result.append((title, speakers.group(1).strip() if speakers else ""))
    return result


@pytest.mark.parametrize("talk_count", [10, 300])
@pytest.mark.parametrize("query", ["Rossi", "Talk", "nothing-at-all"])
def test_search_page_queries_do_not_grow_with_the_event(
    client, db, talk_count, query, django_assert_num_queries
):
    event = EventFactory(slug="big")
    rooms = [RoomFactory(event=event) for _ in range(5)]
    speakers = [SpeakerFactory(name=f"Speaker {number} Rossi") for number in range(20)]
    for number in range(talk_count):
        TalkFactory(
            event=event,
            room=rooms[number % 5],
            start=venue_time(event, 2012, 11, 7 + number % 3, 9, 0)
            + datetime.timedelta(minutes=30 * (number // 15)),
            end=venue_time(event, 2012, 11, 7 + number % 3, 9, 30)
            + datetime.timedelta(minutes=30 * (number // 15)),
            speakers=[speakers[number % 20], speakers[(number + 1) % 20]],
        )
    # The event, its rooms, its tracks, the talks and their speakers' names;
    # with no talk found there are no names to load.
    # The event, its release, rooms, tracks, talks and (when any are found) their speakers,
    # and the call's times for the navigation.
    expected_queries = 6 if query == "nothing-at-all" else 7

    with django_assert_num_queries(expected_queries):
        response = client.get("/big/schedule/", {"q": query})

    assert len(titles(response)) == (0 if query == "nothing-at-all" else talk_count)
