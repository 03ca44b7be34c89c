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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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

    class ConfirmedChanges(models.TextChoices):
        TALK_FOLLOWS = "talk_follows", _("update its talk")
        LOCKED = "locked", _("are refused: the proposal is locked")

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="call", verbose_name=_("event")
    )
    opens = models.DateTimeField(
        help_text=_("When speakers may start to propose."), verbose_name=_("opens")
    )
    closes = models.DateTimeField(
        help_text=_("The deadline: no proposal is taken after it."), verbose_name=_("closes")
    )
    text = models.TextField(
        blank=True,
        help_text=MARKDOWN_HELP_TEXT,
        validators=[validate_markdown_length],
        verbose_name=_("text"),
    )
    tracks = models.ManyToManyField(
        Track,
        blank=True,
        related_name="+",
        help_text=_("The tracks speakers may choose."),
        verbose_name=_("tracks"),
    )
    co_speakers_allowed = models.BooleanField(default=True, verbose_name=_("co speakers allowed"))
    anonymous_review = models.BooleanField(
        default=False,
        help_text=_("Reviewers see no speaker's name or bio."),
        verbose_name=_("anonymous review"),
    )
    confirmed_changes = models.CharField(
        max_length=20,
        choices=ConfirmedChanges.choices,
        default=ConfirmedChanges.TALK_FOLLOWS,
        help_text=_(
            "When a confirmed proposal's title or abstract is changed, by its speakers or "
            "in the admin: its talk takes the change, or the proposal is locked (the talk "
            "itself stays editable)."
        ),
        verbose_name=_("changes after confirmation"),
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="calls_to_review",
        help_text=_("Members of the Reviewers group who review this event's proposals."),
        verbose_name=_("reviewers"),
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="call_closes_after_it_opens",
                violation_error_message=_("The call must close after it opens."),
            ),
        ]

    def __str__(self):
        return gettext("Call for proposals: %(event)s") % {"event": self.event}

    def is_open(self, at=None):
        at = at or timezone.now()
        return self.opens <= at < self.closes

    def has_closed(self, at=None):
        return (at or timezone.now()) >= self.closes

    @property
    def talk_follows_proposals(self):
        return self.confirmed_changes == self.ConfirmedChanges.TALK_FOLLOWS


class SessionType(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="session_types", verbose_name=_("call")
    )
    name = models.CharField(
        max_length=100, help_text=_("e.g. “Talk”, “Workshop”."), verbose_name=_("name")
    )
    kind = models.CharField(
        max_length=20,
        choices=Talk.Kind.choices,
        default=Talk.Kind.TALK,
        help_text=_("The kind of talk a confirmed proposal of this type becomes."),
        verbose_name=_("kind"),
    )
    duration_minutes = models.PositiveIntegerField(
        _("default duration (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("session type")
        verbose_name_plural = _("session types")
        ordering = ["position", "id"]

    def __str__(self):
        return gettext("%(name)s (%(minutes)s min)") % {
            "name": self.name,
            "minutes": self.duration_minutes,
        }


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short", _("Short text")
        LONG_TEXT = "long", _("Long text")
        CHOICE = "choice", _("Choice")
        YES_NO = "yes_no", _("Yes or no")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="questions", verbose_name=_("call")
    )
    text = models.CharField(max_length=300, verbose_name=_("text"))
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.SHORT_TEXT, verbose_name=_("kind")
    )
    choices = models.TextField(
        blank=True, help_text=_("For a choice: one option per line."), verbose_name=_("choices")
    )
    required = models.BooleanField(default=False, verbose_name=_("required"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    @property
    def options(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.kind == self.Kind.CHOICE and len(self.options) < 2:
            raise ValidationError(
                {"choices": gettext("A choice needs at least two options, one a line.")}
            )


class ReviewCategory(models.Model):
    """What reviewers score, e.g. content or relevance, from ``min_score`` to ``max_score``."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="review_categories", verbose_name=_("call")
    )
    name = models.CharField(max_length=100, verbose_name=_("name"))
    min_score = models.SmallIntegerField(default=0, verbose_name=_("min score"))
    max_score = models.SmallIntegerField(default=3, verbose_name=_("max score"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("review category")
        verbose_name_plural = _("review categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gt=F("min_score")),
                name="review_category_max_above_min",
                violation_error_message=_("The highest score must be above the lowest."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.min_score}–{self.max_score})"


class DecisionTemplate(models.Model):
    """The mail sent with a decision; placeholders: {name} {title} {event} {confirm_link}."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="decision_templates", verbose_name=_("call")
    )
    decision = models.CharField(
        max_length=20,
        choices=[(state.value, state.label) for state in DECISIONS],
        verbose_name=_("decision"),
    )
    subject = models.CharField(max_length=200, verbose_name=_("subject"))
    body = models.TextField(
        help_text=_("Plain text. Placeholders: {name}, {title}, {event}, {confirm_link}."),
        verbose_name=_("body"),
    )

    class Meta:
        verbose_name = _("decision template")
        verbose_name_plural = _("decision templates")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "decision"],
                name="decision_template_once_per_call",
                violation_error_message=_("This call already has a template for that decision."),
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
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("call")
    )
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    submitter = models.ForeignKey(
        Speaker,
        on_delete=models.PROTECT,
        related_name="submitted_proposals",
        verbose_name=_("submitter"),
    )
    speakers = models.ManyToManyField(Speaker, related_name="proposals", verbose_name=_("speakers"))
    title = models.CharField(max_length=TITLE_MAX_LENGTH, verbose_name=_("title"))
    abstract = models.TextField(
        max_length=ABSTRACT_MAX_LENGTH,
        help_text=_("Markdown; shown on the talk's page."),
        verbose_name=_("abstract"),
    )
    description = models.TextField(
        max_length=DESCRIPTION_MAX_LENGTH,
        blank=True,
        help_text=_("Markdown; for the reviewers."),
        verbose_name=_("description"),
    )
    # RESTRICT, not PROTECT: a type in use cannot be deleted on its own, but
    # deleting its call (or event) takes the type and its proposals together.
    session_type = models.ForeignKey(
        SessionType,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("session type"),
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("track"),
    )
    notes = models.TextField(_("notes for the organisers"), max_length=NOTES_MAX_LENGTH, blank=True)
    answers = models.JSONField(
        default=dict, blank=True, help_text=_("Question id → answer."), verbose_name=_("answers")
    )
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.DRAFT, verbose_name=_("state")
    )
    # The form's one-time key: posting the same form twice makes one proposal.
    submission_key = models.UUIDField(
        unique=True, null=True, blank=True, editable=False, verbose_name=_("submission key")
    )
    talk = models.OneToOneField(
        Talk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        help_text=_("The talk this proposal became once confirmed."),
        verbose_name=_("talk"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created"]
        indexes = [models.Index(fields=["call", "state"], name="proposal_call_state_idx")]

    def __str__(self):
        return self.title

    @property
    def duration_minutes(self):
        return self.session_type.duration_minutes if self.session_type_id else None


class ProposalStateChange(models.Model):
    """One change of a proposal's state: who made it, when, from what to what."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="state_changes", verbose_name=_("proposal")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    from_state = models.CharField(
        max_length=20, choices=State.choices, verbose_name=_("from state")
    )
    to_state = models.CharField(max_length=20, choices=State.choices, verbose_name=_("to state"))

    class Meta:
        verbose_name = _("proposal state change")
        verbose_name_plural = _("proposal state changes")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class Review(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("proposal")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposal_reviews",
        verbose_name=_("reviewer"),
    )
    comment = models.TextField(blank=True, max_length=5_000, verbose_name=_("comment"))
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"],
                name="review_once_per_reviewer",
                violation_error_message=_("You have already reviewed this proposal."),
            ),
        ]

    def __str__(self):
        return gettext("Review of %(proposal)s by %(reviewer)s") % {
            "proposal": self.proposal,
            "reviewer": self.reviewer,
        }


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    category = models.ForeignKey(
        ReviewCategory, on_delete=models.CASCADE, related_name="scores", verbose_name=_("category")
    )
    score = models.SmallIntegerField(verbose_name=_("score"))

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
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

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("proposal")
    )
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(max_length=254, verbose_name=_("email"))
    invitee = models.ForeignKey(
        Speaker,
        on_delete=models.CASCADE,
        related_name="co_speaker_invitations",
        help_text=_("The speaker profile the address belongs to (made for someone new)."),
        verbose_name=_("invitee"),
    )
    invited_by = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="+", verbose_name=_("invited by")
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    accepted = models.DateTimeField(null=True, blank=True, verbose_name=_("accepted"))

    class Meta:
        verbose_name = _("co-speaker invitation")
        verbose_name_plural = _("co-speaker invitations")
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "invitee"],
                name="co_speaker_invited_once_per_proposal",
                violation_error_message=_("This person is already invited to this proposal."),
            ),
        ]

    def __str__(self):
        return gettext("%(email)s invited to %(proposal)s") % {
            "email": self.email,
            "proposal": self.proposal,
        }

    @property
    def is_pending(self):
        return self.accepted is None
