"""``manage.py import_ics FILE --event SLUG``: load an iCalendar file's events as talks."""

from django.core.management.base import BaseCommand, CommandError

from schedule.ics_import import IcsError
from schedule.services.ics_import import ics_import


class Command(BaseCommand):
    help = (
        "Create or update an event, its talks, rooms and speakers from an iCalendar (.ics) "
        "file, such as sched.org's or our own export. Talks are matched on their UID. All or "
        "nothing; never deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The iCalendar file.")
        parser.add_argument(
            "--event",
            required=True,
            dest="event_slug",
            metavar="SLUG",
            help="The slug of the event to create or update.",
        )
        parser.add_argument(
            "--timezone",
            dest="zone",
            metavar="ZONE",
            help=(
                "The venue's IANA time zone, e.g. Europe/Berlin; defaults to the file's "
                "X-WR-TIMEZONE, then the event's zone, then the TZID most events use."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do the whole import, report it, and roll it back.",
        )

    def handle(self, *args, file, event_slug, zone, dry_run, **options):
        try:
            result = ics_import(path=file, event_slug=event_slug, zone=zone, dry_run=dry_run)
        except IcsError as error:
            for message in error.messages():
                self.stderr.write(message)
            count = len(error.errors)
            raise CommandError(
                f"{file}: {count} problem{'s' if count != 1 else ''}; nothing was imported.",
                returncode=1,
            ) from None
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}", returncode=1) from None

        if options["verbosity"] < 1:
            return
        for warning in result.warnings:
            self.stderr.write(warning)
        if result.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        self.stdout.write(result.summary())
        if not result.changed:
            self.stdout.write("Nothing changed.")
