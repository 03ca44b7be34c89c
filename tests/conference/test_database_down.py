"""While the database cannot be reached, visitors get a friendly 503, and the site recovers.

The outage is made with Django's own query hook (``execute_wrapper``), which
fails every query as a dropped PostgreSQL connection does. The real thing — a
database restarted under load — is exercised by ``bench/loadtest.py``.
"""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.factories import EventFactory


def database_gone(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/", "/kvm/", "/kvm/schedule/", "/kvm/speakers/"])
def test_database_down_gives_a_friendly_503(db, visitor, path):
    EventFactory(slug="kvm")

    with connection.execute_wrapper(database_gone):
        response = visitor.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert "Back in a moment" in content
    assert "Traceback" not in content


def test_site_recovers_by_itself_when_the_database_is_back(db, visitor):
    EventFactory(name="Still here")
    with connection.execute_wrapper(database_gone):
        assert visitor.get("/").status_code == 503

    response = visitor.get("/")

    assert response.status_code == 200
    assert "Still here" in response.content.decode()


def test_other_errors_still_get_the_500_page(rf):
    from conference.views import server_error

    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
