import datetime
import xml.etree.ElementTree as ET

import pytest

from conference.models import Event
from schedule.models import Talk
from speakers.models import Speaker
from tests.factories import EventFactory, SpeakerFactory, TalkFactory

NAMESPACE = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_entries(response):
    """(address, lastmod) of every <url> in the sitemap, in document order."""
    root = ET.fromstring(response.content)
    return [
        (
            url.findtext("sm:loc", namespaces=NAMESPACE),
            url.findtext("sm:lastmod", namespaces=NAMESPACE),
        )
        for url in root.findall("sm:url", NAMESPACE)
    ]


def stamp(model, obj, day):
    """Sets the ``updated`` stamp that auto_now would otherwise overwrite on save."""
    moment = datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=datetime.UTC)
    model.objects.filter(pk=obj.pk).update(updated=moment)


def test_sitemap_lists_exactly_the_public_pages_with_their_last_changes(client, db):
    kvm_2013 = EventFactory(
        slug="kvm-2013",
        start_date=datetime.date(2013, 10, 21),
        end_date=datetime.date(2013, 10, 23),
    )
    kvm_2012 = EventFactory(
        slug="kvm-2012", start_date=datetime.date(2012, 11, 7), end_date=datetime.date(2012, 11, 9)
    )
    secret = EventFactory(slug="secret", is_published=False)
    avi = SpeakerFactory(slug="avi")
    paolo = SpeakerFactory(slug="paolo")
    ghost = SpeakerFactory(slug="ghost")
    drafter = SpeakerFactory(slug="drafter")
    mystery = SpeakerFactory(slug="mystery")
    keynote = TalkFactory(event=kvm_2013, slug="keynote", speakers=[avi, paolo])
    qemu = TalkFactory(event=kvm_2013, slug="qemu", speakers=[avi])
    dropped = TalkFactory(event=kvm_2013, slug="dropped", is_cancelled=True, speakers=[ghost])
    draft = TalkFactory(event=kvm_2013, slug="draft", is_published=False, speakers=[drafter])
    virtio = TalkFactory(event=kvm_2012, slug="virtio", speakers=[avi])
    plans = TalkFactory(event=secret, slug="plans", speakers=[mystery])
    for model, obj, day in [
        (Event, kvm_2013, datetime.date(2013, 1, 1)),
        (Event, kvm_2012, datetime.date(2012, 6, 1)),
        (Event, secret, datetime.date(2014, 1, 1)),
        (Talk, keynote, datetime.date(2013, 9, 1)),
        (Talk, qemu, datetime.date(2013, 9, 2)),
        (Talk, dropped, datetime.date(2013, 9, 15)),
        (Talk, draft, datetime.date(2013, 8, 1)),
        (Talk, virtio, datetime.date(2012, 10, 1)),
        (Talk, plans, datetime.date(2014, 1, 1)),
        (Speaker, avi, datetime.date(2013, 9, 20)),
        (Speaker, paolo, datetime.date(2013, 3, 1)),
        (Speaker, ghost, datetime.date(2013, 1, 2)),
        (Speaker, drafter, datetime.date(2013, 1, 3)),
        (Speaker, mystery, datetime.date(2014, 1, 1)),
    ]:
        stamp(model, obj, day)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert sitemap_entries(response) == [
        ("http://testserver/kvm-2013/", "2013-01-01"),
        # A cancellation changes the schedule.
        ("http://testserver/kvm-2013/schedule/", "2013-09-15"),
        ("http://testserver/kvm-2013/speakers/", "2013-09-20"),
        ("http://testserver/kvm-2012/", "2012-06-01"),
        ("http://testserver/kvm-2012/schedule/", "2012-10-01"),
        ("http://testserver/kvm-2012/speakers/", "2013-09-20"),
        ("http://testserver/kvm-2013/talks/keynote/", "2013-09-01"),
        ("http://testserver/kvm-2013/talks/qemu/", "2013-09-02"),
        ("http://testserver/kvm-2012/talks/virtio/", "2012-10-01"),
        ("http://testserver/kvm-2013/speakers/avi/", "2013-09-20"),
        ("http://testserver/kvm-2013/speakers/paolo/", "2013-03-01"),
        ("http://testserver/kvm-2012/speakers/avi/", "2013-09-20"),
    ]


def test_sitemap_of_a_site_without_published_events_is_empty(client, db):
    TalkFactory(event=EventFactory(is_published=False), speakers=[SpeakerFactory()])

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert sitemap_entries(response) == []


def test_sitemap_lists_an_event_without_talks_with_its_own_stamp(client, db):
    event = EventFactory(slug="kvm-2012")
    stamp(Event, event, datetime.date(2012, 6, 1))

    response = client.get("/sitemap.xml")

    assert sitemap_entries(response) == [
        ("http://testserver/kvm-2012/", "2012-06-01"),
        ("http://testserver/kvm-2012/schedule/", "2012-06-01"),
        ("http://testserver/kvm-2012/speakers/", "2012-06-01"),
    ]


@pytest.mark.parametrize("size", [10, 300])
def test_sitemap_query_count_does_not_grow_with_talks(client, db, django_assert_num_queries, size):
    events = [EventFactory(), EventFactory()]
    for number in range(size):
        TalkFactory(event=events[number % 2], speakers=[SpeakerFactory()])

    # Events; talks counted, then listed; speakers per event counted, then listed.
    with django_assert_num_queries(5):
        response = client.get("/sitemap.xml")

    assert len(sitemap_entries(response)) == 2 * 3 + size + size
