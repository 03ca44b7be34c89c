"""The embeddable schedule: a compact page that only the sites an event names may frame."""

import html
import re

import pytest

from conference.models import Event
from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TalkFactory, venue_time


def policy_of(response):
    """The response's Content-Security-Policy as {directive: [sources]}."""
    parts = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: sources for name, *sources in parts if name}


@pytest.fixture
def conf(db):
    """KVM Forum in Barcelona: two talks on its first day, one on its second, two rooms."""
    event = EventFactory(slug="kvm", name="KVM Forum", time_zone="Europe/Madrid")
    hall = RoomFactory(event=event, name="Hall", position=0)
    lab = RoomFactory(event=event, name="Lab", position=1)
    avi = SpeakerFactory(name="Avi Kivity")
    for slug, title, room, day, hour, speakers in [
        ("keynote", "Keynote", hall, 7, 9, [avi]),
        ("storage", "Storage & Co", lab, 7, 9, []),
        ("closing", "Closing", hall, 8, 17, []),
    ]:
        TalkFactory(
            event=event,
            slug=slug,
            title=title,
            room=room,
            start=venue_time(event, 2012, 11, day, hour, 0),
            end=venue_time(event, 2012, 11, day, hour, 45),
            speakers=speakers,
        )
    return event


def allow(event, origins):
    event.embed_origins = origins
    event.full_clean()
    event.save()


def test_embed_page_may_be_framed_by_the_events_origins_only(client, conf):
    allow(conf, "https://www.example.org\nhttp://localhost:8080")

    response = client.get("/kvm/schedule/embed/")

    policy = policy_of(response)
    assert policy["frame-ancestors"] == ["https://www.example.org", "http://localhost:8080"]
    assert policy["script-src"] == ["'self'"]  # the rest of the site's policy stays
    assert "X-Frame-Options" not in response


def test_embed_page_without_origins_cannot_be_framed(client, conf):
    response = client.get("/kvm/schedule/embed/")

    assert policy_of(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_embed_page_served_from_the_cache_keeps_its_origins(client, conf):
    allow(conf, "https://www.example.org")
    first = client.get("/kvm/schedule/embed/")

    again = client.get("/kvm/schedule/embed/")
    unchanged = client.get("/kvm/schedule/embed/", headers={"if-none-match": first["ETag"]})

    assert (again.status_code, unchanged.status_code) == (200, 304)
    for response in (again, unchanged):
        assert policy_of(response)["frame-ancestors"] == ["https://www.example.org"]
        assert "X-Frame-Options" not in response


def test_a_change_of_the_origins_reaches_the_cached_embed_page(client, conf):
    allow(conf, "https://www.example.org")
    client.get("/kvm/schedule/embed/")

    allow(conf, "https://blog.example.org")
    response = client.get("/kvm/schedule/embed/")
    allow(conf, "")
    closed = client.get("/kvm/schedule/embed/")

    assert policy_of(response)["frame-ancestors"] == ["https://blog.example.org"]
    assert policy_of(closed)["frame-ancestors"] == ["'none'"]
    assert closed["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "path",
    ["/kvm/", "/kvm/now/", "/kvm/schedule/", "/kvm/talks/keynote/", "/kvm/speakers/", "/"],
)
def test_every_other_page_still_refuses_framing_when_the_event_allows_embedding(client, conf, path):
    allow(conf, "https://www.example.org")

    for response in (client.get(path), client.get(path)):  # rendered, then from the cache
        assert response.status_code == 200
        assert policy_of(response)["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"


def entries(content):
    """Each talk line of the embed page as text: "09:00–09:45 Keynote · Avi Kivity · Hall"."""
    lines = re.findall(r'<li class="embed-talk[^"]*">(.*?)</li>', content, re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", "", line).split())) for line in lines]


def test_embed_page_lists_each_day_with_times_at_the_venue_and_the_zone_named(client, conf):
    content = client.get("/kvm/schedule/embed/").content.decode()

    assert re.findall(r"<h2[^>]*>([^<]*)</h2>", content) == [
        "Wednesday 7 November 2012",
        "Thursday 8 November 2012",
    ]
    assert entries(content) == [
        "09:00–09:45 Keynote · Avi Kivity · Hall",
        "09:00–09:45 Storage & Co · Lab",
        "17:00–17:45 Closing · Hall",
    ]
    assert "times are in <strong>Europe/Madrid</strong> (CET)" in content
    assert '<time datetime="2012-11-07T09:00:00+01:00">09:00</time>' in content


def test_embed_page_opens_the_talks_in_a_new_tab_without_the_sites_navigation(client, conf):
    content = client.get("/kvm/schedule/embed/").content.decode()

    links = re.findall(r"<a ([^>]*)>", content)
    assert 'href="/kvm/talks/keynote/" target="_blank" rel="noopener"' in links
    assert all('target="_blank" rel="noopener"' in link for link in links)
    assert "<nav" not in content
    assert "All events" not in content
    assert "<script" not in content


@pytest.mark.parametrize("talk_count", [3, 30])
def test_embed_page_queries_do_not_grow_with_the_talks(
    client, db, talk_count, django_assert_max_num_queries
):
    event = EventFactory(slug="big")
    rooms = RoomFactory.create_batch(3, event=event)
    for n in range(talk_count):
        start = venue_time(event, 2012, 11, 7 + n % 3, 9 + n // 9, 0)
        TalkFactory(
            event=event,
            room=rooms[n % 3],
            start=start,
            end=venue_time(event, 2012, 11, 7 + n % 3, 9 + n // 9, 45),
            speakers=[SpeakerFactory()],
        )
    client.get("/")  # releases the talks (tests/auto_release.py) before counting

    with django_assert_max_num_queries(6):
        response = client.get("/big/schedule/embed/")

    assert len(entries(response.content.decode())) == talk_count


# The event's admin: the origins and the snippet ---------------------------------------------


def event_form(event, **changes):
    """What the event's change form posts, as drawn for ``event``."""
    return {
        "name": event.name,
        "slug": event.slug,
        "tagline": event.tagline,
        "is_published": "on",
        "start_date": event.start_date,
        "end_date": event.end_date,
        "time_zone": event.time_zone,
        "location": event.location,
        "description": event.description,
        "website": event.website,
        "embed_origins": event.embed_origins,
        "rooms-TOTAL_FORMS": "0",
        "rooms-INITIAL_FORMS": "0",
        "tracks-TOTAL_FORMS": "0",
        "tracks-INITIAL_FORMS": "0",
        **changes,
    }


def test_organiser_saves_origins_written_loosely_as_one_origin_per_line(organiser_client, db):
    event = EventFactory()

    response = organiser_client.post(
        f"/admin/conference/event/{event.pk}/change/",
        event_form(event, embed_origins=" HTTPS://WWW.Example.org/ \n\nhttp://localhost:8080\n"),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.embed_origins == "https://www.example.org\nhttp://localhost:8080"


@pytest.mark.parametrize(
    "origin",
    [
        "www.example.org",
        "ftp://example.org",
        "https://example.org/schedule",
        "https://*.example.org",
        "https://example.org; script-src *",
        "'self'",
        "https://example.org:99999",
    ],
)
def test_event_form_refuses_what_is_not_an_origin_naming_it(organiser_client, db, origin):
    event = EventFactory()

    response = organiser_client.post(
        f"/admin/conference/event/{event.pk}/change/",
        event_form(event, embed_origins=f"https://ok.example.org\n{origin}"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["embed_origins"] == [
        f"Not an origin: “{origin.lower()}”. Write one origin per line as https://host or "
        "https://host:port (e.g. https://www.example.org), without a path, a wildcard or quotes."
    ]
    assert Event.objects.get(pk=event.pk).embed_origins == ""


def snippet_of(content):
    found = re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', content, re.S)
    return html.unescape(found.group(1))


def test_event_change_page_shows_the_snippet_to_paste(organiser_client, db):
    event = EventFactory(slug="kvm", name="KVM Forum & oVirt", embed_origins="https://a.example")

    content = organiser_client.get(f"/admin/conference/event/{event.pk}/change/").content.decode()

    assert snippet_of(content) == (
        '<iframe src="http://testserver/kvm/schedule/embed/" title="Schedule of KVM Forum '
        '&amp; oVirt" width="100%" height="600" loading="lazy" style="border: 0"></iframe>'
    )
    assert "none is listed yet" not in content


def test_snippet_says_no_site_can_show_it_before_origins_are_listed(organiser_client, db):
    event = EventFactory(slug="kvm")

    content = organiser_client.get(f"/admin/conference/event/{event.pk}/change/").content.decode()

    assert 'src="http://testserver/kvm/schedule/embed/"' in snippet_of(content)
    assert "none is listed yet, so for now no site can" in content
