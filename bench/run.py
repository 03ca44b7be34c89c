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
   ``wrk`` (or, without it, a small thread-based load generator),
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

This file parses the options and runs the steps; each step lives in a
module of its own beside it: ``processes.py`` (the environment, the
database's preparation, gunicorn), ``http_client.py`` (one request),
``pages.py`` (step 2 and the static copy of step 3), ``load.py`` (wrk and
the thread-based load generator), ``cold.py`` (step 5) and ``report.py``
(the table and the machine's facts).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from cold import measure_cold
from http_client import HOST
from load import (
    load_with_threads,
    load_with_wrk,
    measure,
    measure_static_again,
    wrk_available,
    wrk_version,
)
from pages import Page, probe_pages, write_static_copy
from processes import (
    LOCAL_REDIS_CACHE_URL,
    PROJECT,
    RESULTS,
    BenchError,
    bench_environment,
    free_port,
    gunicorn,
    prepare_database,
    shared_cache_url,
    wait_until_serving,
)
from report import cache_description, machine_facts, report


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


# -- The run -----------------------------------------------------------------


def measure_release(env, slug):
    """``bench/release_timing.py`` on the bench's event: its JSON line as a dict."""
    finished = subprocess.run(
        [sys.executable, "bench/release_timing.py", "--slug", slug],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if finished.returncode != 0:
        raise BenchError(f"releasing the event failed:\n{finished.stderr}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


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
    # Last, as it moves every talk of the event (an hour later) and releases that.
    print("  releasing the event with every talk moved", flush=True)
    release = measure_release(env, args.slug)

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
        release=release,
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
