"""One request to the server under test, on loopback, as a browser would send it.

Shared by the benchmark and the load test: the host, the headers every
request carries (``Accept-Encoding: gzip`` unless ``accept_encoding`` says
otherwise), and ``fetch``, which times one GET on a fresh connection and
keeps the body as it came over the wire.
"""

import gzip
import http.client
import re
import time
from dataclasses import dataclass

import brotli

HOST = "127.0.0.1"
REQUEST_HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "conference-bench"}
# What ``--encoding`` names, as the header says it: "identity" asks for the plain body.
ENCODINGS = ("gzip", "br", "identity")


def accept_encoding(encoding):
    """Every request from now on asks for ``encoding`` (one of ``ENCODINGS``)."""
    REQUEST_HEADERS["Accept-Encoding"] = encoding


@dataclass
class Fetched:
    status: int
    body: bytes
    encoding: str
    seconds: float
    # The worker's processor time, from Server-Timing (the benchmark turns it on).
    cpu_ms: float | None = None

    def text(self):
        body = self.body
        if self.encoding == "gzip":
            body = gzip.decompress(body)
        elif self.encoding == "br":
            body = brotli.decompress(body)
        return body.decode("utf-8", errors="replace")


def fetch(port, path, timeout=60):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=REQUEST_HEADERS)
        response = connection.getresponse()
        body = response.read()
        seconds = time.perf_counter() - started
        timing = re.search(r"cpu;dur=([0-9.]+)", response.getheader("Server-Timing", ""))
        return Fetched(
            response.status,
            body,
            response.getheader("Content-Encoding", ""),
            seconds,
            float(timing[1]) if timing else None,
        )
    finally:
        connection.close()
