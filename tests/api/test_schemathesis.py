"""The API keeps its own schema: schemathesis calls every operation with generated requests.

Every check is on (no 5xx, responses and their content types match the
schema, every status code documented), anonymously and with an organiser's
token, against the Conf 2012 fixture (a few examples per operation, so that
the run stays short).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings

from api.models import ApiToken
from conference.wsgi import application

# schemathesis calls the WSGI application as host "localhost".
with override_settings(ALLOWED_HOSTS=["localhost"]):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def connection_kept_across_requests():
    """The run's requests keep the test's database connection, as the test client's do.

    schemathesis calls the site's real WSGI handler, which sends
    ``request_started`` and ``request_finished``; Django closes "old"
    connections on both, and a connection inside the test's transaction
    (autocommit off) counts as one. SQLite's in-memory test database ignores
    the close; PostgreSQL's connection really closes, and every later query
    of the request fails, which the site answers with its 503 page. Django's
    test client disconnects the same handler around each request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "organiser"])
def headers(request, conf):
    if request.param == "anonymous":
        return {}
    organiser = request.getfixturevalue("organiser")
    _, token = ApiToken.issue(user=organiser, name="schemathesis")
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    # The same cases on every run, so that a failure in CI is one to reproduce.
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_keeps_the_schema(case, headers, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    # Hundreds of requests in a minute: the throttles have tests of their own.
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"DEFAULT_THROTTLE_CLASSES": []}
    case.call_and_validate(headers=headers)
