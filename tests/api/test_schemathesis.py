"""The API keeps its own schema: schemathesis calls every operation with generated requests.

Every check is on (no 5xx, responses and their content types match the
schema, every status code documented), anonymously and with an organiser's
token, against the Conf 2012 fixture (a few examples per operation, so that
the run stays short).
"""

import os

import pytest
import schemathesis
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings

from api.models import ApiToken
from conference.wsgi import application

# schemathesis calls the WSGI application as host "localhost".
with override_settings(ALLOWED_HOSTS=["localhost"]):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

pytestmark = [
    pytest.mark.django_db,
    # On PostgreSQL every in-process call of this run answered 503 (the page the
    # site shows when its database is out of reach), also for a plain
    # ``GET /api/v1/events/?page_size=1`` that the client tests pass: the run's
    # calls do not reach the test database there. Until that is fixed the
    # schema run is a SQLite check; the API's client tests run on both.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the schemathesis run does not reach PostgreSQL's test database yet",
    ),
]


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
