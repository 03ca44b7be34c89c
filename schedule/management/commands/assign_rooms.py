"""``manage.py assign_rooms --event SLUG``: give every roomless talk of an event a room."""

from django.core.management.base import BaseCommand, CommandError

from conference.models import Event
from infrastructure.command_output import write_result
from schedule.services import RoomAssignmentError, rooms_assign


class Command(BaseCommand):
    help = (
        "Put every talk of an event that has times but no room into a room, using as few "
        "rooms as the overlaps require and creating “Room 1”, “Room 2”… when there are too "
        "few. Talks with a room are never moved; breaks, cancelled and unscheduled talks "
        "get none. One transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--event",
            required=True,
            dest="event_slug",
            metavar="SLUG",
            help="The slug of the event whose talks get rooms.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do the whole assignment, report it, and roll it back.",
        )

    def handle(self, *args, event_slug, dry_run, **options):
        event = Event.objects.filter(slug=event_slug).first()
        if event is None:
            raise CommandError(f"no event has the slug “{event_slug}”.", returncode=1)
        try:
            result = rooms_assign(event=event, dry_run=dry_run)
        except RoomAssignmentError as error:
            raise CommandError(str(error), returncode=1) from None

        if options["verbosity"] >= 1:
            write_result(self, result)
