"""``make loadtest``: the public pages of a 900-talk event under load, with a database restart.

One run, against PostgreSQL only (``DATABASE_URL``):

1. (``--create-db``) creates the database with ``createdb`` when it does not
   exist; migrates it, generates the event with ``manage.py generate_event
   --replace`` and collects the static files (``bench/run.py``'s
   ``prepare_database``);
2. saves a talk edit (a mark in a title, through the ORM in another process)
   and counts the events, talks and speakers;
3. starts gunicorn with production settings on a free loopback port
   (``bench/run.py``'s environment and process handling) and loads it for a
   bounded time with N client threads (``http.client``, keep-alive) over a
   mix of public URLs, half of them cache-missing (unique ``?v=`` on talk
   pages, ``?q=<word>`` schedule searches, since the cache key includes the
   query string);
4. (``--restart-db``) stops PostgreSQL at about a third of the run, keeps it
   down for ``--db-down`` seconds and starts it again, without touching
   gunicorn; every 503 must be the friendly page ("Back in a moment", no
   traceback), and a cache-missing request must succeed again within
   ``--recovery-bar`` seconds of the database answering;
5. stops gunicorn (also on errors and Ctrl-C), checks that the counts and the
   edited talk are unchanged, and prints the report.

Exit status 0 only when every bar is met: no 5xx other than 503, no socket
errors, friendly 503s, recovery within the bar, the same gunicorn master and
no worker timeouts, nothing saved lost.
"""

import argparse
import contextlib
import gzip
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    HOST,
    PROJECT,
    REQUEST_HEADERS,
    RESULTS,
    BenchError,
    bench_environment,
    edit_a_talk,
    free_port,
    gunicorn,
    percentile,
    prepare_database,
    shared_cache_url,
    tail,
    wait_until_serving,
)

FRIENDLY_TEXT = "Back in a moment"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
# What the subprocess below prints: the facts "nothing saved is lost" compares.
FACTS_CODE = """
import json
from conference.models import Event
from schedule.models import Talk
from speakers.models import Speaker
event = Event.objects.get(slug={slug!r})
talks = Talk.objects.filter(event=event).order_by("start", "pk")
edited = talks.first()
print("LOADTEST-JSON " + json.dumps({{
    "events": Event.objects.count(),
    "talks": Talk.objects.count(),
    "speakers": Speaker.objects.count(),
    "edited_talk": [edited.pk, edited.title],
    "talk_slugs": list(talks.values_list("slug", flat=True)),
    "titles": list(talks.values_list("title", flat=True)[:200]),
    "speaker_slugs": list(
        Speaker.objects.filter(talks__event=event).distinct().values_list("slug", flat=True)[:50]
    ),
    "days": [day.isoformat() for day in event.days],
}}))
"""


def parse_arguments(argv):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        description="Load the public pages of a generated event under gunicorn on PostgreSQL, "
        "optionally restarting the database in the middle.",
    )
    parser.add_argument("--slug", default="loadtest", help="The generated event's slug.")
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--slots", type=int, default=10)
    parser.add_argument("--duration", type=float, default=40, help="Seconds of load (40).")
    parser.add_argument("--clients", type=int, default=8, help="Concurrent clients (8).")
    parser.add_argument(
        "--workers", type=int, default=2 * cores, help=f"Gunicorn workers ({2 * cores})."
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL") or os.environ.get("CACHE_URL"),
        help="The cache gunicorn uses (as for bench/run.py).",
    )
    parser.add_argument(
        "--create-db", action="store_true", help="createdb the DATABASE_URL database first."
    )
    parser.add_argument(
        "--restart-db",
        action="store_true",
        help="Stop and start PostgreSQL once, at about a third of the run.",
    )
    parser.add_argument(
        "--db-down",
        type=float,
        default=3,
        help="Seconds PostgreSQL stays down during --restart-db (3; 0 = a plain restart).",
    )
    parser.add_argument(
        "--pg-cluster",
        default=None,
        help="The cluster pg_ctlcluster restarts, as 'VERSION NAME' (default: the only "
        "version in /etc/postgresql, cluster main).",
    )
    parser.add_argument(
        "--search",
        action="store_true",
        help="Make a quarter of the cache-missing requests schedule searches (?q=<word>); "
        "off by default: a search of the 900-talk schedule takes about 5 s, which "
        "saturates the workers and hides the database's recovery behind the queue.",
    )
    parser.add_argument(
        "--recovery-bar",
        type=float,
        default=10,
        help="Seconds within which a cache-missing request must succeed once the "
        "database answers again (10).",
    )
    args = parser.parse_args(argv)
    for name in ("duration", "clients", "workers", "recovery_bar"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be positive")
    if args.restart_db and not 0 <= args.db_down < args.duration / 3:
        parser.error("--db-down must be between 0 and a third of --duration")
    args.reuse = False  # prepare_database's option: always generate anew (--replace)
    return args


# -- PostgreSQL --------------------------------------------------------------


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise BenchError(
            "the load test needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/NAME "
            f"(it is {'unset' if not url else repr(parts.scheme + '://...')}); "
            "use a throwaway database, the event is replaced in it"
        )
    if not parts.path.strip("/"):
        raise BenchError("DATABASE_URL names no database")
    return url


def create_database(url):
    parts = urlsplit(url)
    command = ["createdb", "-h", parts.hostname or HOST, "-p", str(parts.port or 5432)]
    if parts.username:
        command += ["-U", parts.username]
    command.append(parts.path.strip("/"))
    environment = dict(os.environ)
    if parts.password:
        environment["PGPASSWORD"] = parts.password
    result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)
    if result.returncode != 0 and "already exists" not in result.stderr:
        raise BenchError(f"createdb failed: {result.stderr.strip()}")
    print(
        f"Database {parts.path.strip('/')}: "
        + ("created." if result.returncode == 0 else "already exists, used as it is."),
        flush=True,
    )


def database_answers(url):
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def pg_cluster(args):
    if args.pg_cluster:
        return args.pg_cluster.split()
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if len(versions) != 1:
        raise BenchError("cannot tell which PostgreSQL cluster to restart: use --pg-cluster")
    return [versions[0], "main"]


def pg_ctlcluster(cluster, action):
    result = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, action],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise BenchError(f"pg_ctlcluster {action} failed: {result.stderr.strip()}")


def check_restartable(url, args):
    if urlsplit(url).hostname not in LOOPBACK_NAMES:
        raise BenchError("--restart-db restarts the local cluster: DATABASE_URL must be loopback")
    if shutil.which("pg_ctlcluster") is None:
        raise BenchError("--restart-db needs pg_ctlcluster (Debian's postgresql-common)")
    return pg_cluster(args)


@dataclass
class Outage:
    stop_at: float = 0.0  # seconds since the load began
    stopped_at: float = 0.0
    started_at: float = 0.0
    back_at: float = 0.0  # a fresh connection answered
    error: str = ""


def restart_database(url, cluster, down_seconds, begun, outage):
    """Stop PostgreSQL, wait, start it, and note when it answers again."""
    try:
        outage.stop_at = time.monotonic() - begun
        if down_seconds:
            pg_ctlcluster(cluster, "stop")
            outage.stopped_at = time.monotonic() - begun
            time.sleep(down_seconds)
            outage.started_at = time.monotonic() - begun
            pg_ctlcluster(cluster, "start")
        else:
            pg_ctlcluster(cluster, "restart")
            outage.stopped_at = outage.started_at = time.monotonic() - begun
        deadline = time.monotonic() + 60
        while not database_answers(url):
            if time.monotonic() > deadline:
                raise BenchError("PostgreSQL did not answer within 60 s of its start")
            time.sleep(0.05)
        outage.back_at = time.monotonic() - begun
    except Exception as error:  # reported, and the run fails
        outage.error = str(error)


# -- The data that must survive ----------------------------------------------


def database_facts(env, slug):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", FACTS_CODE.format(slug=slug)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    for line in result.stdout.splitlines():
        if line.startswith("LOADTEST-JSON "):
            return json.loads(line.removeprefix("LOADTEST-JSON "))
    raise BenchError(f"reading the database failed:\n{result.stderr}")


# -- The load ----------------------------------------------------------------


@dataclass
class Sample:
    started: float  # seconds since the load began
    seconds: float
    status: int  # 0: a socket error
    missing: bool  # meant to miss the page cache
    path: str
    problem: str = ""  # for a 5xx: what was wrong with its body


def url_mix(slug, facts, search=False):
    """Two makers of paths: one for cached pages, one for cache-missing ones."""
    talks, speakers, days = facts["talk_slugs"], facts["speaker_slugs"], facts["days"]
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

    def missing(rng):
        with lock:
            n = next(counter)
        if search and n % 4 == 3:  # a quarter of the misses: a search on the schedule
            return f"{base}/schedule/?q={quote(rng.choice(words))}&v={n}"
        return f"{base}/talks/{rng.choice(talks)}/?v={n}"

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


# -- Gunicorn's processes ----------------------------------------------------


def worker_pids(master_pid):
    children = set()
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{master_pid}/task").iterdir():
            children |= {int(pid) for pid in (task / "children").read_text().split()}
    return children


# -- The run -----------------------------------------------------------------


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_arguments(argv)
    command = " ".join(["python bench/loadtest.py", *argv])
    url = postgres_url()
    cluster = check_restartable(url, args) if args.restart_db else None
    if args.create_db:
        create_database(url)
    RESULTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cache_url = shared_cache_url(args)
    env = bench_environment(args, port, cache_url)
    # Info level, so that the log shows workers recycled by max_requests (the
    # access log stays off).
    env["GUNICORN_LOG_LEVEL"] = "info"
    print(f"Preparing the {args.days * args.rooms * args.slots}-talk event...", flush=True)
    prepare_database(args, env)

    mark = edit_a_talk(env, args.slug)
    before = database_facts(env, args.slug)
    if mark not in before["edited_talk"][1]:
        raise BenchError("the talk edit did not show when read back")
    cached, missing = url_mix(args.slug, before, args.search)

    log_path = RESULTS / "loadtest-gunicorn.log"
    outage = Outage()
    with gunicorn(env, log_path) as process:
        wait_until_serving(process, port, cached[1], log_path)
        workers_before = worker_pids(process.pid)
        print(
            f"gunicorn is serving on http://{HOST}:{port}/ ({args.workers} workers, "
            f"master {process.pid}); {args.clients} clients for {args.duration:g} s"
            + (f", PostgreSQL down for {args.db_down:g} s at ~1/3" if args.restart_db else ""),
            flush=True,
        )
        begun = time.monotonic()
        restarter = None
        if args.restart_db:
            restarter = threading.Timer(
                args.duration / 3,
                restart_database,
                args=(url, cluster, args.db_down, begun, outage),
            )
            restarter.daemon = True
            restarter.start()
        try:
            samples = load(
                port, cached, missing, clients=args.clients, duration=args.duration, begun=begun
            )
            if restarter is not None:
                restarter.join(timeout=120)
        finally:
            if restarter is not None:
                restarter.cancel()
                # Never leave the cluster stopped, whatever happened.
                if not database_answers(url):
                    with contextlib.suppress(BenchError, subprocess.SubprocessError):
                        pg_ctlcluster(cluster, "start")
        master_alive = process.poll() is None
        workers_after = worker_pids(process.pid)
    after = database_facts(env, args.slug)
    (RESULTS / "loadtest-samples.json").write_text(
        json.dumps([sample.__dict__ for sample in samples])
    )

    return report(
        args=args,
        command=command,
        samples=samples,
        outage=outage,
        before=before,
        after=after,
        master_alive=master_alive,
        workers=(workers_before, workers_after),
        log_path=log_path,
    )


def report(*, args, command, samples, outage, before, after, master_alive, workers, log_path):
    failures = []
    seconds = max((s.started + s.seconds for s in samples), default=0) or args.duration
    latencies = sorted(s.seconds for s in samples)
    by_status = {}
    for sample in samples:
        by_status[sample.status] = by_status.get(sample.status, 0) + 1
    unavailable = [s for s in samples if s.status == 503]
    other_5xx = [s for s in samples if s.status >= 500 and s.status != 503]
    socket_errors = [s for s in samples if s.status == 0]
    unfriendly = [s for s in samples if s.status >= 500 and s.problem]
    misses = [s for s in samples if s.missing]

    print()
    print(f"# Load test: {len(before['talk_slugs'])} talks, `{command}`")
    print()
    print(
        f"requests: {len(samples)} in {seconds:.1f} s = {len(samples) / seconds:,.1f} req/s "
        f"({len(misses)} cache-missing, {len(samples) - len(misses)} cached); "
        f"{args.clients} clients, {args.workers} gunicorn workers"
    )
    print(
        "latency ms: "
        + ", ".join(f"p{p} {percentile(latencies, p) * 1000:,.1f}" for p in (50, 95, 99))
        + f", max {(latencies[-1] if latencies else 0) * 1000:,.1f}"
    )
    for label, group in (("cached", [s for s in samples if not s.missing]), ("missing", misses)):
        ordered = sorted(s.seconds for s in group)
        print(
            f"  {label}: "
            + ", ".join(f"p{p} {percentile(ordered, p) * 1000:,.1f}" for p in (50, 95, 99))
        )
    print(
        "status counts: "
        + ", ".join(
            f"{'socket error' if status == 0 else status}: {count}"
            for status, count in sorted(by_status.items())
        )
    )
    print(f"5xx other than 503: {len(other_5xx)} (bar: 0)")
    if other_5xx:
        failures.append(f"{len(other_5xx)} responses were 5xx other than 503")
        for sample in other_5xx[:5]:
            print(f"  {sample.started:.2f} s {sample.status} {sample.path} {sample.problem}")
        print(f"  gunicorn log ({log_path}):\n{tail(log_path, 60)}")
    if socket_errors:
        failures.append(f"{len(socket_errors)} socket errors")
        print(f"socket errors: {len(socket_errors)}, first: {socket_errors[0].problem}")
    if unavailable:
        print(
            f"503s: {len(unavailable)} between {unavailable[0].started:.2f} s and "
            f"{unavailable[-1].started + unavailable[-1].seconds:.2f} s of the run; "
            f"friendly page ({FRIENDLY_TEXT!r}, no traceback): "
            f"{len(unavailable) - len([s for s in unavailable if s.problem])}/{len(unavailable)}"
        )
    else:
        print("503s: none")
    if unfriendly:
        failures.append(f"{len(unfriendly)} error pages were not the friendly page")
        print(f"  first unfriendly: {unfriendly[0].status} {unfriendly[0].problem}")
    if args.restart_db:
        if outage.error:
            failures.append(f"the database restart failed: {outage.error}")
        print(
            f"database: stop at {outage.stop_at:.2f} s, down at {outage.stopped_at:.2f} s, "
            f"start at {outage.started_at:.2f} s, answering again at {outage.back_at:.2f} s"
        )
        if unavailable:
            # The first 503 tells when the site noticed; the last when it recovered.
            print(
                "503 window vs database: first 503 "
                f"{unavailable[0].started - outage.stop_at:+.2f} s after the stop began, "
                "last 503 ended "
                f"{unavailable[-1].started + unavailable[-1].seconds - outage.back_at:+.2f} s "
                "after the database answered"
            )
        recovered = next(
            (
                s
                for s in samples
                if s.missing
                and s.status == 200
                and s.started >= outage.started_at
                and outage.back_at
            ),
            None,
        )
        if recovered is None:
            failures.append("no cache-missing request succeeded after the database came back")
            print("recovery: no cache-missing request succeeded after the database came back")
        else:
            recovery = recovered.started + recovered.seconds - outage.started_at
            print(
                f"recovery: first successful cache-missing request {recovery:.2f} s after the "
                f"database was started (bar: < {args.recovery_bar:g} s), {recovered.path}"
            )
            if recovery >= args.recovery_bar:
                failures.append(f"recovery took {recovery:.2f} s")
        failed_after = [
            s for s in samples if s.started > outage.back_at + args.recovery_bar and s.status != 200
        ]
        if failed_after:
            failures.append(f"{len(failed_after)} non-200 responses after the recovery bar")
            print(f"non-200 after the recovery bar: {len(failed_after)}")
    log = Path(log_path).read_text(errors="replace") if Path(log_path).exists() else ""
    timeouts = log.count("WORKER TIMEOUT")
    recycled = log.count("Autorestarting worker")
    before_set, after_set = workers
    print(
        f"gunicorn: master still running: {'yes' if master_alive else 'NO'}; never signalled "
        f"during the run (the app was not restarted by hand); workers before "
        f"{sorted(before_set)}, after {sorted(after_set)}; worker timeouts in the log: "
        f"{timeouts}; workers recycled by max_requests: {recycled}"
    )
    if not master_alive:
        failures.append("the gunicorn master exited")
    if timeouts:
        failures.append(f"{timeouts} gunicorn worker timeouts")

    kept = {name: (before[name], after[name]) for name in ("events", "talks", "speakers")}
    same_talk = before["edited_talk"] == after["edited_talk"]
    print(
        "nothing saved lost: "
        + ", ".join(f"{name} {b} -> {a}" for name, (b, a) in kept.items())
        + f"; edited talk #{after['edited_talk'][0]} "
        + ("unchanged" if same_talk else f"CHANGED: {after['edited_talk'][1]!r}")
        + f" ({before['edited_talk'][1]!r})"
    )
    if not same_talk or any(b != a for b, a in kept.values()):
        failures.append("saved data changed")
    if not samples:
        failures.append("no requests were made")

    print()
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    print("PASSED: every bar is met.")
    return 0


def _stop_on_terminate(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"loadtest: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("loadtest: interrupted; gunicorn stopped.", file=sys.stderr)
        sys.exit(130)
