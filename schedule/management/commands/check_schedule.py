"""``manage.py check_schedule --event SLUG``: every clash and warning, for people and scripts."""

from django.core.management.base import BaseCommand, CommandError

from conference.models import Event
from schedule.clashes import Severity, schedule_problems


class Command(BaseCommand):
    help = (
        "List the schedule's errors (clashes) and warnings with the talks involved. "
        "Exits with status 1 when there are errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", required=True, dest="event_slug", metavar="SLUG")

    def handle(self, *args, event_slug, **options):
        event = Event.objects.filter(slug=event_slug).first()
        if event is None:
            raise CommandError(f"No event with the slug “{event_slug}”.", returncode=2)
        problems = schedule_problems(event)
        errors = [problem for problem in problems if problem.severity == Severity.ERROR]
        for problem in problems:
            style = self.style.ERROR if problem.is_error else self.style.WARNING
            talks = ", ".join(f"#{talk.pk} {talk.title}" for talk in problem.talks)
            self.stdout.write(
                style(f"{problem.severity.upper()} {problem.code}: {problem.message}")
            )
            self.stdout.write(f"    talks: {talks}")
        warnings = len(problems) - len(errors)
        summary = (
            f"{event.name}: {len(errors)} error{'s' if len(errors) != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}."
        )
        if errors:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
