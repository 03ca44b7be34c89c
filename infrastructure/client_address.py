"""The address a request comes from, as sign-in throttling (django-axes) counts it.

Behind nginx every request reaches gunicorn from the proxy, over a Unix
socket or loopback, so the socket's peer is the same for everybody. nginx
appends the address it saw to ``X-Forwarded-For``; whatever stands left of
that is what the browser itself sent, which anyone can write.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ANY_PEER = "*"


def trusted_proxies(values):
    """``FORWARDED_ALLOW_IPS`` read as addresses, or a clear error naming the bad entry.

    The same values as gunicorn takes: IP addresses, and ``*`` for any peer.
    """
    proxies = set()
    for value in values:
        if value == ANY_PEER:
            continue
        address = _ip_address(value)
        if address is None:
            raise ImproperlyConfigured(
                f"FORWARDED_ALLOW_IPS: {value!r} is not an IP address "
                "(give the proxies' addresses, comma-separated, or * for any)."
            )
        proxies.add(address)
    return proxies


def client_ip_address(request):
    """The browser's address: the right-most ``X-Forwarded-For`` entry that is no proxy of ours.

    The header counts only when the socket's peer is a trusted proxy (one in
    ``FORWARDED_ALLOW_IPS``, or a Unix socket, which only the proxy can
    reach, as gunicorn treats it): from any other peer it is ignored, so that
    nobody can dodge a lockout by naming a new address with every try, nor
    lock somebody else out by naming theirs. Each trusted proxy appends the
    address it was reached from, so reading from the right, the first entry
    that is not a trusted proxy is the last one no client could have forged.
    ``*`` trusts any peer, but never an entry of the header.
    """
    allowed = settings.FORWARDED_ALLOW_IPS
    proxies = trusted_proxies(allowed)
    peer = request.META.get("REMOTE_ADDR") or ""
    client = _ip_address(peer)
    if client is not None and client not in proxies and ANY_PEER not in allowed:
        return str(client)
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([entry for entry in forwarded_for.split(",") if entry.strip()]):
        address = _ip_address(entry)
        if address is None:
            # Not an address, so not written by a proxy of ours: the hop that
            # passed it on is the nearest one we know.
            break
        client = address
        if address not in proxies:
            break
    return None if client is None else str(client)


def _ip_address(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d.
    return getattr(address, "ipv4_mapped", None) or address
