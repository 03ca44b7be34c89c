"""The site's offline files: the service worker at the root, the web app manifest, their links."""

import hashlib
import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from conference import offline
from tests.factories import EventFactory, SpeakerFactory, TalkFactory, UserFactory

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


@pytest.fixture
def site(db):
    event = EventFactory(slug="devconf", name="DevConf")
    speaker = SpeakerFactory(name="Ada Lovelace", slug="ada-lovelace")
    TalkFactory(event=event, slug="engines", title="Engines", speakers=[speaker])
    return event


PUBLIC_PAGES = [
    "/",
    "/devconf/",
    "/devconf/schedule/",
    "/devconf/schedule/?talks=",
    "/devconf/schedule/?day=2012-11-07",
    "/devconf/talks/engines/",
    "/devconf/speakers/",
    "/devconf/speakers/ada-lovelace/",
    "/devconf/schedule/changelog/",
    "/accounts/login/",
    "/devconf/no-such-page/",
]


def test_the_service_worker_is_served_at_the_root_as_javascript_never_stale(client):
    response = client.get("/sw.js?v=anything")

    with open(finders.find("sw.js"), "rb") as source:
        assert response.content == source.read()
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    assert client.post("/sw.js").status_code == 405


def test_the_manifest_names_the_site_and_icons_that_exist_at_their_sizes(client):
    response = client.get("/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["start_url"], manifest["display"]) == (
        settings.SITE_NAME,
        "/",
        "standalone",
    )
    assert (manifest["theme_color"], manifest["background_color"]) == ("#0d6efd", "#ffffff")
    sizes = []
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL).lstrip("/"))
        assert path is not None, f"{icon['src']} is not a static file"
        if icon["type"] == "image/png":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.append((icon["sizes"], icon.get("purpose", "any")))
    # What phones ask for: any size (SVG), 192 and 512 pixels, and one to crop into a shape.
    assert sizes == [
        ("any", "any"),
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    ]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_links_the_manifest_and_registers_the_worker_after_load(client, site, path):
    response = client.get(path)
    html = response.content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    registration = (
        '<script src="/static/js/offline.js" '
        f'data-service-worker="/sw.js?v={offline.deploy_version()}" defer></script>'
    )
    assert registration in html
    assert "data-offline-notice hidden" in html
    # No inline script: every one is a file, loaded without holding up the page.
    assert [tag for tag in SCRIPT_TAG.findall(html) if "src=" not in tag] == []


@pytest.mark.parametrize("path", ["/sw.js", "/manifest.webmanifest", "/devconf/schedule/"])
def test_the_policy_still_runs_no_inline_script(client, site, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = {name: sources for name, *sources in (p.split() for p in policy.split(";"))}

    assert directives["script-src"] == ["'self'"]
    # The worker and the manifest fall back to default-src: the site's own origin.
    assert "worker-src" not in directives
    assert "manifest-src" not in directives
    assert directives["default-src"] == ["'self'"]


def test_the_schedule_asks_to_keep_its_days_star_list_and_exports(client, site):
    html = client.get("/devconf/schedule/").content.decode()

    kept = re.findall(r"<(?:a|link)\b[^>]*?href=\"([^\"]*)\"[^>]*data-offline-keep", html)
    assert kept == [
        "/devconf/schedule.ics",
        "/devconf/schedule.xml",
        "/devconf/schedule.json",
        "/devconf/schedule/?talks=",
        "?day=all",
        "?day=2012-11-07",
        "?day=2012-11-08",
        "?day=2012-11-09",
    ]


def test_only_anonymous_pages_say_public_for_the_worker_to_keep(client, site):
    user = UserFactory(username="ada")
    anonymous = client.get("/devconf/schedule/")
    client.force_login(user)
    signed_in = client.get("/devconf/schedule/")

    assert "public" in anonymous["Cache-Control"]
    assert "public" not in signed_in.get("Cache-Control", "")


@pytest.fixture
def fresh_deploy_version():
    """The stamp worked out again, here and for the tests after this one."""
    offline.deploy_version.cache_clear()
    yield
    offline.deploy_version.cache_clear()


def test_the_deploy_version_follows_the_worker_and_the_static_files(
    settings, tmp_path, fresh_deploy_version
):
    settings.STATIC_ROOT = tmp_path
    with open(finders.find("sw.js"), "rb") as source:
        worker_only = hashlib.sha256(source.read()).hexdigest()[:12]
    assert offline.deploy_version() == worker_only

    offline.deploy_version.cache_clear()
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.1.css"}}')
    with_static_files = offline.deploy_version()

    assert with_static_files != worker_only
    assert offline.service_worker_url() == f"/sw.js?v={with_static_files}"
