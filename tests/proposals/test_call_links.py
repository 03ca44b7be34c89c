"""The call's links on the shared pages: in the navigation while open, on the event page always."""

import datetime

import time_machine
from django.utils import timezone

NAV_LINK = '<a class="nav-link" href="/kvm-forum-2012/cfp/">Call for proposals</a>'


def _close_call(call, *, at):
    call.opens = at - datetime.timedelta(days=5)
    call.closes = at
    call.save()


def test_open_call_is_in_the_navigation_of_every_event_page(client, call):
    for path in ("/kvm-forum-2012/", "/kvm-forum-2012/schedule/", "/kvm-forum-2012/speakers/"):
        assert NAV_LINK in client.get(path).content.decode(), path


def test_call_page_marks_its_navigation_link_current(client, call):
    content = client.get("/kvm-forum-2012/cfp/").content.decode()

    assert (
        '<a class="nav-link active" aria-current="page" href="/kvm-forum-2012/cfp/">'
        "Call for proposals</a>" in content
    )


def test_closed_call_leaves_the_navigation_but_stays_linked_from_the_event_page(client, call):
    _close_call(call, at=timezone.now() - datetime.timedelta(hours=1))

    schedule = client.get("/kvm-forum-2012/schedule/").content.decode()
    event_page = client.get("/kvm-forum-2012/").content.decode()

    assert "Call for proposals" not in schedule
    assert NAV_LINK not in event_page
    assert 'href="/kvm-forum-2012/cfp/">Call for proposals (closed)</a>' in event_page
    assert "The call for proposals is closed" in client.get("/kvm-forum-2012/cfp/").content.decode()


def test_call_not_yet_open_is_linked_from_the_event_page_only(client, call):
    call.opens = timezone.now() + datetime.timedelta(days=1)
    call.save()

    event_page = client.get("/kvm-forum-2012/").content.decode()

    assert NAV_LINK not in event_page
    assert 'href="/kvm-forum-2012/cfp/">Call for proposals (opens soon)</a>' in event_page


def test_event_without_a_call_links_no_call(client, event):
    assert "/cfp/" not in client.get("/kvm-forum-2012/").content.decode()


def test_stored_page_drops_the_link_when_the_call_closes(client, call):
    """A visitor's cached schedule page lives no longer than the call is open."""
    now = timezone.now()
    _close_call(call, at=now + datetime.timedelta(minutes=2))
    with time_machine.travel(now, tick=False):
        before = client.get("/kvm-forum-2012/schedule/").content.decode()
    with time_machine.travel(now + datetime.timedelta(minutes=3), tick=False):
        after = client.get("/kvm-forum-2012/schedule/").content.decode()

    assert NAV_LINK in before
    assert "Call for proposals" not in after
