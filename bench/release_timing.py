"""How long releasing a big event takes when every talk moved, mails included.

    DEBUG=false SECRET_KEY=x .venv/bin/python bench/release_timing.py [--days 3 --rooms 30]

Generates an event of days × rooms × slots talks (900 by default) into a
fresh SQLite file (or the database ``DATABASE_URL`` names, with ``--slug``
an event already there, as ``make bench`` runs it), gives every speaker an
email address, moves every talk an hour later in the working schedule and
times ``release_schedule`` with speaker notifications on: the clash rules,
the changes, the frozen copies, the stored changelog and one queued mail per
speaker, in one transaction. Prints one line of JSON: the seconds, the
changes and the mails queued.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from processes import setup_django


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--slots", type=int, default=10)
    parser.add_argument("--slug", help="release this event of DATABASE_URL instead of a new one")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory() as scratch:
        database_url = os.environ.get("DATABASE_URL") if args.slug else None
        setup_django(database_url or f"sqlite:///{Path(scratch) / 'db.sqlite3'}")
        from django.core.management import call_command

        if not args.slug:
            call_command("migrate", verbosity=0)
        print(json.dumps(measure(args)))


def measure(args):
    import datetime

    from django.db.models import F
    from django.urls import reverse
    from mailer.models import Message

    from conference.models import Event
    from schedule.models import Talk
    from schedule.releases.service import release_schedule
    from schedule.services.generate import event_generate
    from speakers.models import Speaker

    slug = args.slug or "release-bench"
    if not args.slug:
        event_generate(slug=slug, days=args.days, rooms=args.rooms, slots=args.slots)
    event = Event.objects.get(slug=slug)
    speakers = Speaker.objects.filter(talks__event=event).distinct()
    Speaker.objects.filter(pk__in=speakers.values("pk"), email="").update(
        email=F("slug") + "@speakers.example.org"
    )
    talks = Talk.objects.filter(event=event)
    if not event.releases.exists():
        release_schedule(event, notify=False, allow_errors=True)
    hour = datetime.timedelta(hours=1)
    talks.filter(start__isnull=False).update(start=F("start") + hour, end=F("end") + hour)
    mails_before = Message.objects.count()
    reverse("event_detail", args=[slug])  # a serving process has its URLs loaded already

    started = time.perf_counter()
    release, plan = release_schedule(event, notify=True, allow_errors=True)
    seconds = time.perf_counter() - started

    return {
        "talks": talks.count(),
        "seconds": round(seconds, 2),
        "changes": len(plan.changes),
        "mails": Message.objects.count() - mails_before,
        "release": release.name,
    }


if __name__ == "__main__":
    main()
