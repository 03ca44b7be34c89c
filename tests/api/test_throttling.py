"""Throttling per client through the shared cache: a 429 says when to come back."""

import pytest

from api.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_a_minute(settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anonymous": "2/minute", "token": "3/minute"}
    }


def test_a_third_anonymous_request_in_a_minute_is_a_429_with_retry_after(api, conf, two_a_minute):
    answers = [api.get("/api/v1/events/").status_code for _ in range(3)]
    refused = api.get("/api/v1/events/")

    assert answers == [200, 200, 429]
    assert refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["title"] == "Too many requests"


def test_a_token_has_its_own_allowance(api, conf, organiser, two_a_minute):
    _, token = ApiToken.issue(user=organiser, name="scripts")
    api.get("/api/v1/events/")
    api.get("/api/v1/events/")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    answers = [api.get("/api/v1/events/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_the_rates_come_from_the_environment(manage):
    shown = (
        "from django.conf import settings; print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    )

    default = manage("shell", "--no-imports", "-c", shown)
    raised = manage(
        "shell",
        "--no-imports",
        "-c",
        shown,
        API_ANONYMOUS_RATE="50/second",
        API_TOKEN_RATE="9/hour",
    )
    unlimited = manage("shell", "--no-imports", "-c", shown, API_ANONYMOUS_RATE="")

    assert default.stdout.strip() == "{'anonymous': '120/minute', 'token': '600/minute'}"
    assert raised.stdout.strip() == "{'anonymous': '50/second', 'token': '9/hour'}"
    assert unlimited.stdout.strip() == "{'anonymous': None, 'token': '600/minute'}"


def test_no_rate_is_no_limit(api, conf, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anonymous": None, "token": "2/minute"}
    }

    answers = [api.get("/api/v1/events/").status_code for _ in range(5)]

    assert answers == [200] * 5
