"""The browser's address that sign-in throttling counts, behind the proxies the settings trust."""

import pytest
from django.test import RequestFactory

from infrastructure.client_address import client_ip_address

LOAD_BALANCER = "10.0.0.2"


@pytest.mark.parametrize(
    ("allowed", "peer", "forwarded_for", "expected"),
    [
        # nginx on loopback or on gunicorn's Unix socket (no peer address), as deployed.
        (["127.0.0.1", "::1"], "127.0.0.1", "203.0.113.66", "203.0.113.66"),
        (["127.0.0.1", "::1"], "", "203.0.113.66", "203.0.113.66"),
        (["127.0.0.1", "::1"], "::1", "2001:db8::66", "2001:db8::66"),
        (["127.0.0.1", "::1"], "::ffff:127.0.0.1", "203.0.113.66", "203.0.113.66"),
        # What the browser sent stands left of what nginx appended, and is never read.
        (["127.0.0.1"], "127.0.0.1", "198.51.100.7, 203.0.113.66", "203.0.113.66"),
        (["127.0.0.1"], "127.0.0.1", "not-an-address, 203.0.113.66", "203.0.113.66"),
        (["127.0.0.1"], "127.0.0.1", "198.51.100.7,203.0.113.66, ,", "203.0.113.66"),
        # A peer that is not a trusted proxy: its header is ignored.
        (["127.0.0.1"], "192.0.2.50", "198.51.100.7", "192.0.2.50"),
        ([], "127.0.0.1", "198.51.100.7", "127.0.0.1"),
        # A load balancer in front of nginx: listed, it is skipped; unlisted, it is the client.
        (
            ["127.0.0.1", LOAD_BALANCER],
            "127.0.0.1",
            f"203.0.113.66, {LOAD_BALANCER}",
            "203.0.113.66",
        ),
        (["127.0.0.1"], "127.0.0.1", f"203.0.113.66, {LOAD_BALANCER}", LOAD_BALANCER),
        # * trusts any peer, but no entry of the header beyond the last one.
        (["*"], "192.0.2.50", "198.51.100.7, 203.0.113.66", "203.0.113.66"),
        # Nothing further to go on: the nearest hop known.
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "127.0.0.1", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "203.0.113.66, unknown", "127.0.0.1"),
        (["127.0.0.1"], "", "", None),
    ],
)
def test_client_address_is_the_right_most_entry_no_trusted_proxy_wrote(
    settings, allowed, peer, forwarded_for, expected
):
    settings.FORWARDED_ALLOW_IPS = allowed
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=peer, **headers)

    assert client_ip_address(request) == expected
