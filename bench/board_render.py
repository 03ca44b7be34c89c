"""How long the admin's schedule board takes to draw, for 10 and for 30 rooms.

    DEBUG=false SECRET_KEY=x .venv/bin/python bench/board_render.py [--runs 5] [--profile]
        [--browser]

The board of an event's first day is fetched through Django's test client
as a superuser (the whole middleware stack, as a request would go), once to
warm up and then ``--runs`` times, for two generated events of 3 days × 10
slots: one of 10 rooms (300 talks) and one of 30 (900 talks, 300 on the
day). The table gives the median and slowest time, the median CPU time of
this process (steadier than the clock on a busy machine), the size of the
HTML and the number of queries, and the 30-room board's time and queries as
a multiple of the 10-room one's: the queries should not grow with the rooms.

``--browser`` also loads both boards in Chromium (Playwright and the
system's Chromium, as the browser tests use), from a server on a free local
port, ``--runs`` times after one warm-up: the time from the navigation's start
to the first frame drawn after the page's ``load`` event, when an organiser
can start dragging. The table gives its median, with the page's element count
(what the browser lays out), when the HTML had arrived (the server's part),
the browser's own part (ready less HTML) and the ratio of the two boards.

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


class _QuietHandler:
    """wsgiref's request handler without its line per request."""

    @staticmethod
    def make():
        from wsgiref.simple_server import WSGIRequestHandler

        class Handler(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        return Handler


def _serve_in_thread():
    """A threaded local server of the site and its static files; its base URL."""
    import socketserver
    import threading
    from wsgiref.simple_server import WSGIServer, make_server

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    class ThreadedServer(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

    server = make_server(
        "127.0.0.1",
        0,
        StaticFilesHandler(get_wsgi_application()),
        server_class=ThreadedServer,
        handler_class=_QuietHandler.make(),
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


# Resolves once the first frame after the load event is drawn: when the board can be used.
_READY = """() => new Promise((resolve) => {
  const done = () => requestAnimationFrame(() => setTimeout(() => resolve({
    ready: performance.now(),
    load: performance.getEntriesByType("navigation")[0].loadEventEnd,
    response: performance.getEntriesByType("navigation")[0].responseEnd,
    elements: document.getElementsByTagName("*").length,
  })));
  if (document.readyState === "complete") { done(); } else { addEventListener("load", done); }
})"""


def _browser_rows(client, paths, runs):
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(PROJECT_ROOT / "tests" / "browser"))
    from conftest import CHROMIUM_FLAGS, find_chromium

    executable = find_chromium()
    if executable is None:
        raise SystemExit("--browser needs Chromium (Debian's 'chromium' package).")
    base_url, server = _serve_in_thread()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    rows = []
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
        )
        for path in paths:
            timings, loads, responses = [], [], []
            for run in range(runs + 1):
                page = context.new_page()
                page.goto(base_url + path, wait_until="commit")
                measured = page.evaluate(_READY)
                page.close()
                if run:  # the first fills the browser's cache of the static files
                    timings.append(measured["ready"])
                    loads.append(measured["load"])
                    responses.append(measured["response"])
            rows.append(
                {
                    "ready": statistics.median(timings),
                    "slowest": max(timings),
                    "load": statistics.median(loads),
                    "response": statistics.median(responses),
                    "elements": measured["elements"],
                }
            )
        browser.close()
    server.shutdown()
    return rows


def _print_browser_table(rows, runs):
    header = (
        f"{'rooms':>5} {'elements':>8} {'HTML ms':>7} {'load ms':>7} "
        f"{'ready ms':>8} {'max ms':>7} {'browser ms':>10}"
    )
    print(f"\nThe board in Chromium at 1280×800, median of {runs} after one warm-up:")
    print(header)
    print("-" * len(header))
    for (_, rooms), row in zip(SIZES, rows, strict=True):
        print(
            f"{rooms:>5} {row['elements']:>8} {row['response']:>7.0f} {row['load']:>7.0f} "
            f"{row['ready']:>8.0f} {row['slowest']:>7.0f} {row['ready'] - row['response']:>10.0f}"
        )
    small, large = rows
    print(f"30 rooms / 10 rooms: {large['ready'] / small['ready']:.2f}× the time to ready.")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the 30-room board.")
    parser.add_argument("--browser", action="store_true", help="Also load both in Chromium.")
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
        ALLOWED_HOSTS=["testserver", "127.0.0.1"],
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
        if options.browser:
            _print_browser_table(_browser_rows(client, paths, options.runs), options.runs)
        if options.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(paths[-1])
            profiler.disable()
            print(f"\ncProfile of one request to {paths[-1]}, by own time:")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
