"""One request to the server under test, on loopback, as a browser would send it.

Shared by the benchmark and the load test: the host, the headers every
request carries (``Accept-Encoding: gzip``), and ``fetch``, which times one
GET on a fresh connection and keeps the body as it came over the wire.
"""

import gzip
import http.client
import time
from dataclasses import dataclass

HOST = "127.0.0.1"
REQUEST_HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "conference-bench"}


@dataclass
class Fetched:
    status: int
    body: bytes
    encoding: str
    seconds: float

    def text(self):
        body = gzip.decompress(self.body) if self.encoding == "gzip" else self.body
        return body.decode("utf-8", errors="replace")


def fetch(port, path, timeout=60):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=REQUEST_HEADERS)
        response = connection.getresponse()
        body = response.read()
        seconds = time.perf_counter() - started
        return Fetched(response.status, body, response.getheader("Content-Encoding", ""), seconds)
    finally:
        connection.close()
