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
   sending ``Accept-Encoding: gzip`` as browsers do (``--encoding br`` or
   ``identity`` for the other clients); each page's static file, a copy of
   its body, is loaded just before it and just after;
5. times the first request for the schedule page after a talk's title
   changes (the change made through the ORM in another process) and checks
   that the page shows it;
6. stops gunicorn (also on errors and Ctrl-C), prints the table and writes it
   to ``bench/results/latest.md`` with the facts of the machine.

The cache must be shared for the cold measurement to mean anything: with a
local-memory cache in each worker, an edit made in another process cannot
make the workers' copies stale, and the report says the page missed the edit.

A static file's throughput is the yardstick: on a noisy or slow machine the
ratio of each page to the runs of its static copy on either side of it means
more than its requests per second.

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
import statistics
import subprocess
import sys
from pathlib import Path

from cold import measure_cold
from http_client import ENCODINGS, HOST, accept_encoding, fetch
from load import (
    load_with_threads,
    load_with_wrk,
    measure,
    measure_static_again,
    wrk_available,
    wrk_version,
)
from pages import Page, probe_pages, write_static_copies
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
    worker_memory,
)
from report import cache_description, machine_facts, report

# Talks: (days, rooms, slots) of the generated event; 33 is the size of the 2012 agenda.
SIZES = {33: (1, 3, 11), 900: (3, 30, 10), 9100: (7, 100, 13)}


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
        "--encoding",
        choices=ENCODINGS,
        default=os.environ.get("BENCH_ENCODING", "gzip"),
        help="What every request asks for in Accept-Encoding (BENCH_ENCODING, default "
        "gzip; identity asks for the plain body). The static file has its .gz and .br.",
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
    parser.add_argument(
        "--json", type=Path, help="Also write the figures as JSON here (for --sizes)."
    )
    parser.add_argument(
        "--sizes",
        help="Run the whole benchmark once per event size and print a table of how the "
        f"figures grow: talk counts, comma-separated, among {', '.join(map(str, SIZES))} "
        "(each run's own table lands in latest-<talks>.md beside --output).",
    )
    args = parser.parse_args(argv)
    if args.sizes:
        try:
            args.sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
        except ValueError:
            parser.error(f"--sizes takes talk counts among {', '.join(map(str, SIZES))}")
        unknown = [size for size in args.sizes if size not in SIZES]
        if unknown:
            parser.error(
                f"--sizes: no event of {unknown[0]} talks; choose among "
                + ", ".join(map(str, SIZES))
            )
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
    accept_encoding(args.encoding)
    if args.sizes:
        run_sizes(args, argv)
        return
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
    # Each page is compared with a static file of its own size (the schedule's
    # is the first): a 1.5 MB export against a 1 MB file would look slower than it is.
    static_names = write_static_copies(env["STATIC_ROOT"], [bodies[page.path] for page in pages])
    static = Page(
        "static file (the first page's size)",
        f"/static/{static_names[0]}",
        html_bytes=pages[0].html_bytes,
    )

    log_path = RESULTS / "gunicorn.log"
    with gunicorn(env, log_path) as process:
        wait_until_serving(process, port, static.path, log_path)
        print(f"gunicorn is serving on http://{HOST}:{port}/ ({args.workers} workers)", flush=True)
        # Each page's static file is loaded just before it and just after, and the
        # page compared with the runs around it: on a machine whose load drifts,
        # neighbours are fairer than one run at the start.
        load_options = {"load": load, "connections": args.connections}
        print(f"  {static.label}: {static.path}", flush=True)
        if args.warmup:
            load(port, static.path, connections=args.connections, duration=args.warmup)
        for page, static_name in zip(pages, static_names, strict=True):
            yardstick = f"/static/{static_name}"
            print(f"  {page.label}: {page.path} (static: {yardstick})", flush=True)
            before = measure_static_again(
                port, static, path=yardstick, duration=args.static_duration, **load_options
            )
            measure(port, page, duration=args.duration, warmup=args.warmup, **load_options)
            after = measure_static_again(
                port, static, path=yardstick, duration=args.static_duration, **load_options
            )
            page.static_per_second = (before.per_second + after.per_second) / 2
            page.ratio = page.load.per_second / page.static_per_second
        # After every page was served (and loaded): what the workers hold at the end.
        memory = worker_memory(process.pid)
        cold = measure_cold(env, port, args.slug, pages[0].path, args.cold_repeats)
        # Last, as it moves every talk of the event (an hour later) and releases that;
        # then the first request after it, when no stored piece of the page is current.
        print("  releasing the event with every talk moved", flush=True)
        release = measure_release(env, args.slug)
        after_release = fetch(port, pages[0].path)
        release["cold_ms"] = after_release.seconds * 1000
        release["cold_cpu_ms"] = after_release.cpu_ms

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
        memory=memory,
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(table)
    print()
    print(table)
    print(f"Written to {args.output}")
    if args.json:
        figures = {
            "talks": facts["talks"],
            "cold_ms": cold.milliseconds,
            "cold_cpu_ms": cold.cpu_milliseconds,
            "cold_after_release_cpu_ms": release["cold_cpu_ms"],
            "cold_after_release_ms": release["cold_ms"],
            "memory_mib": memory,
            "pages": [
                {
                    "label": page.label.split(" (")[0],
                    "per_second": page.load.per_second,
                    "ratio": page.ratio,
                    "p99_ms": page.load.p99_ms,
                }
                for page in pages
            ],
        }
        args.json.write_text(json.dumps(figures))


def run_sizes(args, argv):
    """``--sizes``: this benchmark once per size, each in a process of its own; the scale table."""
    passed = _without_option(argv, "--sizes")
    passed = _without_option(passed, "--output")
    # Each size is generated anew: a kept event would be the last size's.
    passed = [argument for argument in passed if argument != "--reuse"]
    runs = []
    for size in args.sizes:
        days, rooms, slots = SIZES[size]
        output = args.output.with_name(f"latest-{size}.md")
        figures = output.with_suffix(".json")
        print(
            f"== {size} talks: {rooms} rooms × {slots} slots on each of {days} day(s)", flush=True
        )
        sizing = ["--days", str(days), "--rooms", str(rooms), "--slots", str(slots)]
        subprocess.run(
            [
                sys.executable,
                __file__,
                *passed,
                *sizing,
                "--output",
                str(output),
                "--json",
                str(figures),
            ],
            check=True,
        )
        runs.append(json.loads(figures.read_text()))
    table = scale_table(runs, command=" ".join(["python bench/run.py", *argv]))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(table)
    print()
    print(table)
    print(f"Written to {args.output}")


def _without_option(argv, name):
    """``argv`` without ``name`` and its value (``--name value`` or ``--name=value``)."""
    kept, skip = [], False
    for argument in argv:
        if skip:
            skip = False
        elif argument == name:
            skip = True
        elif not argument.startswith(f"{name}="):
            kept.append(argument)
    return kept


def _median_or_dash(values):
    values = [value for value in values or () if value is not None]
    return f"{statistics.median(values):,.1f}" if values else "–"


def scale_table(runs, *, command):
    """The figures of each size side by side: how they grow with the event."""
    head = " | ".join(f"{run['talks']:,} talks" for run in runs)
    lines = [
        "# Benchmark by event size",
        "",
        f"`{command}`; each size's own table is in `latest-<talks>.md` beside this one.",
        "",
        f"| | {head} |",
        "| --- |" + " ---: |" * len(runs),
        "| cold after one edit, median ms | "
        + " | ".join(f"{statistics.median(run['cold_ms']):,.0f}" for run in runs)
        + " |",
        "| cold after one edit, worker CPU, median ms | "
        + " | ".join(_median_or_dash(run.get("cold_cpu_ms")) for run in runs)
        + " |",
        "| cold after every talk moved, ms | "
        + " | ".join(f"{run['cold_after_release_ms']:,.0f}" for run in runs)
        + " |",
        "| cold after every talk moved, worker CPU ms | "
        + " | ".join(_median_or_dash([run.get("cold_after_release_cpu_ms")]) for run in runs)
        + " |",
        "| worker memory, MiB (largest) | "
        + " | ".join(f"{max(run['memory_mib']):,.0f}" if run["memory_mib"] else "–" for run in runs)
        + " |",
    ]
    for index, page in enumerate(runs[0]["pages"]):
        cells = []
        for run in runs:
            each = run["pages"][index]
            cells.append(
                f"{each['per_second']:,.0f} req/s, {each['ratio']:.2f}× static, "
                f"p99 {each['p99_ms']:,.0f} ms"
            )
        lines.append(f"| {page['label']} | " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines)


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
