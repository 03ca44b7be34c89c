"""The call for proposals of an event: the call, proposals, reviews and decisions.

A proposal that its speaker confirms becomes a talk of the schedule; the link
lives here (``Proposal.talk``) so that the schedule knows nothing of proposals.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from conference.models import Event, Track
from infrastructure.rich_text import MARKDOWN_HELP_TEXT, validate_markdown_length
from proposals.states import DECISIONS, State
from schedule.models import Talk
from speakers.models import Speaker

TITLE_MAX_LENGTH = 300
ABSTRACT_MAX_LENGTH = 2_000
DESCRIPTION_MAX_LENGTH = 10_000
NOTES_MAX_LENGTH = 5_000
ANSWER_MAX_LENGTH = 5_000


class Call(models.Model):
    """An event's call for proposals: when it is open and what it asks for."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="call")
    opens = models.DateTimeField(help_text="When speakers may start to propose.")
    closes = models.DateTimeField(help_text="The deadline: no proposal is taken after it.")
    text = models.TextField(
        blank=True, help_text=MARKDOWN_HELP_TEXT, validators=[validate_markdown_length]
    )
    tracks = models.ManyToManyField(
        Track, blank=True, related_name="+", help_text="The tracks speakers may choose."
    )
    co_speakers_allowed = models.BooleanField(default=True)
    anonymous_review = models.BooleanField(
        default=False, help_text="Reviewers see no speaker's name or bio."
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="calls_to_review",
        help_text="Members of the Reviewers group who review this event's proposals.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="call_closes_after_it_opens",
                violation_error_message="The call must close after it opens.",
            ),
        ]

    def __str__(self):
        return f"Call for proposals: {self.event}"

    def is_open(self, at=None):
        at = at or timezone.now()
        return self.opens <= at < self.closes

    def has_closed(self, at=None):
        return (at or timezone.now()) >= self.closes


class SessionType(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="session_types")
    name = models.CharField(max_length=100, help_text="e.g. “Talk”, “Workshop”.")
    kind = models.CharField(
        max_length=20,
        choices=Talk.Kind.choices,
        default=Talk.Kind.TALK,
        help_text="The kind of talk a confirmed proposal of this type becomes.",
    )
    duration_minutes = models.PositiveIntegerField(
        "default duration (minutes)", validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.name} ({self.duration_minutes} min)"


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short", "Short text"
        LONG_TEXT = "long", "Long text"
        CHOICE = "choice", "Choice"
        YES_NO = "yes_no", "Yes or no"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SHORT_TEXT)
    choices = models.TextField(blank=True, help_text="For a choice: one option per line.")
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    @property
    def options(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.kind == self.Kind.CHOICE and len(self.options) < 2:
            raise ValidationError({"choices": "A choice needs at least two options, one a line."})


class ReviewCategory(models.Model):
    """What reviewers score, e.g. content or relevance, from ``min_score`` to ``max_score``."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="review_categories")
    name = models.CharField(max_length=100)
    min_score = models.SmallIntegerField(default=0)
    max_score = models.SmallIntegerField(default=3)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "review categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gt=F("min_score")),
                name="review_category_max_above_min",
                violation_error_message="The highest score must be above the lowest.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.min_score}–{self.max_score})"


class DecisionTemplate(models.Model):
    """The mail sent with a decision; placeholders: {name} {title} {event} {confirm_link}."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="decision_templates")
    decision = models.CharField(
        max_length=20, choices=[(state.value, state.label) for state in DECISIONS]
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Plain text. Placeholders: {name}, {title}, {event}, {confirm_link}."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call", "decision"],
                name="decision_template_once_per_call",
                violation_error_message="This call already has a template for that decision.",
            ),
        ]

    def __str__(self):
        return f"{self.get_decision_display()}: {self.subject}"


class ProposalQuerySet(models.QuerySet):
    def of_speaker(self, speaker):
        return self.filter(speakers=speaker)

    def reviewable(self):
        """What reviewers see: every proposal handed in, not drafts nor withdrawn ones."""
        return self.exclude(state__in=[State.DRAFT, State.WITHDRAWN])


class Proposal(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="proposals")
    uuid = models.UUIDField("UUID", default=uuid.uuid4, unique=True, editable=False)
    submitter = models.ForeignKey(
        Speaker, on_delete=models.PROTECT, related_name="submitted_proposals"
    )
    speakers = models.ManyToManyField(Speaker, related_name="proposals")
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    abstract = models.TextField(
        max_length=ABSTRACT_MAX_LENGTH, help_text="Markdown; shown on the talk's page."
    )
    description = models.TextField(
        max_length=DESCRIPTION_MAX_LENGTH, blank=True, help_text="Markdown; for the reviewers."
    )
    # RESTRICT, not PROTECT: a type in use cannot be deleted on its own, but
    # deleting its call (or event) takes the type and its proposals together.
    session_type = models.ForeignKey(
        SessionType, on_delete=models.RESTRICT, null=True, blank=True, related_name="proposals"
    )
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    notes = models.TextField("notes for the organisers", max_length=NOTES_MAX_LENGTH, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Question id → answer.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # The form's one-time key: posting the same form twice makes one proposal.
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    talk = models.OneToOneField(
        Talk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        help_text="The talk this proposal became once confirmed.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["call", "state"], name="proposal_call_state_idx")]

    def __str__(self):
        return self.title

    @property
    def duration_minutes(self):
        return self.session_type.duration_minutes if self.session_type_id else None


class ProposalStateChange(models.Model):
    """One change of a proposal's state: who made it, when, from what to what."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="state_changes")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class Review(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_reviews"
    )
    comment = models.TextField(blank=True, max_length=5_000)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"],
                name="review_once_per_reviewer",
                violation_error_message="You have already reviewed this proposal.",
            ),
        ]

    def __str__(self):
        return f"Review of {self.proposal} by {self.reviewer}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    category = models.ForeignKey(ReviewCategory, on_delete=models.CASCADE, related_name="scores")
    score = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "category"], name="review_score_once_per_category"
            ),
        ]

    def __str__(self):
        return f"{self.category.name}: {self.score}"


class CoSpeakerInvitation(models.Model):
    """A speaker of a proposal asks someone by email to give it with them.

    The invitee is named on the proposal only once they accept, from the
    single-use link the invitation mail carries (``co_speakers.py``).
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="invitations")
    uuid = models.UUIDField("UUID", default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(max_length=254)
    invitee = models.ForeignKey(
        Speaker,
        on_delete=models.CASCADE,
        related_name="co_speaker_invitations",
        help_text="The speaker profile the address belongs to (made for someone new).",
    )
    invited_by = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    accepted = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "invitee"],
                name="co_speaker_invited_once_per_proposal",
                violation_error_message="This person is already invited to this proposal.",
            ),
        ]

    def __str__(self):
        return f"{self.email} invited to {self.proposal}"

    @property
    def is_pending(self):
        return self.accepted is None
