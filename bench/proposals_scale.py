"""How long the review list and the admin's proposal list take with 2,000 proposals.

    DEBUG=false SECRET_KEY=x .venv/bin/python bench/proposals_scale.py [--proposals 2000] [--runs 5]

Generates an event with ``generate_event --proposals N`` (1 day × 10 rooms ×
6 slots: 60 talks and their speakers, who make the proposals; three
reviewers score about 60 % of what was handed in) into its own SQLite file
in the system's temporary directory, unless ``DATABASE_URL`` names another
database (PostgreSQL, say). ``--reuse`` keeps an event already there.

Each page is fetched once to warm up, then ``--runs`` times through Django's
test client, signed in (signed-in pages are never served from the page
cache): the review list as a reviewer and as an organiser (who also sees the
averages and spreads), unfiltered and "not yet reviewed by me"; the admin's
proposal list (100 a page), sorted by average score, and filtered by state.
The table gives the rows on the page, the size of the HTML, the queries, and
the median, fastest and slowest time, with the median CPU time of this
process. Nothing here asserts a time; it prints the figures.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = Path(tempfile.gettempdir()) / "conference-bench-proposals.sqlite3"


def _set_up_django():
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DATABASE}")
    import django

    django.setup()


def _event(slug, *, proposals, reuse):
    from django.core.management import call_command

    from conference.models import Event
    from proposals.models import Proposal

    call_command("migrate", verbosity=0, interactive=False)
    existing = Event.objects.filter(slug=slug).first()
    if reuse and existing is not None and Proposal.objects.filter(call__event=existing).exists():
        return existing
    started = time.perf_counter()
    call_command(
        "generate_event",
        "--slug",
        slug,
        "--days",
        "1",
        "--rooms",
        "10",
        "--slots",
        "6",
        "--proposals",
        str(proposals),
        "--no-release",
        "--replace",
        verbosity=0,
    )
    print(f"Generated {slug} with {proposals} proposals in {time.perf_counter() - started:.1f} s.")
    return Event.objects.get(slug=slug)


def _measure(client, label, path, runs, *, row_marker):
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
        "page": label,
        "rows": content.count(row_marker),
        "kilobytes": len(content) / 1024,
        "queries": len(queries),
        "median": statistics.median(timings),
        "fastest": min(timings),
        "slowest": max(timings),
        "cpu": statistics.median(cpu_timings),
    }


def _print_table(rows, *, runs, proposals, reviews, database):
    import django

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, {database}, "
        f"{os.cpu_count()} CPUs, load average {load}."
    )
    print(f"{proposals} proposals, {reviews} reviews; median of {runs} after one warm-up:")
    header = (
        f"{'page':<44} {'rows':>5} {'KB':>7} {'queries':>7} "
        f"{'median ms':>9} {'min ms':>7} {'max ms':>7} {'CPU ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<44} {row['rows']:>5} {row['kilobytes']:>7.0f} {row['queries']:>7} "
            f"{row['median']:>9.1f} {row['fastest']:>7.1f} {row['slowest']:>7.1f} "
            f"{row['cpu']:>7.1f}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--slug", default="cfp-bench")
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="Keep a generated event there.")
    options = parser.parse_args(argv)

    _set_up_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client, override_settings

    from proposals.models import Proposal, Review

    if settings.DEBUG:
        raise SystemExit("Run with DEBUG=false: DEBUG renders templates uncached and slower.")
    event = _event(options.slug, proposals=options.proposals, reuse=options.reuse)
    call = event.call
    reviewer = call.reviewers.order_by("username").first()
    User = get_user_model()
    organiser, _ = User.objects.get_or_create(
        username="cfp-bench-organiser", defaults={"is_staff": True, "is_superuser": True}
    )
    slug = event.slug
    # The review list's rows link their proposal; the admin's have a checkbox each.
    review_row = f'href="/{slug}/review/'.encode()
    admin_row = b'name="_selected_action"'
    pages = [
        (reviewer, "review list, reviewer", f"/{slug}/review/", review_row),
        (
            reviewer,
            "review list, reviewer, not reviewed",
            f"/{slug}/review/?unreviewed=on",
            review_row,
        ),
        (organiser, "review list, organiser", f"/{slug}/review/", review_row),
        (organiser, "admin proposals, page 1", "/admin/proposals/proposal/", admin_row),
        (
            organiser,
            "admin proposals, by average score",
            "/admin/proposals/proposal/?o=-7",
            admin_row,
        ),
        (
            organiser,
            "admin proposals, submitted, this event",
            f"/admin/proposals/proposal/?state__exact=submitted&call__event__id__exact={event.pk}",
            admin_row,
        ),
    ]
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        rows = []
        for user, label, path, marker in pages:
            client = Client()
            client.force_login(user)
            rows.append(_measure(client, label, path, options.runs, row_marker=marker))
    _print_table(
        rows,
        runs=options.runs,
        proposals=Proposal.objects.filter(call=call).count(),
        reviews=Review.objects.filter(proposal__call=call).count(),
        database=connection.vendor,
    )


if __name__ == "__main__":
    main()
