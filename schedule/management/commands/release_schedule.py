"""``manage.py release_schedule --event SLUG``: make the working schedule the public one."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from conference.models import Event
from schedule.releases.report import plan_report, plural
from schedule.releases.service import (
    NothingToRelease,
    ReleaseRefused,
    plan_release,
    release_schedule,
)


class DryRunDone(Exception):
    """Raised inside the dry run's transaction so that everything it wrote is rolled back."""

    def __init__(self, release, plan):
        super().__init__()
        self.release, self.plan = release, plan


class Command(BaseCommand):
    help = (
        "Release the event's working schedule: attendees see it from now on. Lists the "
        "changes since the last release, the clash-rule errors (which block it unless "
        "--release-anyway), the warnings and how many speakers will be told. Exits with "
        "status 1 when refused: errors, nothing changed, or a name already taken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", required=True, dest="event_slug", metavar="SLUG")
        parser.add_argument(
            "--name",
            default="",
            metavar="NAME",
            help='What attendees call the release, e.g. "1.2" or "final" (default: its number).',
        )
        parser.add_argument(
            "--comment", default="", metavar="TEXT", help="Shown to the public with the release."
        )
        parser.add_argument(
            "--no-notify",
            dest="notify",
            action="store_false",
            help="Tell no speaker by mail about their changed talks.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what the release would change, and write nothing.",
        )
        parser.add_argument(
            "--release-anyway",
            action="store_true",
            help="Release even though the schedule has clash-rule errors.",
        )

    def handle(self, *args, event_slug, name, comment, notify, dry_run, release_anyway, **options):
        event = Event.objects.filter(slug=event_slug).first()
        if event is None:
            raise CommandError(f"No event with the slug “{event_slug}”.", returncode=2)
        detail = options["verbosity"] >= 2
        release_args = {
            "name": name,
            "comment": comment,
            "allow_errors": release_anyway,
        }
        try:
            if dry_run:
                # The service itself, rolled back: the same refusals, nothing kept, no mail.
                try:
                    with transaction.atomic():
                        raise DryRunDone(*release_schedule(event, notify=False, **release_args))
                except DryRunDone as done:
                    release, plan = done.release, done.plan
            else:
                release, plan = release_schedule(event, notify=notify, **release_args)
        except NothingToRelease as refusal:
            raise CommandError(f"Not released: {refusal}", returncode=1) from None
        except ReleaseRefused as refusal:
            self._write_plan(plan_release(event), notify=notify, detail=detail)
            raise CommandError(f"Not released: {refusal}", returncode=1) from None

        self._write_plan(plan, notify=notify, detail=detail)
        changes = plural(len(plan.changes), "change")
        told = plural(len(plan.speakers_to_tell), "speaker") if notify else "no speakers"
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            self.stdout.write(
                f"Would release “{release.name}” of {event.slug} with {changes}; "
                f"{told} would be told."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Released “{release.name}” of {event.slug} with {changes}; "
                    f"{told} will be told."
                )
            )

    def _write_plan(self, plan, *, notify, detail):
        report = plan_report(plan)
        write = self.stdout.write
        if report.nothing_changed:
            write(report.nothing_changed)
        else:
            write(
                f"{report.event.name}: {plural(report.change_count, 'change')} {report.since}. "
                f"Times are in {report.zone}."
            )
        for group in report.groups:
            write(f"{group.heading} ({len(group.lines)}):")
            for line in group.lines:
                write(f"  “{line.title}”: {line.text}")
        for problem in plan.errors if not detail else [*plan.errors, *plan.warnings]:
            style = self.style.ERROR if problem.is_error else self.style.WARNING
            talks = ", ".join(f"#{talk.pk} {talk.title}" for talk in problem.talks)
            write(style(f"{problem.severity.upper()} {problem.code}: {problem.message}"))
            write(f"    talks: {talks}")
        if not detail:
            # Warnings move nobody: one line per kind, each with -v 2 (check_schedule too).
            for code, count in Counter(problem.code for problem in plan.warnings).items():
                write(
                    self.style.WARNING(f"WARNING {code}: {plural(count, 'talk')} (-v 2 lists each)")
                )
        errors = plural(len(plan.errors), "error")
        warnings = plural(len(plan.warnings), "warning")
        blocking = " that block the release" if plan.errors else ""
        write(f"{errors}{blocking}, {warnings}.")
        speakers = plural(len(plan.speakers_to_tell), "speaker")
        if notify:
            write(f"{speakers} will be told of their changed talks.")
        else:
            write(f"No speaker will be told (--no-notify); {speakers} would have been.")
