"""``manage.py backup_event --event SLUG [--output FILE]``: one event and its photos, one zip."""

from django.core.management.base import BaseCommand, CommandError

from infrastructure.backup import BackupError, event_backup


class Command(BaseCommand):
    help = (
        "Write one event (rooms, tracks, talks, schedule releases, speakers and links) and the "
        "speakers' photos to a versioned zip archive that restore_event reads back into any "
        "database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--event", required=True, dest="event_slug", metavar="SLUG", help="The event's slug."
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Where to write the archive; defaults to SLUG-<UTC time>.zip here.",
        )

    def handle(self, *args, event_slug, output, **options):
        try:
            result = event_backup(event_slug=event_slug, output=output)
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        except OSError as error:
            where = error.filename or output or "the archive"
            raise CommandError(f"cannot write {where}: {error.strerror}", returncode=1) from None
        for name in result.missing_photos:
            self.stderr.write(f"{name}: missing from the storage; not in the backup.")
        if options["verbosity"] >= 1:
            self.stdout.write(result.summary())
