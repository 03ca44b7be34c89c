import re

import pytest
from django.template.loader import get_template
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.factories import EventFactory


def test_unknown_event_shows_the_friendly_not_found_page(client, db):
    response = client.get("/no-such-event/")

    content = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · Conference</title>" in content
    assert "<h1>Page not found</h1>" in content
    assert '<a class="btn btn-primary" href="/">Go to the list of events</a>' in content
    assert "find the talk in its schedule" in content
    assert '<meta name="robots" content="noindex">' in content


@pytest.mark.parametrize(
    "path",
    [
        "/kvm-2012/speakers/nobody/",
        "/kvm-2012/talks/no-such-talk/",
        "/kvm-2012/schedule/?day=2030-01-01",
        "/kvm-2012/no-such-page/",
    ],
)
def test_not_found_inside_an_event_keeps_the_events_header(client, db, path):
    EventFactory(slug="kvm-2012", name="KVM Forum 2012")

    response = client.get(path)

    content = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in content
    assert '<a class="navbar-brand text-truncate" href="/kvm-2012/">KVM Forum 2012</a>' in content
    assert '<a class="nav-link" href="/kvm-2012/schedule/">Schedule</a>' in content
    assert "All times are in" in content


def test_not_found_inside_an_unpublished_event_shows_the_sites_header(client, db):
    EventFactory(slug="secret-2030", name="Secret Summit", is_published=False)

    response = client.get("/secret-2030/talks/anything/")

    content = response.content.decode()
    assert response.status_code == 404
    assert "Secret Summit" not in content
    assert '<a class="navbar-brand" href="/">Conference</a>' in content


def test_server_error_page_is_plain_html():
    template = get_template("500.html")

    # Nothing that reads the database or a context: only the translation tags.
    tags = set(re.findall(r"{%\s*(\w+)", template.template.source))
    assert tags <= {"load", "get_current_language", "translate"}
    assert re.findall(r"{{\s*([\w.]+)", template.template.source) == ["LANGUAGE_CODE"]
    content = template.render()
    assert "<h1>Something went wrong</h1>" in content
    assert '<link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css">' in content
    assert '<a class="btn btn-primary" href="/">Go to the home page</a>' in content


def test_server_error_view_answers_500_with_the_apology():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Sorry, this page could not be shown because of an error on our side." in (
        response.content.decode()
    )
