"""Absolute URLs name SITE_URL, or the host each request came by: never the first visitor's."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from infrastructure.site_url import checked_site_url, site_root_without_request
from tests.factories import EventFactory, SpeakerFactory, TalkFactory

HOSTS = ["conference.example.org", "kvm.example.net"]
SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def event(db, settings):
    settings.ALLOWED_HOSTS = HOSTS
    event = EventFactory(slug="kvm", name="KVM Forum")
    TalkFactory(event=event, slug="virtio", title="Virtio", speakers=[SpeakerFactory(slug="rik")])
    return event


def absolute_urls(client, host):
    """Every absolute URL the pages that carry them give a visitor who came in by ``host``."""
    headers = {"Host": host}
    sitemap = ET.fromstring(client.get("/sitemap.xml", headers=headers).content)
    calendar = client.get("/kvm/schedule.ics", headers=headers).content.decode()
    talk_calendar = client.get("/kvm/talks/virtio.ics", headers=headers).content.decode()
    xml = ET.fromstring(client.get("/kvm/schedule.xml", headers=headers).content)
    document = json.loads(client.get("/kvm/schedule.json", headers=headers).content)
    page = client.get("/kvm/schedule/", headers=headers).content.decode()
    return {
        "sitemap": sorted(
            {loc.text.split("/kvm/")[0] for loc in sitemap.iterfind(".//sm:loc", SITEMAP)}
        ),
        "calendar": sorted(set(re.findall(r"^URL:(https?://[^/]+)/", calendar, re.MULTILINE))),
        "talk calendar": re.findall(r"^URL:(https?://[^/]+)/", talk_calendar, re.MULTILINE),
        "xml": [xml.findtext(".//event/url").split("/kvm/")[0]],
        "json": [document["schedule"]["base_url"]],
        "canonical": re.findall(r'<link rel="canonical" href="([^"]+)">', page),
    }


def test_without_site_url_each_host_gets_its_own_urls_whoever_asked_first(client, event):
    first = absolute_urls(client, HOSTS[0])
    second = absolute_urls(client, HOSTS[1])

    assert first == {
        "sitemap": ["http://conference.example.org"],
        "calendar": ["http://conference.example.org"],
        "talk calendar": ["http://conference.example.org"],
        "xml": ["http://conference.example.org"],
        "json": ["http://conference.example.org/"],
        "canonical": ["http://conference.example.org/kvm/schedule/"],
    }
    assert second == {
        "sitemap": ["http://kvm.example.net"],
        "calendar": ["http://kvm.example.net"],
        "talk calendar": ["http://kvm.example.net"],
        "xml": ["http://kvm.example.net"],
        "json": ["http://kvm.example.net/"],
        "canonical": ["http://kvm.example.net/kvm/schedule/"],
    }


def test_without_site_url_https_and_http_get_their_own_urls(client, event):
    plain = client.get("/sitemap.xml", headers={"Host": HOSTS[0]}).content.decode()
    secure = client.get("/sitemap.xml", headers={"Host": HOSTS[0]}, secure=True).content.decode()

    assert "<loc>http://conference.example.org/kvm/</loc>" in plain
    assert "<loc>https://conference.example.org/kvm/</loc>" in secure


def test_with_site_url_every_host_gets_the_one_address(client, event, settings):
    settings.SITE_URL = "https://conference.example.org"

    first = absolute_urls(client, HOSTS[1])
    second = absolute_urls(client, HOSTS[0])

    assert (
        first
        == second
        == {
            "sitemap": ["https://conference.example.org"],
            "calendar": ["https://conference.example.org"],
            "talk calendar": ["https://conference.example.org"],
            "xml": ["https://conference.example.org"],
            "json": ["https://conference.example.org/"],
            "canonical": ["https://conference.example.org/kvm/schedule/"],
        }
    )


def test_a_cached_page_is_not_served_to_a_host_outside_allowed_hosts(client, event, settings):
    settings.SITE_URL = "https://conference.example.org"
    assert client.get("/kvm/schedule/", headers={"Host": HOSTS[0]}).status_code == 200

    response = client.get("/kvm/schedule/", headers={"Host": "evil.example.com"})

    assert response.status_code == 400
    assert "Virtio" not in response.content.decode()


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("", ""),
        ("https://conference.example.org", "https://conference.example.org"),
        ("https://conference.example.org/", "https://conference.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_site_url_is_kept_without_its_trailing_slash(value, kept):
    assert checked_site_url(value) == kept


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("conference.example.org", "must be an http:// or https:// address"),
        ("ftp://conference.example.org", "must be an http:// or https:// address"),
        ("https://conference.example.org/2026/", "with no path, query or fragment"),
        ("https://conference.example.org/?a=1", "with no path, query or fragment"),
    ],
)
def test_a_wrong_site_url_is_refused_with_a_message_saying_why(value, message):
    with pytest.raises(ImproperlyConfigured, match=message) as refused:
        checked_site_url(value)

    assert repr(value.rstrip("/")) in str(refused.value)


@pytest.mark.parametrize(
    ("allowed_hosts", "site_url", "warned"),
    [
        (["conference.example.org", "kvm.example.net"], "", False),
        ([".example.org"], "", True),
        (["*"], "", True),
        (["*"], "https://conference.example.org", False),
    ],
)
def test_deploy_check_asks_for_site_url_when_any_host_name_is_accepted(
    settings, allowed_hosts, site_url, warned
):
    settings.ALLOWED_HOSTS = allowed_hosts
    settings.SITE_URL = site_url

    ids = [message.id for message in run_checks(include_deployment_checks=True)]

    assert ("conference.W001" in ids) is warned


@pytest.mark.parametrize(
    ("site_url", "debug", "allowed_hosts", "root"),
    [
        ("https://conference.example.org", False, ["*"], "https://conference.example.org/"),
        ("", False, [".example.org", "kvm.example.net"], "https://kvm.example.net/"),
        ("", False, ["*"], "http://127.0.0.1:8000/"),
        ("", True, ["localhost", "127.0.0.1"], "http://127.0.0.1:8000/"),
    ],
)
def test_links_in_mails_queued_by_a_command_name_site_url_else_the_named_host(
    settings, site_url, debug, allowed_hosts, root
):
    settings.SITE_URL, settings.DEBUG, settings.ALLOWED_HOSTS = site_url, debug, allowed_hosts

    assert site_root_without_request() == root
