"""The load test's clients: a mix of cached and cache-missing URLs, every answer sampled.

``url_mix`` makes the paths, ``load`` runs N threads with keep-alive
connections for a bounded time, and ``examine`` says what is wrong with a
5xx body: a traceback, or a 503 that is not the friendly page.
"""

import contextlib
import gzip
import http.client
import random
import threading
import time
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from http_client import HOST, REQUEST_HEADERS

FRIENDLY_TEXT = "Back in a moment"


@dataclass
class Sample:
    started: float  # seconds since the load began
    seconds: float
    status: int  # 0: a socket error
    missing: bool  # meant to miss the page cache
    path: str
    problem: str = ""  # for a 5xx: what was wrong with its body


def url_mix(slug, facts, search=False):
    """Two makers of paths: one for cached pages, one for cache-missing ones.

    A parameter a page does not read no longer misses the cache (it is
    redirected to the cached page), so a miss is a query string a page reads
    with a value not sent before: one talk's calendar with a fresh, unknown
    id beside the talk's (``schedule.ics?talks=``), or, with ``search``, a
    search for a title's word in a mix of capitals not sent before (the
    search ignores case, so it finds what the word finds).
    """
    talks, speakers, days = facts["talk_slugs"], facts["speaker_slugs"], facts["days"]
    talk_ids = facts["talk_uuids"]
    words = sorted({word.strip(".,:;!?()").lower() for t in facts["titles"] for word in t.split()})
    words = [word for word in words if len(word) > 3] or ["kernel"]
    base = f"/{slug}"
    cached = [
        f"{base}/",
        f"{base}/schedule/",
        *(f"{base}/schedule/?day={day}" for day in days),
        f"{base}/speakers/",
        *(f"{base}/talks/{talk}/" for talk in talks[:: max(1, len(talks) // 20)]),
        *(f"{base}/speakers/{speaker}/" for speaker in speakers[:10]),
    ]
    counter = iter(range(10**9))
    lock = threading.Lock()
    searched = set()

    def missing(rng):
        with lock:
            n = next(counter)
        if search and n % 4 == 3:  # a quarter of the misses: a search on the schedule
            for _ in range(20):  # then the words' mixes of capitals are nearly all used
                word = "".join(rng.choice((c.lower(), c.upper())) for c in rng.choice(words))
                with lock:
                    if word not in searched:
                        searched.add(word)
                        return f"{base}/schedule/?q={quote(word)}"
        fresh = uuid.UUID(int=rng.getrandbits(128))
        return f"{base}/schedule.ics?talks={rng.choice(talk_ids)},{fresh}"

    return cached, missing


def examine(status, body, encoding):
    """What is wrong with a 5xx response's body, or ""."""
    if status < 500:
        return ""
    with contextlib.suppress(OSError, EOFError):
        if encoding == "gzip":
            body = gzip.decompress(body)
    text = body.decode("utf-8", errors="replace")
    if "Traceback" in text:
        return "shows a traceback"
    if status == 503 and FRIENDLY_TEXT not in text:
        return f"503 without {FRIENDLY_TEXT!r}"
    return ""


def load(port, cached, missing, *, clients, duration, begun):
    """N threads, each with its own keep-alive connection, alternating cached and missing URLs."""
    deadline = begun + duration
    samples = [[] for _ in range(clients)]

    def run(index, out):
        rng = random.Random(index)
        connection = None
        n = index
        while time.monotonic() < deadline:
            n += 1
            is_missing = n % 2 == 0
            path = missing(rng) if is_missing else rng.choice(cached)
            started = time.monotonic()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, port, timeout=15)
                connection.request("GET", path, headers=REQUEST_HEADERS)
                response = connection.getresponse()
                body = response.read()
                status = response.status
                problem = examine(status, body, response.getheader("Content-Encoding", ""))
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                status, problem = 0, f"{type(error).__name__}: {error}"
                if connection is not None:
                    connection.close()
                connection = None
            elapsed = time.monotonic() - started
            out.append(Sample(started - begun, elapsed, status, is_missing, path, problem))
        if connection is not None:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, samples[index]), daemon=True)
        for index in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    return sorted((s for each in samples for s in each), key=lambda sample: sample.started)
