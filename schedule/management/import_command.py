"""What every importer's command shares: ``FILE --event SLUG [--dry-run]``, and how it reports.

An importer's service raises an error with ``errors`` and ``messages()``
(``FILE:LINE: what is wrong``); the command prints each message, exits with
status 1 and no traceback, and on success prints the warnings and the
result's ``summary()``.
"""

from django.core.management.base import BaseCommand, CommandError

from infrastructure.command_output import write_result


class ImportCommand(BaseCommand):
    #: The exceptions the service raises for bad input.
    error_types = ()
    file_help = "The file to import."
    #: The help of ``--timezone``, for importers that take a zone; None for no option.
    timezone_help = None

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument(
            "--event",
            required=True,
            dest="event_slug",
            metavar="SLUG",
            help="The slug of the event to create or update.",
        )
        if self.timezone_help:
            parser.add_argument("--timezone", dest="zone", metavar="ZONE", help=self.timezone_help)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do the whole import, report it, and roll it back.",
        )

    def run_import(self, *, path, event_slug, dry_run, zone=None):
        raise NotImplementedError

    def handle(self, *args, file, event_slug, dry_run, zone=None, **options):
        try:
            result = self.run_import(path=file, event_slug=event_slug, dry_run=dry_run, zone=zone)
        except self.error_types as error:
            for message in error.messages():
                self.stderr.write(message)
            count = len(error.errors)
            raise CommandError(
                f"{file}: {count} problem{'s' if count != 1 else ''}; nothing was imported.",
                returncode=1,
            ) from None
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}", returncode=1) from None

        if options["verbosity"] >= 1:
            write_result(self, result)
