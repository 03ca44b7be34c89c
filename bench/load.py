"""Load on one URL for a bounded time, and what it gave.

Two load generators with the same signature: ``wrk`` (its totals handed
over by a Lua ``done`` function) and, without it, a small generator of one
thread per keep-alive connection. ``measure`` loads a page after fetching
it once; ``measure_static_again`` loads a static file around each page and
keeps the sum of its runs.
"""

import contextlib
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

from http_client import HOST, REQUEST_HEADERS, fetch
from pages import Page
from processes import BenchError

# wrk hands its totals to this Lua function once the run ends.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH-JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"bytes\\": %d, "
    .. "\\"socket_errors\\": %d, \\"status_errors\\": %d, "
    .. "\\"p50_us\\": %d, \\"p99_us\\": %d}\\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    status_errors: int
    tool: str

    @property
    def per_second(self):
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_available():
    return shutil.which("wrk") is not None


def load_with_wrk(port, path, *, connections, duration):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        command = ["wrk", "-t", str(min(connections, os.cpu_count() or 1))]
        # wrk takes whole seconds.
        seconds = max(1, round(duration))
        command += ["-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s"]
        for name, value in REQUEST_HEADERS.items():
            command += ["-H", f"{name}: {value}"]
        command += ["-s", script.name, f"http://{HOST}:{port}{path}"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(script.name)
    match = re.search(r"^BENCH-JSON (.*)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not match:
        raise BenchError(
            f"wrk failed (status {result.returncode}):\n{result.stdout}{result.stderr}"
        )
    report = json.loads(match.group(1))
    return LoadResult(
        requests=report["requests"],
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        socket_errors=report["socket_errors"],
        status_errors=report["status_errors"],
        tool="wrk",
    )


def load_with_threads(port, path, *, connections, duration):
    """A bounded load generator: one thread per connection, each reusing its connection."""
    deadline = time.monotonic() + duration
    results = [
        {"latencies": [], "socket_errors": 0, "status_errors": 0} for _ in range(connections)
    ]

    def run(result):
        connection = None
        while time.monotonic() < deadline:
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, port, timeout=10)
                started = time.perf_counter()
                connection.request("GET", path, headers=REQUEST_HEADERS)
                response = connection.getresponse()
                response.read()
                result["latencies"].append(time.perf_counter() - started)
                if not 200 <= response.status < 300:
                    result["status_errors"] += 1
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                result["socket_errors"] += 1
                if connection is not None:
                    connection.close()
                connection = None
        if connection is not None:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(result,), daemon=True) for result in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 30)
    seconds = time.monotonic() - started
    latencies = sorted(value for result in results for value in result["latencies"])
    return LoadResult(
        requests=len(latencies),
        seconds=seconds,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        socket_errors=sum(result["socket_errors"] for result in results),
        status_errors=sum(result["status_errors"] for result in results),
        tool="python",
    )


def percentile(ordered, percent):
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered)) - 1))
    return ordered[index]


def measure(port, page, *, load, connections, duration, warmup=0):
    first = fetch(port, page.path)
    page.status = first.status
    page.wire_bytes = len(first.body)
    page.encoding = first.encoding or "identity"
    if warmup:
        load(port, page.path, connections=connections, duration=warmup)
    result = load(port, page.path, connections=connections, duration=duration)
    if not 200 <= first.status < 300 and result.status_errors == 0:
        # wrk counts only 4xx and 5xx as errors; a redirect is one here too.
        result.status_errors = result.requests
    page.load = result
    return page


def measure_static_again(port, static, *, load, connections, duration, path=None):
    """Another run on a static file (``path``, else ``static``'s); ``static``'s load sums up
    every run so far."""
    this_run = measure(
        port,
        Page(static.label, path or static.path),
        load=load,
        connections=connections,
        duration=duration,
    )
    static.status, static.wire_bytes = this_run.status, this_run.wire_bytes
    static.encoding = this_run.encoding
    run = this_run.load
    static.runs.append(run)
    static.load = LoadResult(
        requests=sum(each.requests for each in static.runs),
        seconds=sum(each.seconds for each in static.runs),
        p50_ms=statistics.median(each.p50_ms for each in static.runs),
        p99_ms=max(each.p99_ms for each in static.runs),
        socket_errors=sum(each.socket_errors for each in static.runs),
        status_errors=sum(each.status_errors for each in static.runs),
        tool=run.tool,
    )
    static.ratio = 1.0
    return run


def wrk_version():
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        output = subprocess.run(
            ["wrk", "--version"], capture_output=True, text=True, timeout=10
        ).stdout
        return output.split(" [")[0].strip() or "wrk"
    return "wrk"
