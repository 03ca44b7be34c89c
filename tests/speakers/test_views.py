import datetime
from html.parser import HTMLParser

import pytest
from django.test import override_settings

from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TalkFactory, venue_time


class _TextsOf(HTMLParser):
    """The text of every element with this tag (and these attributes), spaces collapsed."""

    def __init__(self, tag, attrs):
        super().__init__()
        self.tag, self.attrs = tag, attrs
        self.depth = 0
        self.texts = []

    def handle_starttag(self, tag, attrs):
        if tag != self.tag:
            return
        if self.depth:
            self.depth += 1
        elif self.attrs.items() <= dict(attrs).items():
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag == self.tag and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data


def texts_of(content, tag, **attrs):
    parser = _TextsOf(tag, attrs)
    parser.feed(content)
    parser.close()
    return [" ".join(text.split()) for text in parser.texts]


# The speaker list


def test_speaker_list_is_alphabetical_ignoring_case_and_accents(client, db):
    event = EventFactory(slug="kvm-2012")
    for name in ["Zoe Zed", "avi kivity", "Élodie Martin", "Bob Bloggs"]:
        TalkFactory(event=event, speakers=[SpeakerFactory(name=name)])

    response = client.get("/kvm-2012/speakers/")

    assert response.status_code == 200
    assert texts_of(response.content.decode(), "h2") == [
        "avi kivity",
        "Bob Bloggs",
        "Élodie Martin",
        "Zoe Zed",
    ]


def test_speaker_list_shows_only_speakers_with_a_visible_talk_at_the_event(client, db):
    event = EventFactory(slug="kvm-2012")
    TalkFactory(event=event, speakers=[SpeakerFactory(name="Avi Kivity")])
    TalkFactory(event=event, is_cancelled=True, speakers=[SpeakerFactory(name="Cancelled Carl")])
    TalkFactory(event=event, is_published=False, speakers=[SpeakerFactory(name="Draft Dora")])
    TalkFactory(event=EventFactory(), speakers=[SpeakerFactory(name="Elsewhere Eve")])
    SpeakerFactory(name="Idle Ian")

    response = client.get("/kvm-2012/speakers/")

    assert texts_of(response.content.decode(), "h2") == ["Avi Kivity"]


def test_speaker_list_cards_show_affiliation_and_titles_of_talks_at_this_event(client, db):
    event = EventFactory(slug="kvm-2012")
    avi = SpeakerFactory(name="Avi Kivity", slug="avi-kivity", affiliation="Red Hat")
    alex = SpeakerFactory(name="Alex Williamson", slug="alex-williamson", affiliation="")
    TalkFactory(
        event=event,
        title="VFIO",
        slug="vfio",
        start=venue_time(event, 2012, 11, 8, 10, 0),
        speakers=[alex, avi],
    )
    TalkFactory(
        event=event,
        title="Keynote",
        slug="keynote",
        start=venue_time(event, 2012, 11, 7, 9, 0),
        speakers=[avi],
    )
    TalkFactory(event=event, title="Withdrawn", is_cancelled=True, speakers=[avi])
    TalkFactory(event=EventFactory(), title="Last year's keynote", speakers=[avi])

    content = client.get("/kvm-2012/speakers/").content.decode()

    assert texts_of(content, "article") == [
        "Alex Williamson VFIO",
        "Avi Kivity Red Hat Keynote VFIO",
    ]
    assert '<a href="/kvm-2012/speakers/avi-kivity/">Avi Kivity</a>' in content
    assert '<a href="/kvm-2012/talks/keynote/">Keynote</a>' in content


def test_speaker_list_shows_the_photo_or_the_placeholder(client, db):
    event = EventFactory(slug="kvm-2012")
    TalkFactory(
        event=event,
        speakers=[
            SpeakerFactory(name="Avi Kivity", photo="speakers/photos/avi.jpg"),
            SpeakerFactory(name="Kevin Wolf", photo=""),
        ],
    )

    content = client.get("/kvm-2012/speakers/").content.decode()

    assert (
        '<img src="/media/speakers/photos/avi.jpg" alt="Avi Kivity" width="96" height="96" '
        'loading="lazy" class="rounded flex-shrink-0 object-fit-cover bg-body-secondary">'
    ) in content
    assert (
        '<img src="/static/img/speaker-placeholder.svg" alt="Kevin Wolf" width="96" height="96" '
        'loading="lazy" class="rounded flex-shrink-0 object-fit-cover bg-body-secondary">'
    ) in content


def test_speaker_list_names_the_event_and_highlights_the_nav(client, db):
    event = EventFactory(slug="kvm-2012", name="KVM Forum 2012")
    TalkFactory(event=event, speakers=[SpeakerFactory()])

    content = client.get("/kvm-2012/speakers/").content.decode()

    assert "<title>Speakers at KVM Forum 2012 · Conference</title>" in content
    assert (
        '<a class="nav-link active" aria-current="page" href="/kvm-2012/speakers/">Speakers</a>'
        in content
    )


def test_speaker_list_says_so_when_there_are_no_speakers(client, db):
    EventFactory(slug="kvm-2012")

    content = client.get("/kvm-2012/speakers/").content.decode()

    assert texts_of(content, "h2") == []
    assert "No speakers have been announced yet." in content


def test_speaker_list_of_an_unpublished_event_is_not_found(client, db):
    event = EventFactory(slug="secret", is_published=False)
    TalkFactory(event=event, speakers=[SpeakerFactory(name="Avi Kivity")])

    response = client.get("/secret/speakers/")

    assert response.status_code == 404
    assert "Avi Kivity" not in response.content.decode()


def test_speaker_list_escapes_names(client, db):
    event = EventFactory(slug="kvm-2012")
    TalkFactory(event=event, speakers=[SpeakerFactory(name="<script>alert(1)</script>")])

    content = client.get("/kvm-2012/speakers/").content.decode()

    assert "<script>alert(1)</script>" not in content
    assert texts_of(content, "h2") == ["<script>alert(1)</script>"]
    assert 'alt="&lt;script&gt;alert(1)&lt;/script&gt;"' in content


@pytest.mark.parametrize("size", [10, 300])
def test_speaker_list_query_count_does_not_grow_with_speakers(
    client, db, django_assert_num_queries, size
):
    event = EventFactory(slug="kvm-2012")
    room = RoomFactory(event=event)
    for _ in range(size):
        TalkFactory(event=event, room=room, speakers=[SpeakerFactory()])

    # The event, its speakers, their talks at the event, the call's times (navigation).
    with django_assert_num_queries(4):
        response = client.get("/kvm-2012/speakers/")

    assert len(texts_of(response.content.decode(), "h2")) == size


# A speaker's page


def test_speaker_page_shows_the_profile_and_the_talks_at_the_event(client, db):
    event = EventFactory(slug="kvm-2012", name="KVM Forum 2012", time_zone="Europe/Madrid")
    avi = SpeakerFactory(
        name="Avi Kivity",
        slug="avi-kivity",
        affiliation="Red Hat",
        bio="Hacks on *KVM*.",
        website="https://avi.example/",
    )
    TalkFactory(
        event=event,
        title="Keynote",
        slug="keynote",
        room=RoomFactory(event=event, name="Auditorium"),
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 9, 15),
        speakers=[avi],
    )
    TalkFactory(
        event=event,
        title="Hallway track",
        slug="hallway",
        room=None,
        start=None,
        end=None,
        speakers=[avi],
    )

    response = client.get("/kvm-2012/speakers/avi-kivity/")

    content = response.content.decode()
    assert response.status_code == 200
    assert texts_of(content, "h1") == ["Avi Kivity"]
    assert texts_of(content, "p", **{"class": "lead mb-1"}) == ["Red Hat"]
    assert '<a href="https://avi.example/" rel="nofollow noopener">Website</a>' in content
    assert '<div class="speaker-bio"><p>Hacks on <em>KVM</em>.</p></div>' in content
    assert texts_of(content, "section", **{"aria-labelledby": "talks"}) == [
        "Talks at KVM Forum 2012 "
        "Add Avi Kivity’s talks to your calendar (.ics) "
        "Keynote Wed 7 Nov, 09:00–09:15 CET · Auditorium "
        "Hallway track Time to be announced"
    ]
    assert '<a href="/kvm-2012/talks/keynote/">Keynote</a>' in content
    assert (
        '<img src="/static/img/speaker-placeholder.svg" alt="Avi Kivity" width="160" '
        'height="160" class="rounded flex-shrink-0 object-fit-cover bg-body-secondary">'
    ) in content
    assert texts_of(content, "section", **{"aria-labelledby": "elsewhere"}) == []


def test_speaker_page_shows_the_photo_when_there_is_one(client, db):
    event = EventFactory(slug="kvm-2012")
    TalkFactory(
        event=event,
        speakers=[SpeakerFactory(slug="avi", name="Avi", photo="speakers/photos/avi.jpg")],
    )

    content = client.get("/kvm-2012/speakers/avi/").content.decode()

    assert (
        '<img src="/media/speakers/photos/avi.jpg" alt="Avi" width="160" height="160" '
        'class="rounded flex-shrink-0 object-fit-cover bg-body-secondary">'
    ) in content


@override_settings(TIME_ZONE="Asia/Tokyo")
def test_speaker_page_shows_times_in_the_event_zone_not_the_server_zone(client, db):
    event = EventFactory(slug="kvm-2012", time_zone="Europe/Madrid")
    speaker = SpeakerFactory(slug="avi")
    TalkFactory(
        event=event,
        title="Late night hacking",
        start=venue_time(event, 2012, 11, 7, 23, 30),
        end=venue_time(event, 2012, 11, 8, 0, 30),
        speakers=[speaker],
    )
    summer = EventFactory(slug="summer", time_zone="America/New_York")
    TalkFactory(
        event=summer,
        title="Summer talk",
        start=venue_time(summer, 2013, 7, 1, 14, 0),
        end=venue_time(summer, 2013, 7, 1, 14, 45),
        speakers=[speaker],
    )

    madrid = client.get("/kvm-2012/speakers/avi/").content.decode()
    new_york = client.get("/summer/speakers/avi/").content.decode()

    assert texts_of(madrid, "p", **{"class": "text-body-secondary mb-0"}) == [
        "Wed 7 Nov, 23:30–Thu 8 Nov, 00:30 CET"
    ]
    assert '<time datetime="2012-11-07T23:30:00+01:00">' in madrid
    assert texts_of(new_york, "p", **{"class": "text-body-secondary mb-0"}) == [
        "Mon 1 Jul, 14:00–14:45 EDT"
    ]


@pytest.mark.parametrize(
    ("zone", "start", "end", "expected"),
    [
        # Santiago's clocks skip 00:00-01:00: the talk lasts an hour.
        (
            "America/Santiago",
            (2024, 9, 8, 3, 30),
            (2024, 9, 8, 4, 30),
            "Sat 7 Sep, 23:30 -04 – Sun 8 Sep, 01:30 -03",
        ),
        # Havana's clocks go back from 01:00 to 00:00: the talk lasts two hours.
        (
            "America/Havana",
            (2024, 11, 3, 3, 30),
            (2024, 11, 3, 5, 30),
            "Sat 2 Nov, 23:30 CDT – Sun 3 Nov, 00:30 CST",
        ),
    ],
)
def test_speaker_page_names_the_zone_at_each_end_of_a_talk_when_clocks_change(
    client, db, zone, start, end, expected
):
    event = EventFactory(slug="clocks", time_zone=zone)
    TalkFactory(
        event=event,
        start=datetime.datetime(*start, tzinfo=datetime.UTC),
        end=datetime.datetime(*end, tzinfo=datetime.UTC),
        speakers=[SpeakerFactory(slug="avi")],
    )

    content = client.get("/clocks/speakers/avi/").content.decode()

    assert texts_of(content, "p", **{"class": "text-body-secondary mb-0"}) == [expected]


@pytest.mark.parametrize(
    ("is_published", "is_cancelled", "at_this_event"),
    [
        pytest.param(True, True, True, id="only-talk-cancelled"),
        pytest.param(False, False, True, id="only-talk-unpublished"),
        pytest.param(True, False, False, id="only-talk-at-another-event"),
    ],
)
def test_speaker_page_is_not_found_without_a_visible_talk_at_the_event(
    client, db, is_published, is_cancelled, at_this_event
):
    event = EventFactory(slug="kvm-2012")
    TalkFactory(
        event=event if at_this_event else EventFactory(),
        is_published=is_published,
        is_cancelled=is_cancelled,
        speakers=[SpeakerFactory(name="Avi Kivity", slug="avi")],
    )

    response = client.get("/kvm-2012/speakers/avi/")

    assert response.status_code == 404
    assert "Avi Kivity" not in response.content.decode()


def test_speaker_page_of_someone_without_talks_or_unknown_is_not_found(client, db):
    EventFactory(slug="kvm-2012")
    SpeakerFactory(slug="idle")

    assert client.get("/kvm-2012/speakers/idle/").status_code == 404
    assert client.get("/kvm-2012/speakers/nobody/").status_code == 404


def test_speaker_page_of_an_unpublished_event_is_not_found(client, db):
    event = EventFactory(slug="secret", is_published=False)
    TalkFactory(event=event, speakers=[SpeakerFactory(name="Avi Kivity", slug="avi")])

    response = client.get("/secret/speakers/avi/")

    assert response.status_code == 404
    assert "Avi Kivity" not in response.content.decode()


def test_speaker_page_sanitises_the_bio(client, db):
    event = EventFactory(slug="kvm-2012")
    bio = "Hello <script>alert(1)</script> and [a trap](javascript:alert(2))."
    TalkFactory(event=event, speakers=[SpeakerFactory(slug="avi", bio=bio)])

    content = client.get("/kvm-2012/speakers/avi/").content.decode()

    assert (
        '<div class="speaker-bio"><p>Hello  and '
        '<a rel="nofollow noopener noreferrer">a trap</a>.</p></div>'
    ) in content
    assert "<script>" not in content
    assert "javascript:" not in content


def test_speaker_page_with_a_bio_of_10000_brackets_shows_it(client, db):
    event = EventFactory(slug="kvm-2012")
    bio = "Hacks on KVM.\n\n" + "[" * 10_000
    TalkFactory(event=event, speakers=[SpeakerFactory(slug="avi", name="Avi Kivity", bio=bio)])

    content = client.get("/kvm-2012/speakers/avi/").content.decode()

    assert texts_of(content, "h1") == ["Avi Kivity"]
    assert texts_of(content, "div", **{"class": "speaker-bio"}) == ["Hacks on KVM. " + "[" * 10_000]


@pytest.mark.parametrize(
    "nested",
    ["- " * 400 + "deep", ">" * 10_000 + " deep", "<ul>" * 10_000],
    ids=["list 400 deep", "quote 10,000 deep", "raw HTML 10,000 deep"],
)
def test_speaker_page_with_a_deeply_nested_bio_shows_its_text(client, db, nested):
    event = EventFactory(slug="kvm-2012")
    bio = "Hacks on KVM.\n\n" + nested
    TalkFactory(event=event, speakers=[SpeakerFactory(slug="avi", name="Avi Kivity", bio=bio)])

    content = client.get("/kvm-2012/speakers/avi/").content.decode()

    assert texts_of(content, "h1") == ["Avi Kivity"]
    (shown,) = texts_of(content, "div", **{"class": "speaker-bio"})
    assert shown.startswith("Hacks on KVM.")


def test_speaker_page_escapes_the_name(client, db):
    event = EventFactory(slug="kvm-2012")
    TalkFactory(event=event, speakers=[SpeakerFactory(slug="x", name="<script>alert(1)</script>")])

    content = client.get("/kvm-2012/speakers/x/").content.decode()

    assert "<script>" not in content
    assert texts_of(content, "h1") == ["<script>alert(1)</script>"]
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · Conference</title>" in content


def test_speaker_page_links_only_web_addresses(client, db):
    event = EventFactory(slug="kvm-2012")
    TalkFactory(event=event, speakers=[SpeakerFactory(slug="x", website="javascript:alert(1)")])

    content = client.get("/kvm-2012/speakers/x/").content.decode()

    assert "javascript:" not in content
    assert ">Website</a>" not in content


def test_speaker_page_notes_talks_at_other_published_events(client, db):
    event = EventFactory(slug="kvm-2012", start_date=datetime.date(2012, 11, 7))
    avi = SpeakerFactory(slug="avi")
    TalkFactory(event=event, title="Keynote", speakers=[avi])
    older = EventFactory(
        slug="kvm-2011",
        name="KVM Forum 2011",
        start_date=datetime.date(2011, 8, 15),
        end_date=datetime.date(2011, 8, 16),
    )
    newer = EventFactory(
        slug="kvm-2013",
        name="KVM Forum 2013",
        start_date=datetime.date(2013, 10, 21),
        end_date=datetime.date(2013, 10, 23),
    )
    TalkFactory(event=older, title="KVM in 2011", slug="kvm-2011-talk", speakers=[avi])
    TalkFactory(event=newer, title="KVM in 2013", slug="kvm-2013-talk", speakers=[avi])
    TalkFactory(event=newer, title="Withdrawn", is_cancelled=True, speakers=[avi])
    TalkFactory(event=newer, title="Draft", is_published=False, speakers=[avi])
    TalkFactory(event=EventFactory(is_published=False), title="Secret plans", speakers=[avi])

    content = client.get("/kvm-2012/speakers/avi/").content.decode()

    assert texts_of(content, "section", **{"aria-labelledby": "elsewhere"}) == [
        "At other events KVM in 2013 at KVM Forum 2013 KVM in 2011 at KVM Forum 2011"
    ]
    assert '<a href="/kvm-2013/talks/kvm-2013-talk/">KVM in 2013</a>' in content
    assert "Secret plans" not in content


def test_speaker_page_meta_tags_describe_the_profile(client, db):
    event = EventFactory(slug="kvm-2012")
    bio = "**Avi** " + "wrote KVM. " * 30
    TalkFactory(event=event, speakers=[SpeakerFactory(slug="avi", name="Avi Kivity", bio=bio)])

    content = client.get("/kvm-2012/speakers/avi/").content.decode()

    description = ("Avi " + "wrote KVM. " * 30)[:199] + "…"
    assert "<title>Avi Kivity · Conference</title>" in content
    assert f'<meta name="description" content="{description}">' in content
    assert '<meta property="og:type" content="profile">' in content
    assert '<meta property="og:title" content="Avi Kivity">' in content


def test_speaker_page_without_bio_is_described_by_the_event(client, db):
    event = EventFactory(slug="kvm-2012", name="KVM Forum 2012")
    TalkFactory(event=event, speakers=[SpeakerFactory(slug="avi", bio="")])

    content = client.get("/kvm-2012/speakers/avi/").content.decode()

    assert '<meta name="description" content="Speaker at KVM Forum 2012">' in content
    assert texts_of(content, "section", **{"aria-labelledby": "about"}) == []


@pytest.mark.parametrize("size", [10, 300])
def test_speaker_page_query_count_does_not_grow_with_talks(
    client, db, django_assert_num_queries, size
):
    event = EventFactory(slug="kvm-2012")
    elsewhere = EventFactory()
    room = RoomFactory(event=event)
    avi = SpeakerFactory(slug="avi")
    for number in range(size):
        TalkFactory(
            event=event if number % 2 else elsewhere,
            room=room if number % 2 else None,
            speakers=[avi],
        )

    # The event, the speaker, their talks here (with rooms), elsewhere (with events), their
    # links, the call's times (navigation).
    with django_assert_num_queries(6):
        response = client.get("/kvm-2012/speakers/avi/")

    assert len(texts_of(response.content.decode(), "h3")) == size // 2
