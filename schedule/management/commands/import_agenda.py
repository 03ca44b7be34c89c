"""``manage.py import_agenda FILE --event SLUG``: load a sched.org agenda export."""

from django.core.management.base import BaseCommand, CommandError

from schedule.agenda import AgendaError
from schedule.services import agenda_import


class Command(BaseCommand):
    help = (
        "Create or update an event, its talks and speakers from a sched.org agenda export "
        "(the format of schedule/data/kvm-forum-2012-agenda.txt). All or nothing; never "
        "deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The agenda file, UTF-8 text.")
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
            help="The venue's IANA time zone, e.g. Europe/Madrid; defaults to the event's.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do the whole import, report it, and roll it back.",
        )

    def handle(self, *args, file, event_slug, zone, dry_run, **options):
        try:
            result = agenda_import(path=file, event_slug=event_slug, zone=zone, dry_run=dry_run)
        except AgendaError as error:
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
