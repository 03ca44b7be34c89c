"""``manage.py restore_event FILE [--as SLUG] [--replace] [--dry-run]``: read a backup back in."""

from django.core.management.base import BaseCommand, CommandError

from infrastructure.backup import BackupError, event_restore
from infrastructure.command_output import write_result


class Command(BaseCommand):
    help = (
        "Restore an event from an archive written by backup_event: checksums and format "
        "version first, then every row in one transaction (all or nothing), then the photos. "
        "Speakers already in the database (same UUID) are reused, not duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive (.zip) backup_event wrote.")
        parser.add_argument(
            "--as",
            dest="as_slug",
            metavar="SLUG",
            help="Restore under this slug instead of the archive's (talks whose UUIDs are "
            "taken get new ones).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete an event with the same slug (its rooms, tracks, talks, releases) first.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and restore everything, report it, and roll it back; write no photo.",
        )

    def handle(self, *args, file, as_slug, replace, dry_run, **options):
        try:
            result = event_restore(path=file, as_slug=as_slug, replace=replace, dry_run=dry_run)
        except BackupError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{file}: not restored; the database and the stored photos are unchanged.",
                returncode=1,
            ) from None
        if options["verbosity"] >= 1:
            write_result(self, result)
