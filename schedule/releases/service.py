"""Releasing an event's schedule: what a release would change, and making it.

``plan_release`` reads and writes nothing; ``release_schedule`` freezes the
working schedule's public talks as the event's new current release, in one
transaction that holds the event's row, so two organisers releasing at once
make two ordered releases (the second computed against the first) or one
refusal, never a mix of the two.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from conference.models import Event
from infrastructure.page_cache import event_pages_changed
from schedule.clashes import schedule_problems, talks_for_checks
from schedule.models import Release, Talk, TalkSpeaker
from schedule.releases.changelog import release_changes_record
from schedule.releases.changes import NOTIFIED_KINDS, schedule_changes
from schedule.releases.notify import queue_release_mails


class ReleaseRefused(Exception):
    """The release was not made; the message says why, for the organiser."""


class NothingToRelease(ReleaseRefused):
    """Refused because attendees already see this schedule: not a failure for an importer."""


def nothing_changed_message(plan):
    """Why a plan without changes is refused, for the organiser."""
    if plan.previous:
        return gettext(
            "Nothing changed since release “%(name)s”: attendees already see this schedule."
        ) % {"name": plan.previous.name}
    return gettext("Nothing changed since the event began: attendees already see this schedule.")


@dataclass
class ReleasePlan:
    event: object
    previous: object  # the current release, or None before the first
    changes: list
    working: list = field(default_factory=list)  # the talks a release would freeze
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def speakers_to_tell(self):
        """The speakers with an email whose talk is new, cancelled, withdrawn or moved."""
        speakers = {}
        for change in self.changes:
            if change.kind in NOTIFIED_KINDS:
                for speaker in change.speakers:
                    if speaker.email and speaker.notify_schedule_changes:
                        speakers.setdefault(speaker.pk, speaker)
        return list(speakers.values())


def released_talks(release):
    """A release's frozen talks with their speakers, as ``schedule_changes`` compares them."""
    if release is None:
        return []
    return list(Talk.released.of(release).select_related("room", "track").with_speakers())


def _working_public_talks(event):
    # The same load the clash rules read, so releasing checks and freezes one list.
    return [talk for talk in talks_for_checks(event) if talk.is_published]


def plan_release(event):
    """What releasing ``event``'s working schedule now would change, block and warn of."""
    previous = Release.objects.filter(event=event, is_current=True).first()
    working = _working_public_talks(event)
    problems = schedule_problems(event, working)
    return ReleasePlan(
        event=event,
        previous=previous,
        changes=schedule_changes(released_talks(previous), working),
        working=working,
        errors=[problem for problem in problems if problem.is_error],
        warnings=[problem for problem in problems if not problem.is_error],
    )


def next_release_number(event):
    """The number the event's next release gets: one more than its last, 1 for the first."""
    return (Release.objects.filter(event=event).aggregate(last=Max("number"))["last"] or 0) + 1


def _frozen_copy(talk, release):
    values = {
        field.attname: getattr(talk, field.attname)
        for field in Talk._meta.concrete_fields
        if not field.primary_key
    }
    return Talk(**values | {"release_id": release.pk, "released_from": talk.pk})


def freeze(release, talks):
    """Copy ``talks`` (``talk_speakers`` prefetched) into ``release``, speakers and all."""
    copies = Talk.released.bulk_create([_frozen_copy(talk, release) for talk in talks])
    # A copy tells when its talk last changed, as the talk does (Last-Modified, the
    # calendars' stamps, the sitemap); bulk_create stamped it now.
    original = Talk.objects.filter(pk=OuterRef("released_from"))
    Talk.released.filter(release=release).update(
        created=Subquery(original.values("created")[:1]),
        updated=Subquery(original.values("updated")[:1]),
    )
    TalkSpeaker.objects.bulk_create(
        TalkSpeaker(talk=copy, speaker_id=link.speaker_id, position=link.position)
        for talk, copy in zip(talks, copies, strict=True)
        for link in talk.talk_speakers.all()
    )
    return copies


def release_schedule(
    event, *, name=None, comment="", by=None, notify=True, allow_errors=False, released_at=None
):
    """Make the working schedule of ``event`` its public schedule; returns ``(release, plan)``.

    Refused (``ReleaseRefused``) when nothing changed since the current
    release, when the schedule has clash-rule errors and ``allow_errors`` is
    not given, or when the name is taken. ``name`` defaults to the release's
    number. With ``notify``, each speaker the changes concern gets one mail,
    queued in the outbox in the same transaction.
    """
    with transaction.atomic():
        # Holding the event's row orders concurrent releases of one event.
        event = Event.objects.select_for_update().get(pk=event.pk)
        plan = plan_release(event)
        if not plan.changes:
            raise NothingToRelease(nothing_changed_message(plan))
        if plan.errors and not allow_errors:
            raise ReleaseRefused(
                gettext(
                    "The schedule has %(count)d clash-rule error(s), the first: "
                    "%(message)s Fix them, or release anyway."
                )
                % {"count": len(plan.errors), "message": plan.errors[0].message}
            )
        number = next_release_number(event)
        name = (name or "").strip() or str(number)
        if "/" in name:
            raise ReleaseRefused(
                gettext(
                    "A release's name cannot hold “/”: it is part of the release's address "
                    "(%(address)s)."
                )
                % {"address": f"/{event.slug}/schedule/v/<name>/"}
            )
        if Release.objects.filter(event=event, name=name).exists():
            raise ReleaseRefused(
                gettext("%(event)s already has a release named “%(name)s”.")
                % {"event": event.name, "name": name}
            )
        Release.objects.filter(event=event, is_current=True).update(is_current=False)
        try:
            with transaction.atomic():
                release = Release.objects.create(
                    event=event,
                    number=number,
                    name=name,
                    comment=comment,
                    released_at=released_at or timezone.now(),
                    released_by=by,
                    is_current=True,
                )
        except IntegrityError as error:
            raise ReleaseRefused(
                gettext("Another release of %(event)s was made at the same moment; try again.")
                % {"event": event.name}
            ) from error
        copies = freeze(release, plan.working)
        release_changes_record(release=release, changes=plan.changes, copies=copies)
        if notify:
            queue_release_mails(release, plan)
        event_pages_changed(event.slug)
    return release, plan
