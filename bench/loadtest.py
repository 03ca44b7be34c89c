"""``make loadtest``: the public pages of a 900-talk event under load, with a database restart.

One run, against PostgreSQL only (``DATABASE_URL``):

1. (``--create-db``) creates the database with ``createdb`` when it does not
   exist; migrates it, generates the event with ``manage.py generate_event
   --replace`` and collects the static files (``bench/processes.py``'s
   ``prepare_database``);
2. saves a talk edit (a mark in a title, through the ORM in another process)
   and counts the events, talks and speakers;
3. starts gunicorn with production settings on a free loopback port
   (``bench/processes.py``'s environment and process handling) and loads it for a
   bounded time with N client threads (``http.client``, keep-alive) over a
   mix of public URLs, half of them cache-missing (one talk's calendar with
   a fresh id beside it, ``schedule.ics?talks=<id>,<new id>``, and
   ``?q=<word>`` schedule searches in a new mix of capitals: values of
   parameters the pages read, never sent before);
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

This file parses the options and runs the steps; the parts live beside it:
``postgres.py`` (the URL, createdb, the restart), ``saved_data.py`` (what is
read back before and after), ``traffic.py`` (the clients and their URL
mix), ``loadtest_report.py`` (the report and the verdict), and, shared with
``bench/run.py``, ``processes.py``, ``http_client.py``, ``cold.py`` (the talk
edit) and ``load.py`` (percentiles).
"""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cold import edit_a_talk
from http_client import HOST
from loadtest_report import report
from postgres import (
    Outage,
    check_restartable,
    create_database,
    database_answers,
    pg_ctlcluster,
    postgres_url,
    restart_database,
)
from processes import (
    RESULTS,
    BenchError,
    bench_environment,
    free_port,
    gunicorn,
    prepare_database,
    shared_cache_url,
    wait_until_serving,
    worker_pids,
)
from saved_data import database_facts
from traffic import load, url_mix


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
