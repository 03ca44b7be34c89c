"""A flood of random query strings against the generated event, and what it leaves behind.

Starts gunicorn as ``make bench`` does (production settings, the benchmark's
database and event, a Redis cache of its own which it empties first), then:

1. times each canonical page (the schedule, one day of it, a talk, the
   speakers) from the warm cache: ``--samples`` requests one after another;
2. sends ``--requests`` requests with a random unknown parameter each
   (``?k3f9=…``, spread over those pages) at ``--connections``, then as many
   with a random search (``?q=…``, a parameter the schedule reads) while one
   more connection, from a process of its own, keeps timing the cached pages,
   one request after another, until the flood ends (their median and p99);
3. times the canonical pages again, and counts Redis's keys (DBSIZE) and
   memory after each step.

The table gives the medians before and after, their ratio, and the keys:
unknown parameters should add none, searches at most
``PAGE_CACHE_QUERY_VARIANTS`` entries (two keys each: the page and the mark
that counted it).

    .venv/bin/python bench/query_flood.py --reuse --requests 2000
"""

import argparse
import math
import multiprocessing
import os
import re
import secrets
import signal
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis
from http_client import fetch
from processes import (
    LOCAL_REDIS_CACHE_URL,
    RESULTS,
    BenchError,
    bench_environment,
    free_port,
    gunicorn,
    prepare_database,
    redis_answers,
    wait_until_serving,
)


def parse_arguments(argv):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slug", default="bench", help="The generated event's slug.")
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--slots", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="Keep the event if it exists.")
    parser.add_argument("--requests", type=int, default=2000, help="Requests per flood.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--samples", type=int, default=30, help="Timed requests per page.")
    parser.add_argument("--workers", type=int, default=2 * cores, help="Gunicorn workers.")
    parser.add_argument(
        "--output", type=Path, default=RESULTS / "flood.md", help="Where to write the figures."
    )
    parser.add_argument(
        "--many-clients",
        action="store_true",
        help="Count no renders per address, as if each search came from another client: "
        "every search is then rendered (or found stored), none answered 429.",
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL") or os.environ.get("CACHE_URL"),
        help=f"A Redis of the benchmark's own, emptied first (default {LOCAL_REDIS_CACHE_URL}).",
    )
    args = parser.parse_args(argv)
    args.cache_url = args.cache_url or LOCAL_REDIS_CACHE_URL
    if not args.cache_url.startswith("redis://"):
        parser.error("--cache-url must be a redis:// URL: the keys are counted with DBSIZE")
    for name in ("requests", "connections", "samples", "workers"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name} must be positive")
    return args


def canonical_pages(port, slug):
    """The pages the flood aims at, found from the schedule page itself."""
    schedule = fetch(port, f"/{slug}/schedule/")
    if schedule.status != 200:
        raise BenchError(f"/{slug}/schedule/ answers {schedule.status}")
    html = schedule.text()
    day = re.search(r'href="\?day=(\d{4}-\d\d-\d\d)"', html)
    talk = re.search(rf'href="(/{re.escape(slug)}/talks/[\w-]+/)"', html)
    if not (day and talk):
        raise BenchError("the schedule page links to no day or no talk")
    return {
        "schedule, first day": f"/{slug}/schedule/",
        "schedule, one day": f"/{slug}/schedule/?day={day.group(1)}",
        "talk page": talk.group(1),
        "speakers": f"/{slug}/speakers/",
    }


def median_ms(port, path, samples):
    times = []
    for _ in range(samples):
        fetched = fetch(port, path)
        if fetched.status != 200:
            raise BenchError(f"{path} answered {fetched.status}")
        times.append(fetched.seconds * 1000)
    return statistics.median(times)


def timed_until(port, paths, over):
    """Milliseconds of each request for ``paths`` in turn, one at a time, until ``over`` is set."""
    times = []
    while not over.is_set():
        fetched = fetch(port, paths[len(times) % len(paths)])
        if fetched.status != 200:
            raise BenchError(f"a cached page answered {fetched.status} during the flood")
        times.append(fetched.seconds * 1000)
    return times


def _probe(port, paths, over, results):
    try:
        results.put(timed_until(port, paths, over))
    except BenchError as error:
        results.put(error)


def timed_meanwhile(port, paths, work):
    """``work()``'s result, and the milliseconds of each request for ``paths`` made meanwhile.

    The timing runs in a process of its own: in this one it would wait for the
    interpreter lock behind the flood's threads, and count that as the server's.
    """
    context = multiprocessing.get_context("fork")
    over, results = context.Event(), context.Queue()
    prober = context.Process(target=_probe, args=(port, paths, over, results), daemon=True)
    prober.start()
    try:
        result = work()
    finally:
        over.set()
    times = results.get(timeout=120)
    prober.join(timeout=10)
    if isinstance(times, BenchError):
        raise times
    return result, times


def percentile(values, percent):
    """The ``percent``th percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * percent / 100) - 1)]


def flood(port, paths, *, connections):
    """A GET of each of ``paths``, at ``connections``: how many got which status, and seconds."""
    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        statuses = Counter(pool.map(lambda path: fetch(port, path).status, paths))
    return statuses, time.perf_counter() - started


def _size(store):
    return store.dbsize(), store.info("memory")["used_memory"] / 2**20


def unknown_parameter(path):
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{secrets.token_hex(3)}={secrets.token_hex(6)}"


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    if not redis_answers(args.cache_url):
        raise BenchError(f"no Redis answers at {args.cache_url}")
    store = redis.Redis.from_url(args.cache_url)
    RESULTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = bench_environment(args, port, args.cache_url)
    if not args.many_clients:
        # The flood comes from one address, as an attacker's would: the bound on its renders counts.
        env.pop("PAGE_CACHE_RENDERS_PER_CLIENT")
    print(f"Preparing the {args.days * args.rooms * args.slots}-talk event...", flush=True)
    prepare_database(args, env)
    store.flushdb()
    log_path = RESULTS / "gunicorn-flood.log"
    with gunicorn(env, log_path) as process:
        wait_until_serving(process, port, f"/{args.slug}/", log_path)
        pages = canonical_pages(port, args.slug)
        for path in pages.values():
            fetch(port, path)  # stored
        before = {label: median_ms(port, path, args.samples) for label, path in pages.items()}
        keys = {"warm": _size(store)}

        paths = list(pages.values())
        junk = [unknown_parameter(paths[i % len(paths)]) for i in range(args.requests)]
        unknown, unknown_seconds = flood(port, junk, connections=args.connections)
        keys["after unknown parameters"] = _size(store)

        searches = [
            f"/{args.slug}/schedule/?q={secrets.token_hex(5)}" for _ in range(args.requests)
        ]
        (searched, search_seconds), during_ms = timed_meanwhile(
            port,
            list(pages.values()),
            lambda: flood(port, searches, connections=args.connections),
        )
        keys["after searches"] = _size(store)
        after = {label: median_ms(port, path, args.samples) for label, path in pages.items()}

    rows = [
        f"| {label} | {before[label]:.1f} | {after[label]:.1f} "
        f"| {after[label] / before[label]:.2f} |"
        for label in pages
    ]
    lines = [
        f"{args.requests} random unknown parameters: {dict(unknown)} "
        f"in {unknown_seconds:.1f} s ({args.requests / unknown_seconds:.0f}/s)",
        f"{args.requests} random searches (?q=): {dict(searched)} "
        f"in {search_seconds:.1f} s ({args.requests / search_seconds:.0f}/s) at "
        f"{args.connections} connections; the cached pages meanwhile, one request after "
        f"another on one more connection, from a process of its own: {len(during_ms)} "
        f"requests, median "
        f"{statistics.median(during_ms):.1f} ms, p99 {percentile(during_ms, 99):.1f} ms",
        "Redis keys (memory): "
        + ", ".join(f"{step} {count} ({mib:.1f} MiB)" for step, (count, mib) in keys.items()),
        "",
        "| page | median ms before | median ms after | after / before |",
        "| --- | ---: | ---: | ---: |",
        *rows,
    ]
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    args.output.write_text(text)
    print(f"Written to {args.output}")


def _stop_on_terminate(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    try:
        main()
    except BenchError as error:
        print(f"query_flood: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("query_flood: interrupted; gunicorn stopped.", file=sys.stderr)
        sys.exit(130)
