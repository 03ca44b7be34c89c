"""Security headers and cookies on every kind of response, with the production settings.

The suite runs with DEBUG off, as production does (conference.settings_testing
only swaps keys, storage and the cache). Requests are made over HTTPS
(``secure=True``), as the proxy in front of the site says they were; only the
redirect from plain HTTP is switched off for tests, and turned back on here.
"""

import io

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from PIL import Image

from tests.factories import EventFactory, SpeakerFactory, TalkFactory, UserFactory

PASSWORD = "correct horse battery staple"
# The policy in conference/settings.py, directive by directive. django-csp
# writes the directives in no fixed order, so the header is compared parsed.
EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
HSTS = "max-age=31536000; includeSubDomains; preload"


def parse_policy(header):
    """A Content-Security-Policy header as {directive: [sources]}; a repeated directive fails."""
    parts = [part.split() for part in header.split(";") if part.strip()]
    policy = {name: sources for name, *sources in parts}
    assert len(policy) == len(parts), f"a directive is repeated in {header!r}"
    return policy


@pytest.fixture
def site(db):
    """A published event with a talk, a speaker with a photo, and that speaker's account."""
    event = EventFactory(slug="kvm-forum-2012", name="KVM Forum 2012")
    user = UserFactory(username="avi")
    speaker = SpeakerFactory(name="Avi Kivity", slug="avi-kivity", user=user)
    TalkFactory(event=event, slug="keynote", title="Keynote", speakers=[speaker])
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 200)).save(buffer, "JPEG")
    photo = default_storage.save("speakers/photos/headers.jpg", ContentFile(buffer.getvalue()))
    return {"event": event, "speaker": speaker, "user": user, "photo": photo}


# What each kind of response is: a page, an export, a file, an error, a redirect.
ANONYMOUS_RESPONSES = [
    ("/", 200),
    ("/kvm-forum-2012/", 200),
    ("/kvm-forum-2012/schedule/", 200),
    ("/kvm-forum-2012/talks/keynote/", 200),
    ("/kvm-forum-2012/talks/keynote.ics", 200),
    ("/kvm-forum-2012/speakers/", 200),
    ("/kvm-forum-2012/speakers/avi-kivity/", 200),
    ("/kvm-forum-2012/schedule.ics", 200),
    ("/kvm-forum-2012/schedule.xml", 200),
    ("/kvm-forum-2012/schedule.json", 200),
    ("/sitemap.xml", 200),
    ("/media/speakers/photos/headers.jpg", 200),
    ("/accounts/login/", 200),
    ("/accounts/password/reset/", 200),
    ("/accounts/profile/", 302),
    ("/admin/login/", 200),
    ("/admin/", 302),
    ("/no-such-event/", 404),
    ("/media/speakers/photos/missing.jpg", 404),
]


def assert_hardened(response):
    assert parse_policy(response["Content-Security-Policy"]) == EXPECTED_POLICY
    assert response["Strict-Transport-Security"] == HSTS
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy-Report-Only" not in response


def test_suite_runs_with_the_production_security_settings():
    assert settings.DEBUG is False
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.SECURE_HSTS_SECONDS == 31_536_000
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize(("path", "status"), ANONYMOUS_RESPONSES)
def test_every_anonymous_response_carries_the_security_headers(client, site, path, status):
    response = client.get(path, secure=True)

    assert response.status_code == status
    assert_hardened(response)
    assert response["X-Frame-Options"] == "DENY"


def test_cached_page_served_again_carries_the_security_headers(client, site):
    first = client.get("/kvm-forum-2012/schedule/", secure=True)

    again = client.get("/kvm-forum-2012/schedule/", secure=True)
    unchanged = client.get(
        "/kvm-forum-2012/schedule/", secure=True, headers={"if-none-match": first["ETag"]}
    )

    assert (again.status_code, unchanged.status_code) == (200, 304)
    for response in (again, unchanged):
        assert_hardened(response)
        assert response["X-Frame-Options"] == "DENY"


def test_static_files_carry_the_policy_that_also_forbids_framing(client, site):
    """WhiteNoise answers before the clickjacking middleware runs; frame-ancestors covers it."""
    for path in ["/static/js/event.js", "/static/img/speaker-placeholder.svg"]:
        response = client.get(path, secure=True)

        assert response.status_code == 200
        assert_hardened(response)
        assert parse_policy(response["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("speaker", "/accounts/profile/", 200),
        ("speaker", "/accounts/password/change/", 200),
        ("speaker", "/kvm-forum-2012/schedule/", 200),
        ("organiser", "/admin/", 200),
        ("organiser", "/admin/schedule/talk/", 200),
        ("organiser", "/admin/conference/event/add/", 200),
    ],
)
def test_every_signed_in_response_carries_the_security_headers(
    client, site, organiser, role, path, status
):
    client.force_login(site["user"] if role == "speaker" else organiser)

    response = client.get(path, secure=True)

    assert response.status_code == status
    assert_hardened(response)
    assert response["X-Frame-Options"] == "DENY"


def test_board_page_carries_the_security_headers(client, site, organiser):
    client.force_login(organiser)

    response = client.get(f"/admin/schedule/talk/board/{site['event'].pk}/2012-11-07/", secure=True)

    assert response.status_code == 200
    assert_hardened(response)
    assert response["X-Frame-Options"] == "DENY"


def test_post_responses_carry_the_security_headers(client, site):
    response = client.post(
        "/accounts/login/", {"username": "avi", "password": PASSWORD}, secure=True
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert_hardened(response)
    assert response["X-Frame-Options"] == "DENY"


def test_plain_http_responses_carry_no_hsts(client, site):
    """Browsers ignore HSTS over plain HTTP; Django sends it only over HTTPS."""
    response = client.get("/kvm-forum-2012/")

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
    assert parse_policy(response["Content-Security-Policy"]) == EXPECTED_POLICY


def test_session_cookie_is_secure_http_only_and_same_site(client, site):
    response = client.post(
        "/accounts/login/", {"username": "avi", "password": PASSWORD}, secure=True
    )

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


def test_csrf_cookie_is_secure_and_same_site(client, site):
    """Not HttpOnly (Django's default): the forms carry the token, no script reads the cookie."""
    response = client.get("/accounts/login/", secure=True)

    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie.value
    assert (cookie["secure"], cookie["samesite"]) == (True, "Lax")


@override_settings(SECURE_SSL_REDIRECT=True)
@pytest.mark.parametrize("path", ["/", "/kvm-forum-2012/schedule/?day=2012-11-07", "/admin/"])
def test_plain_http_behind_the_proxy_is_redirected_to_https(client, site, path):
    response = client.get(path, headers={"x-forwarded-proto": "http"})

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{path}"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_https_behind_the_proxy_is_served_with_hsts(client, site):
    response = client.get("/kvm-forum-2012/", headers={"x-forwarded-proto": "https"})

    assert response.status_code == 200
    assert_hardened(response)


def test_content_security_policy_settings_pass_django_csp_checks():
    problems = [
        message.id
        for message in run_checks(include_deployment_checks=True)
        if message.id.startswith("csp.")
    ]

    assert problems == []
