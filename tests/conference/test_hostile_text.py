"""Every text people or importers write reaches pages only escaped or sanitised.

Each payload goes into every field that a public page shows; the pages are
then parsed as a browser would, and nothing active may come out: no script
but the site's own, no event-handler attribute, no javascript: or data: link,
no element outside what the site itself writes.
"""

from html.parser import HTMLParser

import icalendar
import pytest

from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
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
    speaker.links.create(label=payload, url="javascript:alert(1)")
    speaker.links.create(label=f"Blog {payload}", url="https://blog.example/")
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
    from xml.etree import ElementTree

    response = client.get("/sitemap.xml")

    root = ElementTree.fromstring(response.content)
    assert len(root) >= 4


def test_hostile_text_keeps_calendars_parseable(client, hostile_event):
    for path in ["/hostile/schedule.ics", "/hostile/talks/hostile-talk.ics"]:
        calendar = icalendar.Calendar.from_ical(client.get(path).content)
        (vevent,) = calendar.walk("VEVENT")
        assert str(vevent["SUMMARY"]) == f"Talk {hostile_event}"
        assert "javascript:" not in str(vevent["URL"])
