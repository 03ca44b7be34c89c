"""The OpenAPI schema, generated without warnings, and its docs page: no CDN, no inline script."""

import json
import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_is_valid_without_warnings(tmp_path):
    # --fail-on-warn turns any warning of drf-spectacular into an error (SystemExit).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))

    schema = yaml.safe_load((tmp_path / "s.yaml").read_text())
    assert sorted(schema["paths"]) == [
        "/api/v1/events/",
        "/api/v1/events/{event_slug}/",
        "/api/v1/events/{event_slug}/releases/",
        "/api/v1/events/{event_slug}/releases/{release_name}/",
        "/api/v1/events/{event_slug}/rooms/",
        "/api/v1/events/{event_slug}/rooms/{place_slug}/",
        "/api/v1/events/{event_slug}/speakers/",
        "/api/v1/events/{event_slug}/speakers/{speaker_id}/",
        "/api/v1/events/{event_slug}/talks/",
        "/api/v1/events/{event_slug}/talks/{talk_id}/",
        "/api/v1/events/{event_slug}/tracks/",
        "/api/v1/events/{event_slug}/tracks/{place_slug}/",
    ]


def test_schema_is_served_as_yaml_and_as_json(client):
    as_yaml = client.get("/api/schema/")
    as_json = client.get("/api/schema/?format=json")

    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(as_yaml.content)["info"]["title"] == "Conference API"
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(as_json.content)["openapi"].startswith("3.")


def test_docs_page_loads_everything_from_the_site_itself(client):
    response = client.get("/api/docs/")
    page = response.content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources, page
    assert all(source.startswith("/") and not source.startswith("//") for source in sources)
    # No inline script: the page's own setup comes from a URL of its own.
    assert re.findall(r"<script>", page) == []
    assert "script-src 'self'" in response["Content-Security-Policy"]
    setup = client.get("/api/docs/?script=")
    assert setup["Content-Type"] == "application/javascript"
    assert "/api/schema/" in setup.content.decode()
    assert client.get(sources[-1]).status_code == 200
