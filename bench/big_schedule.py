"""The default schedule page of a very big event: its size and its first render after an edit.

    DEBUG=false SECRET_KEY=x .venv/bin/python bench/big_schedule.py [--days 7 --rooms 100]

Generates days × rooms × slots talks (9,100 by default) into a fresh SQLite
file, releases them, then, ``--repeats`` times: changes one talk's title and
releases (so every stored page is stale, as after an organiser's edit), and
fetches the schedule as an attendee does, timing the render on this process's
CPU. The schedule opens on one day, so its default page is a seventh of the
event; "All days" (``?day=all``) is measured once for comparison, and the
default page once in each of the site's languages. Prints one line of JSON.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from processes import setup_django


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--slots", type=int, default=13)
    parser.add_argument("--repeats", type=int, default=5)
    return parser.parse_args(argv)


def timed_get(client, path, **headers):
    started = time.process_time()
    response = client.get(path, headers=headers)
    milliseconds = (time.process_time() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return response, milliseconds


def measure(args):
    from django.conf import settings
    from django.test import Client, override_settings

    # The test client's host and plain HTTP, and static URLs without collectstatic's manifest.
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        return _measure(args, Client())


def _measure(args, client):
    from django.conf import settings

    from schedule.models import Talk
    from schedule.releases.service import release_schedule
    from schedule.services.generate import event_generate

    slug = "big-bench"
    event = event_generate(slug=slug, days=args.days, rooms=args.rooms, slots=args.slots).event
    release_schedule(event, notify=False, allow_errors=True)
    path = f"/{slug}/schedule/"
    client.get(path)  # URLs, templates and catalogs loaded, as in a serving process

    cold = []
    for repeat in range(args.repeats):
        talk = Talk.objects.filter(event=event).order_by("start", "pk").first()
        talk.title = f"{talk.title.split(' [edit')[0]} [edit {repeat}]"
        talk.save()
        release_schedule(event, notify=False, allow_errors=True)
        response, milliseconds = timed_get(client, path)
        assert f"[edit {repeat}]".encode() in response.content
        cold.append(milliseconds)
    default_bytes = len(response.content)
    all_days, all_days_ms = timed_get(client, f"{path}?day=all")
    languages = {}
    for code, _name in settings.LANGUAGES:
        page, milliseconds = timed_get(
            client, f"{path}?day={event.start_date}", accept_language=code
        )
        languages[code] = {"bytes": len(page.content), "cold_ms": round(milliseconds)}
    return {
        "talks": Talk.objects.filter(event=event).count(),
        "default_page_mb": round(default_bytes / 1_000_000, 2),
        "cold_ms_median": round(statistics.median(cold)),
        "cold_ms_min": round(min(cold)),
        "all_days_mb": round(len(all_days.content) / 1_000_000, 2),
        "all_days_cold_ms": round(all_days_ms),
        "default_page_share_of_all_days": round(default_bytes / len(all_days.content), 3),
        "first_day_by_language": languages,
    }


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory() as scratch:
        setup_django(f"sqlite:///{Path(scratch) / 'db.sqlite3'}")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(json.dumps(measure(args)))


if __name__ == "__main__":
    main()
