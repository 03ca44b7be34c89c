"""How long the schedule page takes to render cold: no cached page, compiled templates.

    DEBUG=false SECRET_KEY=x .venv/bin/python bench/schedule_render.py [--runs 5] [--profile]

or, in ``DEBUG=false SECRET_KEY=x .venv/bin/python manage.py shell -c``:

    from bench.schedule_render import main; main(["--runs", "5"])

"Cold" is the first request after an edit: whatever caches rendered pages
is cleared before every timed request, while the process stays warm (its
templates compiled by the cached loader that DEBUG off turns on, the
database file in the OS page cache), as a running server's would be. The
process is first prepared as gunicorn's master prepares its workers
(``infrastructure.prefork``: templates compiled, garbage collector frozen);
``--unprepared`` leaves that out.

Each page is fetched once to warm up, then ``--runs`` times through Django's
test client (the whole middleware stack, as a request would go); the table
gives the median, the fastest and the slowest, the median CPU time of this
process (steadier than the clock on a busy machine), the size of the HTML
and the number of queries. ``--profile`` adds a cProfile of one request for the
whole schedule.

Unless ``DATABASE_URL`` says otherwise (``manage.py shell`` has already
read it) the script keeps its own SQLite file in the system's temporary
directory, so the development database is left alone. It migrates the
database and, when the event is missing, generates it with
``event_generate`` (3 days × 30 rooms × 10 slots: 900 talks).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = Path(tempfile.gettempdir()) / "conference-bench-schedule-render.sqlite3"


def _set_up_django():
    # WhiteNoise warns that collectstatic has not run; the page does not need it.
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DATABASE}")
    import django

    django.setup()


def _event(slug, *, days, rooms, slots):
    from django.core.management import call_command

    from conference.models import Event
    from schedule.services.generate import event_generate

    call_command("migrate", verbosity=0, interactive=False)
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        started = time.perf_counter()
        event = event_generate(slug=slug, days=days, rooms=rooms, slots=slots).event
        print(f"Generated {slug} in {time.perf_counter() - started:.1f} s.")
    return event


def _clear_page_caches():
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


def _measure(client, path, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _clear_page_caches()
    warm_up = client.get(path)
    if warm_up.status_code != 200:
        raise SystemExit(f"{path} answered {warm_up.status_code}")
    timings, cpu_timings = [], []
    for _ in range(runs):
        _clear_page_caches()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
    _clear_page_caches()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    content = response.content
    return {
        "path": path,
        "cards": content.count(b'<article class="talk-card'),
        "kilobytes": len(content) / 1024,
        "queries": len(queries),
        "median": statistics.median(timings),
        "fastest": min(timings),
        "slowest": max(timings),
        "cpu": statistics.median(cpu_timings),
    }


def _print_table(rows, runs):
    import django

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, "
        f"{os.cpu_count()} CPUs, load average {load}."
    )
    header = (
        f"{'page':<34} {'cards':>5} {'KB':>7} {'queries':>7} "
        f"{'median ms':>9} {'min ms':>7} {'max ms':>7} {'CPU ms':>7}"
    )
    print(f"Cold renders, median of {runs} after one warm-up:")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['path']:<34} {row['cards']:>5} {row['kilobytes']:>7.0f} {row['queries']:>7} "
            f"{row['median']:>9.1f} {row['fastest']:>7.1f} {row['slowest']:>7.1f} "
            f"{row['cpu']:>7.1f}"
        )


def _profile(client, path, limit=30):
    _clear_page_caches()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    print(f"\ncProfile of one request to {path}, by own time:")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(limit)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--slug", default="bench")
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--slots", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one full page too.")
    parser.add_argument(
        "--unprepared",
        action="store_true",
        help="Skip what gunicorn's master does before forking (infrastructure/prefork.py).",
    )
    options = parser.parse_args(argv)

    _set_up_django()
    if not options.unprepared:
        from infrastructure.prefork import prepare_workers

        prepare_workers()
    from django.conf import settings
    from django.test import Client, override_settings

    if settings.DEBUG:
        raise SystemExit("Run with DEBUG=false: DEBUG renders templates uncached and slower.")
    event = _event(options.slug, days=options.days, rooms=options.rooms, slots=options.slots)
    paths = [
        f"/{event.slug}/schedule/",
        f"/{event.slug}/schedule/?day={event.start_date.isoformat()}",
    ]
    # The test client's host and plain HTTP, and static URLs without collectstatic's manifest.
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        client = Client()
        rows = [_measure(client, path, options.runs) for path in paths]
        _print_table(rows, options.runs)
        if options.profile:
            _profile(client, paths[0])


if __name__ == "__main__":
    main()
