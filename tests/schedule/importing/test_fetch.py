"""Tests of ``fetch``: a schedule read over HTTP from a small server started by the test."""

import http.server
import socket
import threading
import time
from pathlib import Path

import pytest

from schedule.importing.fetch import FetchError, fetch, fetched_file

BODY = b"<schedule/>"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/schedule.xml":
            self._send(200, BODY)
        elif self.path == "/large":
            self._send(200, b"x" * 5000)
        elif self.path == "/large-unannounced":
            # No Content-Length: the reader must stop by itself.
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)
        elif self.path == "/slow":
            self.send_response(200)
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        else:
            self._send(404, b"no such page")

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """The root URL of a local HTTP server, stopped after the test."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def refused_url():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    return f"http://127.0.0.1:{port}/schedule.xml"


def fetch_error(url, *, max_bytes=1000, timeout=5):
    with pytest.raises(FetchError) as caught:
        fetch(url, max_bytes=max_bytes, timeout=timeout)
    return str(caught.value)


def test_fetch_reads_the_body(server):
    assert fetch(f"{server}/schedule.xml", max_bytes=1000) == BODY


def test_fetched_file_is_a_path_that_names_itself_by_its_url(server):
    with fetched_file(f"{server}/schedule.xml", max_bytes=1000) as path:
        assert (str(path), Path(path).read_bytes()) == (f"{server}/schedule.xml", BODY)


@pytest.mark.parametrize("page", ["large", "large-unannounced"])
def test_fetch_stops_past_the_size_limit(server, page):
    assert fetch_error(f"{server}/{page}") == (
        f"{server}/{page}: the file is larger than 1,000 bytes, the most allowed "
        "(use --max-file-size to raise it)"
    )


def test_fetch_names_an_http_error(server):
    assert fetch_error(f"{server}/missing") == f"{server}/missing: HTTP 404 Not Found"


def test_fetch_gives_up_on_a_server_that_trickles(server):
    started = time.monotonic()

    assert fetch_error(f"{server}/slow", timeout=0.5) == (
        f"{server}/slow: no complete answer within 0.5 seconds"
    )
    assert time.monotonic() - started < 1.5


def test_fetch_names_a_refused_connection():
    url = refused_url()

    assert fetch_error(url) == f"{url}: the connection was refused"


def test_fetch_names_a_host_that_does_not_exist():
    # .invalid is reserved: it never resolves (RFC 6761).
    assert fetch_error("http://schedule.invalid/x") == (
        "http://schedule.invalid/x: cannot find the host"
    )


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "example.org/x"])
def test_fetch_reads_only_http_and_https(url):
    assert fetch_error(url) == f"{url}: only http:// and https:// URLs are read"


def test_fetch_follows_no_redirect_out_of_http(server):
    assert fetch_error(f"{server}/to-file").startswith(f"{server}/to-file: ")
