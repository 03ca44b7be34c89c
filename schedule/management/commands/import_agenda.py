"""``manage.py import_agenda FILE --event SLUG``: load a sched.org agenda export."""

from schedule.formats.agenda.importer import agenda_import
from schedule.importing.errors import ImportFileError
from schedule.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update an event, its talks and speakers from a sched.org agenda export "
        "(the format of schedule/data/kvm-forum-2012-agenda.txt). All or nothing; never "
        "deletes."
    )
    error_types = (ImportFileError,)
    file_help = "The agenda file, UTF-8 text."
    timezone_help = "The venue's IANA time zone, e.g. Europe/Madrid; defaults to the event's."

    def run_import(self, *, path, event_slug, dry_run, limits, zone=None):
        return agenda_import(
            path=path, event_slug=event_slug, zone=zone, dry_run=dry_run, limits=limits
        )
