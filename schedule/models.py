"""Talks: what happens when, where, and who gives it."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
        # The current releases' ids in a subquery, not a join on their flag: the
        # database then reads the copies by the (release, start) index instead
        # of walking every copy of every release (SQLite without statistics did).
        return self.filter(release__in=Release.objects.filter(is_current=True).values("pk"))

    def current_of(self, event):
        """The copies in ``event``'s latest release (``current`` for one event)."""
        # By the release alone: asked for the event as well, SQLite without fresh
        # statistics reads by the (event, start) index, every copy of every release.
        latest = Release.objects.filter(event=event, is_current=True).values("pk")[:1]
        return self.filter(release=models.Subquery(latest))

    def of(self, release):
        return self.filter(release=release)


class Release(models.Model):
    """A version of an event's schedule made public at one moment.

    The release holds a frozen copy of each talk attendees may see (a ``Talk``
    row pointing here, with its own speaker rows): which talks, their titles,
    speakers, kinds, times, rooms and tracks, as they were when released. The
    event's latest release (``is_current``) is its public schedule.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="releases", verbose_name=_("event")
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    name = models.CharField(
        _("name"), max_length=50, help_text=_('What attendees call it, e.g. "1.2", "final".')
    )
    comment = models.TextField(
        _("comment"), blank=True, help_text=_("Shown to the public with the release.")
    )
    released_at = models.DateTimeField(_("released at"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    is_current = models.BooleanField(_("is current"), default=False, editable=False)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["event_id", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="release_name_unique_per_event",
                violation_error_message=_("This event already has a release of this name."),
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
        KEYNOTE = "keynote", _("Keynote")
        TALK = "talk", _("Talk")
        LIGHTNING = "lightning", _("Lightning talk")
        WORKSHOP = "workshop", _("Workshop")
        PANEL = "panel", _("Panel")
        BREAK = "break", pgettext_lazy("a pause in the schedule", "Break")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="talks", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TALK)
    abstract = models.TextField(
        _("abstract"),
        blank=True,
        help_text=MARKDOWN_HELP_TEXT,
        validators=[validate_markdown_length],
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        default="en",
        help_text=_("The language it is given in, e.g. en, de."),
    )
    do_not_record = models.BooleanField(
        _("do not record"), default=False, help_text=_("The speakers asked not to be recorded.")
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name=_("track"),
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name=_("room"),
    )
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    planned_minutes = models.PositiveIntegerField(
        _("planned length (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_(
            "How long the talk lasts once placed on the board, while it has no start "
            "and end (a proposal's session type sets it)."
        ),
    )
    speakers = models.ManyToManyField(
        Speaker,
        through="TalkSpeaker",
        related_name="talks",
        blank=True,
        verbose_name=_("speakers"),
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        blank=True,
        help_text=_("The talk's id in the system it was imported from; importers match on it."),
    )
    uuid = models.UUIDField(
        _("UUID"),
        default=uuid.uuid4,
        editable=False,
        help_text=_("The talk's identity in calendars and schedule exports; never changes."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # Set on a release's frozen copy of the talk; the working talk has none.
    release = models.ForeignKey(
        Release,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="talks",
        verbose_name=_("release"),
    )
    # A copy's working talk's primary key, kept when that talk is deleted: the id
    # schedule apps know the talk by, the same in every release.
    released_from = models.PositiveBigIntegerField(
        _("released from"), null=True, blank=True, editable=False
    )

    objects = WorkingTalkManager()
    released = ReleasedTalkManager()

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["event_id", "start", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"],
                condition=Q(release__isnull=True),
                name="talk_slug_unique_per_event",
                violation_error_message=_("Another talk of this event has this slug."),
            ),
            models.UniqueConstraint(
                fields=["uuid"],
                condition=Q(release__isnull=True),
                name="talk_uuid_unique",
                violation_error_message=_("Another talk has this UUID."),
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
                violation_error_message=_("Another talk of this event has this external ID."),
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end__isnull=False, end__gt=F("start")),
                name="talk_times_both_or_neither_and_end_after_start",
                violation_error_message=_(
                    "Give both start and end, with the end after the start, or neither."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["event", "start"], name="talk_event_start_idx"),
            # A release's talks by time: what every public page reads. Without it
            # the database walks every copy of the event's every release.
            models.Index(fields=["release", "start"], name="talk_release_start_idx"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.room_id and self.event_id and self.room.event_id != self.event_id:
            errors["room"] = _("This room belongs to another event.")
        if self.track_id and self.event_id and self.track.event_id != self.event_id:
            errors["track"] = _("This track belongs to another event.")
        if (self.start is None) != (self.end is None):
            errors["end" if self.start else "start"] = _("Give both start and end, or neither.")
        elif self.start and self.end <= self.start:
            errors["end"] = _("The talk must end after it starts.")
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

    talk = models.ForeignKey(
        Talk, on_delete=models.CASCADE, related_name="talk_speakers", verbose_name=_("talk")
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="talk_speakers", verbose_name=_("speaker")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("speaker of the talk")
        verbose_name_plural = _("speakers of the talk")
        constraints = [
            models.UniqueConstraint(
                fields=["talk", "speaker"],
                name="talk_speaker_once_per_talk",
                violation_error_message=_("This speaker is already listed for the talk."),
            ),
        ]
        indexes = [
            models.Index(fields=["talk", "position"], name="talkspeaker_talk_position_idx"),
        ]

    def __str__(self):
        return f"{self.speaker} at {self.talk}"


# The admin's labels of a change's kind (the column holds ChangeKind's values).
CHANGE_KIND_CHOICES = [
    (ChangeKind.NEW.value, _("New")),
    (ChangeKind.CANCELLED.value, _("Cancelled")),
    (ChangeKind.WITHDRAWN.value, _("Withdrawn")),
    (ChangeKind.MOVED.value, _("Moved")),
    (ChangeKind.CHANGED.value, _("Changed")),
    (ChangeKind.DETAILS.value, _("Details")),
]


class ReleaseChange(models.Model):
    """One talk's change in a release, stored when the release is made.

    The public changelog and feed read these rows instead of comparing every
    pair of releases: ``before`` is the talk's copy in the release before
    (none when new), ``after`` its copy in this release (none when withdrawn).
    """

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="changes", verbose_name=_("release")
    )
    position = models.PositiveIntegerField(
        _("position"), help_text=_("The order the changelog lists it in.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CHANGE_KIND_CHOICES)
    fields = models.JSONField(
        _("fields"), default=list, blank=True, help_text=_("Which frozen fields differ.")
    )
    # An older release's copy; kept null if that release is ever deleted.
    before = models.ForeignKey(
        Talk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("before"),
    )
    after = models.ForeignKey(
        Talk,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("after"),
    )

    class Meta:
        verbose_name = _("release change")
        verbose_name_plural = _("release changes")
        ordering = ["release_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "position"], name="release_change_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.release}: {self.kind}"
