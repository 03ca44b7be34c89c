"""Personal API tokens: how an organiser's scripts act through the API as that organiser.

Only a hash of a token is stored. The token itself is shown once, when it is
created (on the account page or in the admin), and cannot be read again: a lost token is revoked and
a new one made.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "conf_"


def token_hash(token):
    """The stored form of ``token``: its SHA-256 (a token is random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What it is for, e.g. “video pipeline”, to tell tokens apart."),
    )
    hashed_token = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, shown in lists so that a person can tell which token is which.
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, *, user, name):
        """A new token of ``user``: ``(row, token)``; the token is never stored or shown again."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user, name=name, hashed_token=token_hash(token), hint=token[:12]
        )
        return row, token

    def revoke(self):
        self.revoked = timezone.now()
        self.save(update_fields=["revoked"])

    @property
    def is_active(self):
        return self.revoked is None
