"""``manage.py import_frab FILE --event SLUG``: load a frab schedule.xml or schedule.json file."""

from schedule.formats.frab.importer import frab_import
from schedule.importing.errors import ImportFileError
from schedule.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update an event, its rooms, tracks, talks and speakers from frab schedule "
        "XML or schedule.json (as pretalx, frab, the CCC hub and wafer export them). All or "
        "nothing; matched on "
        "the file's guids and ids, so a second run changes nothing; never deletes."
    )
    error_types = (ImportFileError,)
    file_help = "The schedule.xml or schedule.json file (told apart by its content)."
    timezone_help = (
        "The venue's IANA time zone, e.g. Europe/Berlin; defaults to the file's "
        "<time_zone_name>, then the event's zone, then the one offset of every <date>. "
        "Needed for pentabarf files, whose times have no offset."
    )

    def run_import(self, *, path, event_slug, dry_run, limits, zone=None):
        return frab_import(
            path=path, event_slug=event_slug, zone=zone, dry_run=dry_run, limits=limits
        )
