"""Tests of ``export_views``: every file the schedule is published as answers conditional
requests once, through the page cache, with the validators the view gives."""

import pytest
from django.utils.http import http_date

from schedule.formats.frab.exporter import (
    export_etag,
    schedule_export_data,
    schedule_last_modified,
)

FILES = [
    ("/kvm-forum-2012/schedule.xml", "application/xml; charset=utf-8"),
    ("/kvm-forum-2012/schedule.json", "application/json"),
    ("/kvm-forum-2012/schedule.ics", "text/calendar; charset=utf-8"),
]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_export_validators_are_the_content_and_the_last_change(client, kvm_forum, fmt):
    response = client.get(f"/kvm-forum-2012/schedule.{fmt}")

    export = schedule_export_data(kvm_forum, base_url="http://testserver/")
    assert export.version == kvm_forum.releases.get(is_current=True).name
    assert response["ETag"] == f'"{export_etag(export)}"'
    assert response["Last-Modified"] == http_date(schedule_last_modified(kvm_forum).timestamp())


@pytest.mark.parametrize(("path", "content_type"), FILES)
def test_a_file_asked_again_with_its_etag_is_304_without_a_query(
    client, kvm_forum, path, content_type, django_assert_num_queries
):
    first = client.get(path)

    with django_assert_num_queries(0):
        by_etag = client.get(path, headers={"If-None-Match": first["ETag"]})
        by_date = client.get(path, headers={"If-Modified-Since": first["Last-Modified"]})

    assert (first.status_code, first["Content-Type"]) == (200, content_type)
    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert by_date.status_code == 304
    assert (by_etag["ETag"], by_etag["Last-Modified"]) == (first["ETag"], first["Last-Modified"])


@pytest.mark.parametrize("path", [path for path, _ in FILES] + ["/kvm-forum-2012/schedule/"])
def test_a_first_request_with_a_stale_etag_is_answered_in_full(client, kvm_forum, path):
    response = client.get(path, headers={"If-None-Match": '"not-this-one"'})

    assert response.status_code == 200
    assert len(response.content) > 1000
    assert response["ETag"] != '"not-this-one"'


def test_a_schedule_page_is_304_on_its_etag_as_an_export_is(client, kvm_forum):
    first = client.get("/kvm-forum-2012/schedule/")

    again = client.get("/kvm-forum-2012/schedule/", headers={"If-None-Match": first["ETag"]})

    assert b"Keynote Address" in first.content
    assert (again.status_code, again["ETag"]) == (304, first["ETag"])


def test_an_export_304_keeps_the_headers_other_sites_scripts_need(client, kvm_forum):
    first = client.get("/kvm-forum-2012/schedule.json")

    again = client.get("/kvm-forum-2012/schedule.json", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    assert again["Access-Control-Expose-Headers"] == "ETag"
