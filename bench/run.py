"""``make bench``: the public pages of a 900-talk event under load, beside a static file.

One run:

1. migrates a benchmark database (``bench/results/bench.sqlite3``, or
   ``DATABASE_URL`` when it is set), generates the event with
   ``manage.py generate_event`` and collects the static files into
   ``bench/results/static``;
2. fetches every page once in this process with Django's test client, on a
   fresh local-memory cache, counting its SQL queries (cold, then warm);
3. writes a copy of the schedule page into the static files
   (``bench-static-<bytes>.html``, with the ``.gz`` beside it that
   collectstatic would have made) so that WhiteNoise serves a file of exactly
   its size;
4. starts gunicorn with ``deploy/gunicorn.conf.py`` and production settings
   (DEBUG off, a throwaway SECRET_KEY) on a free loopback port, with a cache
   that every process shares (``CACHE_URL`` when set, else the local Redis,
   database 14, when it answers), and loads each URL for a bounded time with
   ``wrk`` (or, without it, a small thread-based load generator below),
   sending ``Accept-Encoding: gzip`` as browsers do; the static file is
   loaded before the first page and after each;
5. times the first request for the schedule page after a talk's title
   changes (the change made through the ORM in another process) and checks
   that the page shows it;
6. stops gunicorn (also on errors and Ctrl-C), prints the table and writes it
   to ``bench/results/latest.md`` with the facts of the machine.

The cache must be shared for the cold measurement to mean anything: with a
local-memory cache in each worker, an edit made in another process cannot
make the workers' copies stale, and the report says the page missed the edit.

The static file's throughput is the yardstick: on a noisy or slow machine the
ratio of each page to the static runs on either side of it means more than
its requests per second.
"""

import argparse
import contextlib
import gzip
import http.client
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results"
GUNICORN_CONFIG = PROJECT / "deploy" / "gunicorn.conf.py"
HOST = "127.0.0.1"
# The local Redis database the benchmark uses when CACHE_URL is not set; the
# test suite flushes the one it is given (CI: 15), so this one is apart.
LOCAL_REDIS_CACHE_URL = "redis://127.0.0.1:6379/14"
REQUEST_HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "conference-bench"}
EDIT_MARK = " [bench edit "
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


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says why."""


@dataclass
class Page:
    """One URL under test and what was measured of it."""

    label: str
    path: str
    html_bytes: int = 0
    status: int = 0
    queries_cold: int | None = None
    queries_warm: int | None = None
    wire_bytes: int = 0
    encoding: str = ""
    load: "LoadResult | None" = None
    # The page's rate over the static file's around it.
    ratio: float | None = None
    # The static file's own runs, one before the first page and one after each.
    runs: list = field(default_factory=list)


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


@dataclass
class ColdResult:
    milliseconds: list = field(default_factory=list)
    fresh: list = field(default_factory=list)


def parse_arguments(argv):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        description="Benchmark the public pages of a generated event under gunicorn.",
    )
    parser.add_argument("--slug", default="bench", help="The generated event's slug.")
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--slots", type=int, default=10)
    parser.add_argument(
        "--duration",
        type=float,
        default=float(os.environ.get("BENCH_DURATION", 10)),
        help="Seconds of load per URL (BENCH_DURATION, default 10).",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=float(os.environ.get("BENCH_WARMUP", 2)),
        help="Seconds of unmeasured load per URL first (BENCH_WARMUP, default 2).",
    )
    parser.add_argument(
        "--static-duration",
        type=float,
        default=float(os.environ.get("BENCH_STATIC_DURATION", 0)) or None,
        help="Seconds of load on the static file before and after each page "
        "(BENCH_STATIC_DURATION, default half of --duration).",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=int(os.environ.get("BENCH_CONNECTIONS", 8)),
        help="Concurrent connections (BENCH_CONNECTIONS, default 8).",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("BENCH_WORKERS", 2 * cores)),
        help=f"Gunicorn workers (BENCH_WORKERS, default 2 × cores = {2 * cores}).",
    )
    parser.add_argument(
        "--tool",
        choices=("auto", "wrk", "python"),
        default=os.environ.get("BENCH_TOOL", "auto"),
        help="Load generator: wrk when installed (auto), or the built-in Python one.",
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL") or os.environ.get("CACHE_URL"),
        help=(
            "The cache gunicorn uses (BENCH_CACHE_URL, else CACHE_URL, else "
            f"{LOCAL_REDIS_CACHE_URL} when it answers, else local memory)."
        ),
    )
    parser.add_argument(
        "--cold-repeats",
        type=int,
        default=3,
        help="How many times to edit a talk and time the next schedule request.",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep the event if it exists instead of generating it anew.",
    )
    parser.add_argument(
        "--output", type=Path, default=RESULTS / "latest.md", help="Where to write the table."
    )
    args = parser.parse_args(argv)
    for name in ("duration", "connections", "workers"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name} must be positive")
    if args.warmup < 0 or args.cold_repeats < 0:
        parser.error("--warmup and --cold-repeats must not be negative")
    if args.static_duration is None:
        args.static_duration = args.duration / 2
    elif args.static_duration <= 0:
        parser.error("--static-duration must be positive")
    return args


# -- The environment and the processes it runs -------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def redis_answers(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or HOST, parts.port or 6379), 1) as redis:
            redis.sendall(b"PING\r\n")
            return redis.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def shared_cache_url(args):
    """The cache URL for every process of the run, or "" for local memory."""
    if args.cache_url:
        return args.cache_url
    if redis_answers(LOCAL_REDIS_CACHE_URL):
        return LOCAL_REDIS_CACHE_URL
    print(
        f"bench: no Redis answers at {LOCAL_REDIS_CACHE_URL}: each worker caches on its own, "
        "so the cold measurement cannot see edits (set CACHE_URL to a shared cache).",
        file=sys.stderr,
    )
    return ""


def bench_environment(args, port, cache_url):
    """Production settings on loopback: the one environment every process of the run shares."""
    env = dict(os.environ)
    env.update(
        CACHE_URL=cache_url or "locmemcache://",
        DJANGO_SETTINGS_MODULE="conference.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{RESULTS / 'bench.sqlite3'}",
        STATIC_ROOT=str(RESULTS / "static"),
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_BIND=f"{HOST}:{port}",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *arguments, timeout=900):
    """Run ``manage.py`` in its own process; its output goes straight to the terminal."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=PROJECT, env=env, timeout=timeout
    )
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(arguments)} failed (status {result.returncode})")
    return time.perf_counter() - started


def prepare_database(args, env):
    """Migrate, generate the event (unless reused) and collect the static files."""
    manage(env, "migrate", "--no-input", "-v", "0")
    generated_in = None
    reuse = args.reuse and (
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-v",
                "0",
                "-c",
                "import sys; from conference.models import Event; "
                f"sys.exit(0 if Event.objects.filter(slug={args.slug!r}).exists() else 1)",
            ],
            cwd=PROJECT,
            env=env,
            timeout=120,
        ).returncode
        == 0
    )
    if not reuse:
        generated_in = manage(
            env,
            "generate_event",
            "--slug",
            args.slug,
            "--days",
            str(args.days),
            "--rooms",
            str(args.rooms),
            "--slots",
            str(args.slots),
            "--replace",
        )
    static_root = Path(env["STATIC_ROOT"])
    shutil.rmtree(static_root, ignore_errors=True)
    manage(env, "collectstatic", "--no-input", "-v", "0")
    return generated_in


@contextlib.contextmanager
def gunicorn(env, log_path):
    """Gunicorn in its own process group, stopped whatever happens."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(GUNICORN_CONFIG),
                "conference.wsgi:application",
            ],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop_process_group(process)


def stop_process_group(process):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def wait_until_serving(process, port, path, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited (status {process.returncode}):\n{tail(log_path)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if fetch(port, path).status == 200:
                return
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer within {timeout} s:\n{tail(log_path)}")


def tail(path, lines=20):
    with contextlib.suppress(OSError):
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    return ""


# -- One request -------------------------------------------------------------


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


# -- In-process: the pages, their sizes and their queries --------------------


def probe_pages(env, slug):
    """Every page fetched twice with the test client, counting SQL queries.

    Runs Django in this process on a private, empty local-memory cache, so
    the first fetch is uncached whatever CACHE_URL the server uses.
    """
    os.environ.update(env, CACHE_URL="locmemcache://bench-probe")
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from conference.models import Event
    from schedule.models import Talk

    event = Event.objects.get(slug=slug)
    talks = list(Talk.objects.filter(event=event).order_by("start", "pk").values_list("slug"))
    if not talks:
        raise BenchError(f'the event "{slug}" has no talks')
    middle_day = event.days[len(event.days) // 2]
    kwargs = {"event_slug": slug}
    pages = [
        Page("schedule, all days", reverse("schedule:schedule", kwargs=kwargs)),
        Page(
            f"schedule, one day ({middle_day.isoformat()})",
            f"{reverse('schedule:schedule', kwargs=kwargs)}?day={middle_day.isoformat()}",
        ),
        Page(
            "talk page",
            reverse(
                "schedule:talk_detail", kwargs={**kwargs, "talk_slug": talks[len(talks) // 2][0]}
            ),
        ),
        Page("speakers", reverse("speakers:speaker_list", kwargs=kwargs)),
        Page("schedule.ics", reverse("schedule:schedule_ics", kwargs=kwargs)),
        Page("schedule.xml", reverse("schedule:schedule_xml", kwargs=kwargs)),
        Page("schedule.json", reverse("schedule:schedule_json", kwargs=kwargs)),
    ]
    client = Client(HTTP_HOST=HOST)
    bodies = {}
    for page in pages:
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.path)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
            counts.append(len(queries))
        page.queries_cold, page.queries_warm = counts
        page.status = response.status_code
        page.html_bytes = len(body)
        bodies[page.path] = body
    facts = {
        "database": database_description(connection),
        "django": django.get_version(),
        "talks": len(talks),
        "speakers": event_speaker_count(event),
        "rooms": event.rooms.count(),
        "days": len(event.days),
    }
    connection.close()
    return pages, bodies, facts


def event_speaker_count(event):
    from speakers.models import Speaker

    return Speaker.objects.filter(talks__event=event).distinct().count()


def database_description(connection):
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (file)"
    return connection.vendor


def write_static_copy(static_root, body):
    """The schedule page as a static file of the same size, with its gzip alternative."""
    for old in Path(static_root).glob("bench-static-*"):
        old.unlink()
    name = f"bench-static-{len(body)}.html"
    path = Path(static_root) / name
    path.write_bytes(body)
    # Collectstatic (CompressedManifestStaticFilesStorage) writes a .gz beside
    # every compressible file and WhiteNoise serves it to clients that accept gzip.
    Path(f"{path}.gz").write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    return name


# -- Load --------------------------------------------------------------------


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


def measure_static_again(port, static, *, load, connections, duration):
    """Another run on the static file; its load sums up every run so far."""
    this_run = measure(
        port, Page(static.label, static.path), load=load, connections=connections, duration=duration
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


# -- Cold: the first request after an edit -----------------------------------


def edit_a_talk(env, slug):
    """Change the first talk's title in another process, as an organiser's edit would.

    Returns the mark now in the title (plain text, which HTML and the exports
    leave as it is).
    """
    mark = f"{EDIT_MARK}{secrets.token_hex(4)}]"
    code = (
        "from schedule.models import Talk; "
        f"talk = Talk.objects.filter(event__slug={slug!r}).order_by('start', 'pk').first(); "
        f"talk.title = talk.title.split({EDIT_MARK!r})[0] + {mark!r}; "
        "talk.save()"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise BenchError(f"editing a talk failed:\n{result.stderr}")
    return mark.strip()


def measure_cold(env, port, slug, path, repeats):
    cold = ColdResult()
    for _ in range(repeats):
        mark = edit_a_talk(env, slug)
        fetched = fetch(port, path)
        cold.milliseconds.append(fetched.seconds * 1000)
        cold.fresh.append(fetched.status == 200 and mark in fetched.text())
    return cold


# -- The report --------------------------------------------------------------


def machine_facts():
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "system": platform.platform(terse=True),
        "python": platform.python_version(),
    }


def git_revision():
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        return f"{head} (with uncommitted changes)" if dirty else head
    return "unknown"


def wrk_version():
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        output = subprocess.run(
            ["wrk", "--version"], capture_output=True, text=True, timeout=10
        ).stdout
        return output.split(" [")[0].strip() or "wrk"
    return "wrk"


def cache_description(url):
    if not url:
        return "local memory, one per worker (not shared)"
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    # Never the password a URL may carry.
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


def number(value, digits=0):
    return f"{value:,.{digits}f}"


def report(*, args, pages, static, cold, facts, machine, tool, cache, generated_in, command):
    rates = [run.per_second for run in static.runs]
    lines = [
        f"# Benchmark: {facts['talks']} talks, {facts['speakers']} speakers, "
        f"{facts['rooms']} rooms, {facts['days']} days",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, commit {git_revision()}; `{command}`.",
        "",
        "| page | req/s | × static | median ms | p99 ms | errors | HTML bytes "
        "| sent bytes | SQL cold / warm |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in [static, *pages]:
        load = page.load
        ratio = page.ratio or 0.0
        queries = "–" if page.queries_cold is None else f"{page.queries_cold} / {page.queries_warm}"
        encoding = "" if page.encoding == "identity" else f" ({page.encoding})"
        lines.append(
            f"| {page.label} `{page.path}` | {number(load.per_second)} | {ratio:.2f} "
            f"| {number(load.p50_ms, 1)} | {number(load.p99_ms, 1)} "
            f"| {load.socket_errors + load.status_errors} | {number(page.html_bytes)} "
            f"| {number(page.wire_bytes)}{encoding} | {queries} |"
        )
    lines.append("")
    if cold.milliseconds:
        fresh = ", ".join("yes" if shown else "**no**" for shown in cold.fresh)
        lines.append(
            f"Cold: the first request for `{pages[0].path}` after a talk's title changed "
            f"(saved through the ORM in another process) took "
            f"{', '.join(f'{ms:,.0f}' for ms in cold.milliseconds)} ms "
            f"(median {statistics.median(cold.milliseconds):,.0f} ms); "
            f"the page showed the new title: {fresh}."
        )
        lines.append("")
    lines += [
        f"Load: {tool}, {args.connections} connections, {args.duration:g} s per URL after "
        f"{args.warmup:g} s of warm-up, `Accept-Encoding: gzip`. Errors are socket errors and "
        "non-2xx responses. SQL queries are counted in-process (test client, empty "
        "local-memory cache): the first fetch, then the second. The static file is a copy of "
        "the schedule page served by WhiteNoise from the same gunicorn (with the `.gz` "
        f"collectstatic makes), loaded for {args.static_duration:g} s before the first page "
        "and after each; × static is a page's rate over the mean of the static runs just "
        f"before and after it. The static runs gave {min(rates):,.0f} to {max(rates):,.0f} "
        f"req/s ({len(rates)} runs; its row sums them up).",
        "",
        f"Machine: {machine['cores']} cores, {machine['cpu']}, {machine['memory']} memory, "
        f"{machine['system']}; Python {machine['python']}, Django {facts['django']}, "
        f"gunicorn {importlib.metadata.version('gunicorn')} ({args.workers} sync workers, "
        f"`deploy/gunicorn.conf.py`); database {facts['database']}; cache "
        f"{cache}.",
    ]
    if generated_in is not None:
        lines += ["", f"Generating the event took {generated_in:.1f} s."]
    return "\n".join(lines) + "\n"


# -- The run -----------------------------------------------------------------


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_arguments(argv)
    command = " ".join(["python bench/run.py", *argv])
    if os.environ.get("MAKELEVEL"):
        command = f"make bench ({command})"
    if args.tool == "wrk" and not wrk_available():
        raise BenchError("wrk is not installed (apt-get install wrk), or use --tool python")
    use_wrk = args.tool == "wrk" or (args.tool == "auto" and wrk_available())
    load = load_with_wrk if use_wrk else load_with_threads
    tool = wrk_version() if use_wrk else "the built-in Python load generator (threads)"

    RESULTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cache_url = shared_cache_url(args)
    cache = cache_description(cache_url)
    env = bench_environment(args, port, cache_url)
    print(f"Preparing the {args.days * args.rooms * args.slots}-talk event...", flush=True)
    generated_in = prepare_database(args, env)
    pages, bodies, facts = probe_pages(env, args.slug)
    broken = [page for page in pages if page.status != 200]
    if broken:
        raise BenchError(
            "these pages do not answer 200: "
            + ", ".join(f"{page.path} ({page.status})" for page in broken)
        )
    static_name = write_static_copy(env["STATIC_ROOT"], bodies[pages[0].path])
    static = Page("static file", f"/static/{static_name}", html_bytes=pages[0].html_bytes)

    log_path = RESULTS / "gunicorn.log"
    with gunicorn(env, log_path) as process:
        wait_until_serving(process, port, static.path, log_path)
        print(f"gunicorn is serving on http://{HOST}:{port}/ ({args.workers} workers)", flush=True)
        # The static file is loaded before the first page and after each, and
        # every page compared with the runs around it: on a machine whose load
        # drifts, neighbours are fairer than one run at the start.
        load_options = {"load": load, "connections": args.connections}
        print(f"  {static.label}: {static.path}", flush=True)
        if args.warmup:
            load(port, static.path, connections=args.connections, duration=args.warmup)
        before = measure_static_again(port, static, duration=args.static_duration, **load_options)
        for page in pages:
            print(f"  {page.label}: {page.path}", flush=True)
            measure(port, page, duration=args.duration, warmup=args.warmup, **load_options)
            after = measure_static_again(
                port, static, duration=args.static_duration, **load_options
            )
            page.ratio = page.load.per_second / ((before.per_second + after.per_second) / 2)
            before = after
        cold = measure_cold(env, port, args.slug, pages[0].path, args.cold_repeats)

    table = report(
        args=args,
        pages=pages,
        static=static,
        cold=cold,
        facts=facts,
        machine=machine_facts(),
        tool=tool,
        cache=cache,
        generated_in=generated_in,
        command=command,
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(table)
    print()
    print(table)
    print(f"Written to {args.output}")


def _stop_on_terminate(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    try:
        main()
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("bench: interrupted; gunicorn stopped.", file=sys.stderr)
        sys.exit(130)
