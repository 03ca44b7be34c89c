"""Talks: what happens when, where, and who gives it."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from conference.models import Event, Room, Track
from infrastructure.rich_text import MARKDOWN_HELP_TEXT, validate_markdown_length
from schedule.releases.changes import ChangeKind
from speakers.models import Speaker


class TalkQuerySet(models.QuerySet):
    def published(self):
        """Talks attendees may see: published, not cancelled, of a published event."""
        return self.filter(is_published=True, is_cancelled=False, event__is_published=True)

    def scheduled(self):
        """Talks with a time (and so an end); the others wait on the board."""
        return self.filter(start__isnull=False)

    def with_speakers(self):
        """Each talk's ``talk_speakers`` loaded, in the talk's order, with their speakers."""
        return self.prefetch_related(
            models.Prefetch(
                "talk_speakers",
                queryset=TalkSpeaker.objects.select_related("speaker").order_by("position", "id"),
            )
        )


class WorkingTalkManager(models.Manager.from_queryset(TalkQuerySet)):
    """The working schedule: the talks organisers edit, never a release's frozen copies."""

    def get_queryset(self):
        return super().get_queryset().filter(release__isnull=True)


class ReleasedTalkManager(models.Manager.from_queryset(TalkQuerySet)):
    """The talks as releases froze them: one copy per talk per release."""

    def get_queryset(self):
        return super().get_queryset().filter(release__isnull=False)

    def current(self):
        """The copies in their event's latest release: what attendees see."""
        return self.filter(release__is_current=True)

    def of(self, release):
        return self.filter(release=release)


class Release(models.Model):
    """A version of an event's schedule made public at one moment.

    The release holds a frozen copy of each talk attendees may see (a ``Talk``
    row pointing here, with its own speaker rows): which talks, their titles,
    speakers, kinds, times, rooms and tracks, as they were when released. The
    event's latest release (``is_current``) is its public schedule.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(editable=False)
    name = models.CharField(max_length=50, help_text='What attendees call it, e.g. "1.2", "final".')
    comment = models.TextField(blank=True, help_text="Shown to the public with the release.")
    released_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_current = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["event_id", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="release_name_unique_per_event",
                violation_error_message="This event already has a release of this name.",
            ),
            models.UniqueConstraint(
                fields=["event", "number"], name="release_number_unique_per_event"
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(is_current=True),
                name="release_one_current_per_event",
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.name}"


class Talk(models.Model):
    class Kind(models.TextChoices):
        # Add a member here to offer a new kind; the column holds any short label.
        KEYNOTE = "keynote", "Keynote"
        TALK = "talk", "Talk"
        LIGHTNING = "lightning", "Lightning talk"
        WORKSHOP = "workshop", "Workshop"
        PANEL = "panel", "Panel"
        BREAK = "break", "Break"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="talks")
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TALK)
    abstract = models.TextField(
        blank=True, help_text=MARKDOWN_HELP_TEXT, validators=[validate_markdown_length]
    )
    language = models.CharField(
        max_length=10, default="en", help_text="The language it is given in, e.g. en, de."
    )
    do_not_record = models.BooleanField(
        default=False, help_text="The speakers asked not to be recorded."
    )
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="talks"
    )
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="talks"
    )
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    speakers = models.ManyToManyField(
        Speaker, through="TalkSpeaker", related_name="talks", blank=True
    )
    source_url = models.URLField("source URL", max_length=500, blank=True)
    external_id = models.CharField(
        "external ID",
        max_length=100,
        blank=True,
        help_text="The talk's id in the system it was imported from; importers match on it.",
    )
    uuid = models.UUIDField(
        "UUID",
        default=uuid.uuid4,
        editable=False,
        help_text="The talk's identity in calendars and schedule exports; never changes.",
    )
    is_published = models.BooleanField("published", default=True)
    is_cancelled = models.BooleanField("cancelled", default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Set on a release's frozen copy of the talk; the working talk has none.
    release = models.ForeignKey(
        Release,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="talks",
    )
    # A copy's working talk's primary key, kept when that talk is deleted: the id
    # schedule apps know the talk by, the same in every release.
    released_from = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    objects = WorkingTalkManager()
    released = ReleasedTalkManager()

    class Meta:
        ordering = ["event_id", "start", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"],
                condition=Q(release__isnull=True),
                name="talk_slug_unique_per_event",
                violation_error_message="Another talk of this event has this slug.",
            ),
            models.UniqueConstraint(
                fields=["uuid"],
                condition=Q(release__isnull=True),
                name="talk_uuid_unique",
                violation_error_message="Another talk has this UUID.",
            ),
            models.UniqueConstraint(
                fields=["release", "uuid"], name="released_talk_uuid_unique_per_release"
            ),
            models.UniqueConstraint(
                fields=["release", "slug"], name="released_talk_slug_unique_per_release"
            ),
            models.UniqueConstraint(
                fields=["event", "external_id"],
                condition=~Q(external_id="") & Q(release__isnull=True),
                name="talk_external_id_unique_per_event",
                violation_error_message="Another talk of this event has this external ID.",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end__isnull=False, end__gt=F("start")),
                name="talk_times_both_or_neither_and_end_after_start",
                violation_error_message=(
                    "Give both start and end, with the end after the start, or neither."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["event", "start"], name="talk_event_start_idx"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.room_id and self.event_id and self.room.event_id != self.event_id:
            errors["room"] = "This room belongs to another event."
        if self.track_id and self.event_id and self.track.event_id != self.event_id:
            errors["track"] = "This track belongs to another event."
        if (self.start is None) != (self.end is None):
            errors["end" if self.start else "start"] = "Give both start and end, or neither."
        elif self.start and self.end <= self.start:
            errors["end"] = "The talk must end after it starts."
        if errors:
            raise ValidationError(errors)

    @property
    def stable_id(self):
        """The talk's number in the exports: the working talk's, in each of its copies too."""
        return self.released_from or self.pk

    @property
    def duration(self):
        if self.start and self.end:
            # Elapsed time: times of one zone would subtract as wall clocks.
            return self.end.astimezone(datetime.UTC) - self.start.astimezone(datetime.UTC)
        return None


class TalkSpeaker(models.Model):
    """A speaker of a talk, in the order the talk lists them."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="talk_speakers")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="talk_speakers")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "speaker of the talk"
        verbose_name_plural = "speakers of the talk"
        constraints = [
            models.UniqueConstraint(
                fields=["talk", "speaker"],
                name="talk_speaker_once_per_talk",
                violation_error_message="This speaker is already listed for the talk.",
            ),
        ]
        indexes = [
            models.Index(fields=["talk", "position"], name="talkspeaker_talk_position_idx"),
        ]

    def __str__(self):
        return f"{self.speaker} at {self.talk}"


class ReleaseChange(models.Model):
    """One talk's change in a release, stored when the release is made.

    The public changelog and feed read these rows instead of comparing every
    pair of releases: ``before`` is the talk's copy in the release before
    (none when new), ``after`` its copy in this release (none when withdrawn).
    """

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="changes")
    position = models.PositiveIntegerField(help_text="The order the changelog lists it in.")
    kind = models.CharField(
        max_length=20, choices=[(kind.value, kind.name.title()) for kind in ChangeKind]
    )
    fields = models.JSONField(default=list, blank=True, help_text="Which frozen fields differ.")
    # An older release's copy; kept null if that release is ever deleted.
    before = models.ForeignKey(
        Talk, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    after = models.ForeignKey(
        Talk, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["release_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "position"], name="release_change_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.release}: {self.kind}"
