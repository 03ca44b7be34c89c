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


def test_unknown_page_inside_an_event_shows_the_friendly_not_found_page(client, db):
    EventFactory(slug="kvm-2012", name="KVM Forum 2012")

    response = client.get("/kvm-2012/speakers/nobody/")

    content = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in content
    # Without an event in its context the page shows the site's own navigation.
    assert '<a class="navbar-brand" href="/">Conference</a>' in content


def test_server_error_page_is_plain_html():
    template = get_template("500.html")

    assert "{%" not in template.template.source
    assert "{{" not in template.template.source
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
