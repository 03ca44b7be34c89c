"""How long the admin's schedule board takes to draw, for 10 and for 30 rooms.

    DEBUG=false SECRET_KEY=x .venv/bin/python bench/board_render.py [--runs 5] [--profile]

The board of an event's first day is fetched through Django's test client
as a superuser (the whole middleware stack, as a request would go), once to
warm up and then ``--runs`` times, for two generated events of 3 days × 10
slots: one of 10 rooms (300 talks) and one of 30 (900 talks, 300 on the
day). The table gives the median and slowest time, the median CPU time of
this process (steadier than the clock on a busy machine), the size of the
HTML and the number of queries, and the 30-room board's time and queries as
a multiple of the 10-room one's: the queries should not grow with the rooms.

Unless ``DATABASE_URL`` says otherwise the script keeps its own SQLite file
in the system's temporary directory, migrates it and generates the events
(``event_generate``) when they are missing.
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
BENCH_DATABASE = Path(tempfile.gettempdir()) / "conference-bench-board-render.sqlite3"
SIZES = [("board10", 10), ("board30", 30)]


def _set_up_django():
    # WhiteNoise warns that collectstatic has not run; the page does not need it.
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DATABASE}")
    import django

    django.setup()


def _event(slug, *, rooms):
    from conference.models import Event
    from schedule.services.generate import event_generate

    event = Event.objects.filter(slug=slug).first()
    if event is None:
        started = time.perf_counter()
        event = event_generate(slug=slug, days=3, rooms=rooms, slots=10).event
        print(f"Generated {slug} in {time.perf_counter() - started:.1f} s.")
    return event


def _organiser():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user = user_model.objects.filter(username="bench-organiser").first()
    if user is None:
        user = user_model.objects.create_superuser("bench-organiser", "bench@example.invalid")
    return user


def _measure(client, path, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm_up = client.get(path)
    if warm_up.status_code != 200:
        raise SystemExit(f"{path} answered {warm_up.status_code}")
    timings, cpu_timings = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    content = response.content
    return {
        "path": path,
        "cards": content.count(b"<article "),
        "kilobytes": len(content) / 1024,
        "queries": len(queries),
        "median": statistics.median(timings),
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
        f"{'rooms':>5} {'cards':>5} {'KB':>6} {'queries':>7} "
        f"{'median ms':>9} {'max ms':>7} {'CPU ms':>7}"
    )
    print(f"Board of the first day, median of {runs} after one warm-up:")
    print(header)
    print("-" * len(header))
    for (_, rooms), row in zip(SIZES, rows, strict=True):
        print(
            f"{rooms:>5} {row['cards']:>5} {row['kilobytes']:>6.0f} {row['queries']:>7} "
            f"{row['median']:>9.1f} {row['slowest']:>7.1f} {row['cpu']:>7.1f}"
        )
    small, large = rows
    print(
        f"30 rooms / 10 rooms: {large['median'] / small['median']:.2f}× the time, "
        f"{large['cpu'] / small['cpu']:.2f}× the CPU, "
        f"{large['queries'] / small['queries']:.2f}× the queries."
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the 30-room board.")
    options = parser.parse_args(argv)

    _set_up_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings

    if settings.DEBUG:
        raise SystemExit("Run with DEBUG=false: DEBUG renders templates uncached and slower.")
    call_command("migrate", verbosity=0, interactive=False)
    events = [_event(slug, rooms=rooms) for slug, rooms in SIZES]
    paths = [
        f"/admin/schedule/talk/board/{event.pk}/{next(iter(event.days)).isoformat()}/"
        for event in events
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
        client.force_login(_organiser())
        rows = [_measure(client, path, options.runs) for path in paths]
        _print_table(rows, options.runs)
        if options.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(paths[-1])
            profiler.disable()
            print(f"\ncProfile of one request to {paths[-1]}, by own time:")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
