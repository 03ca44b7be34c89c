"""A published schedule read over HTTP(S) for an import, within the import's size and a timeout.

An organiser moving from an old site imports its published schedule by URL
and runs the import again to sync. The download stops at the import's
largest file (``--max-file-size``) and after ``timeout`` seconds in all, and
every way it can fail (no such host, connection refused, an HTTP error, too
large, too slow, a scheme other than http and https, also after a redirect)
is one :class:`FetchError` naming the URL. Only the standard library is used.

The importers read files: :func:`fetched_file` keeps the download in a
temporary file and gives it as a path that names itself by its URL, so their
``FILE:LINE`` messages say ``URL:LINE``.
"""

import contextlib
import os
import socket
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from schedule.importing.limits import LIMIT_OPTIONS, excerpt

ALLOWED_SCHEMES = ("http", "https")
CHUNK_BYTES = 64 * 1024
DEFAULT_TIMEOUT_SECONDS = 30
USER_AGENT = "conference-schedule-import"


class FetchError(Exception):
    """The schedule at a URL could not be read; ``str()`` is one line naming the URL."""


class FetchedFile(os.PathLike):
    """A downloaded schedule: ``os.fspath()`` is the local copy, ``str()`` the URL it came from."""

    def __init__(self, url, local_path):
        self.url = url
        self.local_path = local_path

    def __fspath__(self):
        return str(self.local_path)

    def __str__(self):
        return self.url

    def __repr__(self):
        return f"FetchedFile({self.url!r})"


def _opener():
    """An opener for http and https only: no file:, ftp: or data: URLs, not even by redirect."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _too_large(url, max_bytes):
    return FetchError(
        f"{url}: the file is larger than {max_bytes:,} bytes, the most allowed "
        f"(use {LIMIT_OPTIONS['max_file_size']} to raise it)"
    )


def _why(reason):
    """What a failed connection's ``reason`` means, in words."""
    if isinstance(reason, socket.gaierror):
        return "cannot find the host"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(reason, TimeoutError | socket.timeout):
        return None
    return excerpt(str(getattr(reason, "strerror", None) or reason), length=120)


def fetch(url, *, max_bytes, timeout=DEFAULT_TIMEOUT_SECONDS):
    """The body at ``url`` (http or https), at most ``max_bytes`` of it, within ``timeout`` s.

    Raises :class:`FetchError` for anything that keeps it from being read whole.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES or not urlsplit(url).netloc:
        raise FetchError(f"{excerpt(url)}: only http:// and https:// URLs are read")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    too_slow = FetchError(f"{url}: no complete answer within {timeout:g} seconds")
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdecimal() and int(length) > max_bytes:
                raise _too_large(url, max_bytes)
            chunks, size = [], 0
            # read1: what has arrived, so that the deadline is checked while a server trickles.
            while chunk := response.read1(min(CHUNK_BYTES, max_bytes + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(url, max_bytes)
                # The socket's timeout is per read: a server that trickles must stop too.
                if time.monotonic() > deadline:
                    raise too_slow
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        why = _why(error.reason)
        raise (too_slow if why is None else FetchError(f"{url}: {why}")) from None
    except TimeoutError:
        raise too_slow from None
    except OSError as error:  # a connection reset, a broken TLS handshake
        raise FetchError(f"{url}: {_why(error)}") from None
    return b"".join(chunks)


@contextlib.contextmanager
def fetched_file(url, *, max_bytes, timeout=DEFAULT_TIMEOUT_SECONDS):
    """The body at ``url`` as a :class:`FetchedFile`, removed when the block ends."""
    data = fetch(url, max_bytes=max_bytes, timeout=timeout)
    with tempfile.TemporaryDirectory(prefix="schedule-import-") as directory:
        local_path = Path(directory) / "download"
        local_path.write_bytes(data)
        yield FetchedFile(url, local_path)
