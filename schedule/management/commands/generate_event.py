"""``manage.py generate_event --slug SLUG``: a synthetic event for tests, demos and benchmarks."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from schedule.releases.loaded import release_after_load
from schedule.services.generate import EventGenerateError, event_generate
from schedule.services.generated_parts import registered_parts


def _count(value):
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise CommandError(f'"{value}" is not a count (0 or more)')
    return number


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f'"{value}" is not a date like 2030-05-06') from None


class Command(BaseCommand):
    help = (
        "Generate a published event of DAYS × ROOMS × SLOTS talks with rooms, tracks and "
        "shared speakers; the same --seed gives the same programme."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, metavar="SLUG", help="The new event's slug.")
        parser.add_argument("--days", type=int, default=3, help="Days (default 3).")
        parser.add_argument("--rooms", type=int, default=30, help="Rooms (default 30).")
        parser.add_argument(
            "--slots", type=int, default=10, help="Talks per room and day (default 10)."
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--start-date",
            type=_date,
            metavar="YYYY-MM-DD",
            help="The first day (default 2030-05-06).",
        )
        parser.add_argument(
            "--timezone",
            default="Europe/Brussels",
            metavar="ZONE",
            help="The venue's IANA zone (default Europe/Brussels).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete an existing event of that slug (and its generated speakers) first.",
        )
        parser.add_argument(
            "--no-release",
            dest="release",
            action="store_false",
            help="Leave the programme in the working schedule; attendees see no talk yet.",
        )
        # Apps above the schedule add their own options (generated_parts.py).
        for part in registered_parts():
            parser.add_argument(
                f"--{part.name}",
                dest=part.dest,
                type=_count,
                default=0,
                metavar="N",
                help=part.help,
            )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result, notes = self._generate(options)
        except EventGenerateError as error:
            raise CommandError(str(error), returncode=1) from None
        if options["verbosity"] >= 1:
            self.stdout.write(" ".join(filter(None, [result.summary(), *notes])))
        if options["verbosity"] >= 2:
            self.stdout.write(f"Generated in {time.perf_counter() - started:.2f} s.")

    def _generate(self, options):
        """The generated event's result, and one sentence per part and for its release."""
        result = event_generate(
            slug=options["slug"],
            days=options["days"],
            rooms=options["rooms"],
            slots=options["slots"],
            seed=options["seed"],
            start_date=options["start_date"],
            time_zone=options["timezone"],
            replace=options["replace"],
        )
        notes = [
            part.generate(event=result.event, count=options[part.dest], seed=options["seed"])
            for part in registered_parts()
            if options[part.dest]
        ]
        if options["release"]:
            notes.append(release_after_load(event=result.event))
        return result, notes
