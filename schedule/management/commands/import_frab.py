"""``manage.py import_frab FILE --event SLUG``: load a frab schedule XML file."""

from django.core.management.base import BaseCommand, CommandError

from schedule.frab import FrabError
from schedule.services.frab_import import frab_import


class Command(BaseCommand):
    help = (
        "Create or update an event, its rooms, tracks, talks and speakers from frab schedule "
        "XML (as pretalx, frab, the CCC hub and wafer export it). All or nothing; matched on "
        "the file's guids and ids, so a second run changes nothing; never deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The schedule.xml file.")
        parser.add_argument(
            "--event",
            required=True,
            dest="event_slug",
            metavar="SLUG",
            help="The slug of the event to create or update.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do the whole import, report it, and roll it back.",
        )

    def handle(self, *args, file, event_slug, dry_run, **options):
        try:
            result = frab_import(path=file, event_slug=event_slug, dry_run=dry_run)
        except FrabError as error:
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
