"""Every text people or importers write reaches pages only escaped or sanitised.

Each payload goes into every field that a public page shows; the pages are
then parsed as a browser would, and nothing active may come out: no script
but the site's own, no event-handler attribute, no javascript: or data: link,
no element outside what the site itself writes. The exports stay well-formed
and give each text back as the text it was; an uploaded photo's file name is
never kept. tests/browser/test_hostile_input.py loads such pages in Chromium.
"""

import io
import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import icalendar
import pytest
from django.test import Client
from PIL import Image

from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    UserFactory,
    venue_time,
)

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)><circle r=1></svg>",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<b><i>unclosed <p style='x' onclick='alert(1)'>",
    "<iframe src=//evil.example></iframe>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u202egnp.exe <details open ontoggle=alert(1)>",
]
SAFE_URL_SCHEMES = ("http://", "https://", "mailto:", "/", "#", "?")
# Elements the site's own templates write; any other came from the data.
SITE_ELEMENTS = {
    "html", "head", "meta", "title", "link", "body", "a", "nav", "div", "ul", "ol", "li",
    "main", "footer", "header", "h1", "h2", "h3", "h4", "h5", "h6", "p", "span", "strong",
    "em", "b", "i", "time", "section", "article", "form", "label", "input", "select",
    "option", "button", "script", "img", "dl", "dt", "dd", "br", "code", "pre", "blockquote",
    "hr", "small", "abbr", "sub", "sup",
}  # fmt: skip


class ActiveContentFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in SITE_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append("inline or foreign script")
        if tag == "img" and not (attributes.get("src") or "").startswith(("/static/", "/media/")):
            self.problems.append(f"foreign image {attributes.get('src')!r}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} attribute on <{tag}>")
            if name == "style" and tag not in {"div", "article", "span"}:
                self.problems.append(f"style attribute on <{tag}>")
            is_link = name in {"href", "src", "action"} and value
            if is_link and not value.strip().lower().startswith(SAFE_URL_SCHEMES):
                self.problems.append(f"{name}={value!r} on <{tag}>")


def active_content(html):
    finder = ActiveContentFinder()
    finder.feed(html)
    return finder.problems


@pytest.fixture(params=PAYLOADS, ids=range(len(PAYLOADS)))
def hostile_event(request, db):
    payload = request.param
    event = EventFactory(
        slug="hostile",
        name=f"Conf {payload}",
        tagline=payload,
        description=f"About {payload}",
        location=payload,
        website="javascript:alert(1)",
    )
    room = RoomFactory(event=event, name=payload)
    track = TrackFactory(event=event, name=payload)
    speaker = SpeakerFactory(
        slug="hostile-speaker",
        name=f"Ann {payload}",
        affiliation=payload,
        bio=f"Bio {payload}",
        website="javascript:alert(1)",
    )
    # A link's label holds 50 characters (PostgreSQL refuses more; SQLite does not check).
    speaker.links.create(label=payload[:50], url="javascript:alert(1)")
    speaker.links.create(label=f"Blog {payload}"[:50], url="https://blog.example/")
    TalkFactory(
        event=event,
        slug="hostile-talk",
        title=f"Talk {payload}",
        abstract=f"Abstract {payload}",
        room=room,
        track=track,
        source_url="javascript:alert(1)",
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 10, 0),
        speakers=[speaker],
    )
    return payload


PAGES = [
    "/",
    "/hostile/",
    "/hostile/schedule/",
    "/hostile/schedule/?q=Talk",
    "/hostile/talks/hostile-talk/",
    "/hostile/speakers/",
    "/hostile/speakers/hostile-speaker/",
]


@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_renders_inert_on_every_page(client, hostile_event, path):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert active_content(html) == []
    if "<" in hostile_event:
        assert hostile_event not in html


def test_hostile_text_keeps_the_sitemap_well_formed(client, hostile_event):
    response = client.get("/sitemap.xml")

    root = ElementTree.fromstring(response.content)
    assert len(root) >= 4


def test_hostile_text_keeps_calendars_parseable(client, hostile_event):
    for path in ["/hostile/schedule.ics", "/hostile/talks/hostile-talk.ics"]:
        calendar = icalendar.Calendar.from_ical(client.get(path).content)
        (vevent,) = calendar.walk("VEVENT")
        assert str(vevent["SUMMARY"]) == f"Talk {hostile_event}"
        assert "javascript:" not in str(vevent["URL"])


def test_hostile_text_keeps_the_schedule_xml_well_formed_and_round_trips(client, hostile_event):
    response = client.get("/hostile/schedule.xml")

    root = ElementTree.fromstring(response.content)
    (talk,) = root.iter("event")
    assert root.findtext("conference/title") == f"Conf {hostile_event}"
    assert [track.get("name") for track in root.findall("conference/track")] == [hostile_event]
    assert {room.get("name") for room in root.findall("day/room")} == {hostile_event}
    assert {tag: talk.findtext(tag) for tag in ["title", "room", "track", "persons/person"]} == {
        "title": f"Talk {hostile_event}",
        "room": hostile_event,
        "track": hostile_event,
        "persons/person": f"Ann {hostile_event}",
    }
    assert [link.get("href") for link in talk.iter("link")] == [
        "http://testserver/hostile/talks/hostile-talk/"
    ]
    assert talk.findtext("url") == "http://testserver/hostile/talks/hostile-talk/"


def test_hostile_text_keeps_the_schedule_json_valid_and_round_trips(client, hostile_event):
    response = client.get("/hostile/schedule.json")

    conference = json.loads(response.content)["schedule"]["conference"]
    ((talk,),) = [talks for day in conference["days"] for talks in day["rooms"].values() if talks]
    assert conference["title"] == f"Conf {hostile_event}"
    assert [track["name"] for track in conference["tracks"]] == [hostile_event]
    assert [room["name"] for room in conference["rooms"]] == [hostile_event]
    assert {name for day in conference["days"] for name in day["rooms"]} == {hostile_event}
    assert (talk["title"], talk["room"], talk["track"], talk["persons"][0]["name"]) == (
        f"Talk {hostile_event}",
        hostile_event,
        hostile_event,
        f"Ann {hostile_event}",
    )
    assert [link["url"] for link in talk["links"]] == [
        "http://testserver/hostile/talks/hostile-talk/"
    ]


HOSTILE_FILE_NAMES = [
    '"><img src=x onerror=alert(1)>.jpg',
    "<svg onload=alert(1)>.png",
    "javascript:alert(1).jpg",
    "..%2F..%2Fconference%2Fsettings.py",
    "\u202egpj.exe",
    "a'b\"c<d>&amp;.jpeg",
]


@pytest.mark.parametrize("file_name", HOSTILE_FILE_NAMES)
def test_hostile_photo_file_name_never_reaches_a_page(client, organiser, file_name):
    event = EventFactory(slug="hostile")
    speaker = SpeakerFactory(slug="ann", name="Ann", user=UserFactory(username="ann"))
    TalkFactory(event=event, slug="hostile-talk", speakers=[speaker])
    photo = io.BytesIO()
    Image.new("RGB", (400, 400), (30, 120, 200)).save(photo, "JPEG")
    photo.seek(0)
    photo.name = file_name
    client.force_login(speaker.user)

    client.post(
        "/accounts/profile/",
        {
            "name": "Ann",
            "affiliation": "",
            "bio": "",
            "website": "",
            "photo_upload": photo,
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "6",
        },
    )

    speaker.refresh_from_db()
    stored = re.compile(r"speakers/photos/[0-9a-f]{32}(-thumb)?\.jpg")
    assert stored.fullmatch(speaker.photo.name)
    assert stored.fullmatch(speaker.photo_thumbnail.name)
    organiser_client = Client()
    organiser_client.force_login(organiser)
    base_name = file_name.rsplit(".", 1)[0]
    for path in ["/hostile/speakers/ann/", "/hostile/speakers/", "/hostile/talks/hostile-talk/"]:
        html = client.get(path).content.decode()
        assert active_content(html) == [], path
        assert base_name not in html, path
    # Pages for the speaker and the organisers, which have forms of their own.
    for page_client, path in [
        (client, "/accounts/profile/"),
        (organiser_client, f"/admin/speakers/speaker/{speaker.pk}/change/"),
        (organiser_client, f"/admin/speakers/speaker/{speaker.pk}/history/"),
    ]:
        assert base_name not in page_client.get(path).content.decode(), path
