"""``manage.py import_ics FILE --event SLUG``: load an iCalendar file's events as talks."""

from schedule.formats.ical.importer import ics_import
from schedule.importing.errors import ImportFileError
from schedule.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update an event, its talks, rooms and speakers from an iCalendar (.ics) "
        "file, such as sched.org's or our own export. Talks are matched on their UID. All or "
        "nothing; never deletes."
    )
    error_types = (ImportFileError,)
    file_help = "The iCalendar file."
    timezone_help = (
        "The venue's IANA time zone, e.g. Europe/Berlin; defaults to the file's "
        "X-WR-TIMEZONE, then the event's zone, then the TZID most events use."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-speakers-from-titles",
            dest="speakers_from_titles",
            action="store_false",
            help=(
                'Keep a pretalx calendar\'s titles whole ("Title - Speaker Name"); by default '
                'the name after the last " - " is taken as the talk\'s speakers when no event '
                "names one in ATTENDEE or ORGANIZER."
            ),
        )

    def handle(self, *args, speakers_from_titles=True, **options):
        self.speakers_from_titles = speakers_from_titles
        return super().handle(*args, **options)

    def run_import(self, *, path, event_slug, dry_run, limits, zone=None):
        return ics_import(
            path=path,
            event_slug=event_slug,
            zone=zone,
            dry_run=dry_run,
            limits=limits,
            speakers_from_titles=self.speakers_from_titles,
        )
