"""Speakers: people who give talks, at one event or many."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from infrastructure.rich_text import MARKDOWN_HELP_TEXT, validate_markdown_length
from infrastructure.slugs import UniqueSlugs, slug_base


class Speaker(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    bio = models.TextField(
        _("bio"), blank=True, help_text=MARKDOWN_HELP_TEXT, validators=[validate_markdown_length]
    )
    email = models.EmailField(
        _("email"),
        blank=True,
        help_text=_("Private: where invitations to edit the profile are sent."),
    )
    notify_schedule_changes = models.BooleanField(
        _("email me when my talks move"),
        default=True,
        help_text=_("One mail per schedule release that adds, cancels or moves a talk of yours."),
    )
    language = models.CharField(
        _("language of my mails"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The site writes to you in it; empty: the site's own language."),
    )
    photo = models.ImageField(_("photo"), upload_to="speakers/photos/", blank=True)
    photo_thumbnail = models.ImageField(
        upload_to="speakers/photos/",
        blank=True,
        editable=False,
        help_text="A small square copy of the photo, for lists.",
    )
    website = models.URLField(_("website"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker",
        verbose_name=_("account"),
        help_text=_("The account that may edit this profile."),
    )
    uuid = models.UUIDField(
        "UUID",
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("The speaker's identity in schedule exports; never changes."),
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=200,
        blank=True,
        help_text=_(
            "The person's id in the system they were imported from; importers match on it."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="speaker_external_id_unique",
                violation_error_message=_("Another speaker has this external ID."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def missing_profile_parts(self):
        """What attendees would miss on this speaker's page: ``"bio"``, ``"photo"``, or neither."""
        return [
            part
            for part, present in (("bio", self.bio.strip()), ("photo", self.photo))
            if not present
        ]

    @classmethod
    def unique_slug_for(cls, name, *, exclude_pk=None):
        """A slug for ``name`` that no other speaker has yet, numbered as importers number them."""
        max_length = cls._meta.get_field("slug").max_length
        base = slug_base(name, fallback="speaker", max_length=max_length)
        taken = (
            cls.objects.filter(slug__startswith=base)
            .exclude(pk=exclude_pk)
            .values_list("slug", flat=True)
        )
        return UniqueSlugs(taken).make(base, max_length=max_length)


class SpeakerLink(models.Model):
    """A link a speaker shows on their page besides the website (Mastodon, GitHub, a blog)."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(
        _("label"), max_length=50, help_text=_("What the link is, e.g. “Mastodon”.")
    )
    url = models.URLField(_("URL"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("speaker link")
        verbose_name_plural = _("speaker links")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.label}: {self.url}"
